#!/usr/bin/env bash
# Network-namespace provider, certificate: installs the renewed certificate from $EDGE_CERT_DIR on
# the edge and reloads its nginx (a real hook: scp + `systemctl reload nginx`). Idempotent.
#
# In:  EDGE_NAME, EDGE_CERT_DIR (fullchain.pem, privkey.pem), NETNS_STATE.
set -euo pipefail
: "${EDGE_NAME:?}" "${EDGE_CERT_DIR:?}" "${NETNS_STATE:?}"
dir=$NETNS_STATE/$EDGE_NAME
[ -d "$dir/cert" ] || { echo "$EDGE_NAME was never provisioned" >&2; exit 1; }
install -m 600 "$EDGE_CERT_DIR/fullchain.pem" "$EDGE_CERT_DIR/privkey.pem" "$dir/cert/"
kill -HUP "$(cat "$dir/nginx.pid")"
echo "$EDGE_NAME $(date +%s)" >>"$NETNS_STATE/certificates.log"
