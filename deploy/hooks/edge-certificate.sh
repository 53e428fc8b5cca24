#!/usr/bin/env bash
# Any ssh-reachable edge, certificate (every provider's certificate.sh runs this one): installs the
# renewed certificate ($EDGE_CERT_DIR: fullchain.pem, privkey.pem) where the edge's nginx.conf looks
# for it, and reloads nginx. Run by the sidecar for
# every live edge (`geodns-sidecar certificates`, certbot's deploy hook; and by `run` on a change).
# Through the tunnel: once provisioned, an edge takes SSH from the home's tunnel only, and its host
# key is the one pinned at provision (edge-ssh.sh).
#
# In:  EDGE_NAME, EDGE_TUNNEL, EDGE_KNOWN_HOSTS, EDGE_CERT_DIR; EDGE_SSH_USER (default root).
set -euo pipefail
: "${EDGE_NAME:?}" "${EDGE_TUNNEL:?is set by the sidecar: the tunnel address of the edge}" "${EDGE_CERT_DIR:?}"
. "$(dirname "$0")/edge-ssh.sh"
target=$ssh_user@$EDGE_TUNNEL
dest=$(ssh "${ssh_opts[@]}" "$target" "sed -n 's#^\\s*ssl_certificate\\s\\+\\(.*\\)/[^/]*;#\\1#p' /etc/nginx/nginx.conf | head -n 1")
[ -n "$dest" ] || { echo "$EDGE_NAME: no ssl_certificate in /etc/nginx/nginx.conf (passthrough mode needs no certificate)" >&2; exit 1; }
scp "${ssh_opts[@]}" -q "$EDGE_CERT_DIR/fullchain.pem" "$EDGE_CERT_DIR/privkey.pem" "$target:$dest/"
ssh "${ssh_opts[@]}" "$target" "chmod 600 '$dest/privkey.pem' && nginx -t -q && systemctl reload nginx"
