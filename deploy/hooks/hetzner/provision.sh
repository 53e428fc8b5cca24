#!/usr/bin/env bash
# Hetzner Cloud, provision: installs WireGuard and nginx on the new edge and starts them with the
# configs the sidecar rendered. Safe to run again (the sidecar retries it, and resumes it after a crash).
#
# In:  EDGE_NAME, EDGE_IPV4, EDGE_WG_CONF, EDGE_NGINX_CONF; EDGE_SSH_USER (default root);
#      EDGE_CERT_DIR (TLS mode: the home's /etc/letsencrypt/live/DOMAIN, copied to the same path on
#      the edge; certbot runs once at home, answering HTTP-01 through the edges).
set -euo pipefail
: "${EDGE_NAME:?}" "${EDGE_IPV4:?}" "${EDGE_WG_CONF:?}" "${EDGE_NGINX_CONF:?}"
target=${EDGE_SSH_USER:-root}@$EDGE_IPV4
ssh_opts=(-o StrictHostKeyChecking=accept-new -o ConnectTimeout=10 -o BatchMode=yes)

# A fresh server takes a while to boot and start sshd.
for _ in $(seq 1 30); do
  ssh "${ssh_opts[@]}" "$target" true 2>/dev/null && break
  sleep 5
done

ssh "${ssh_opts[@]}" "$target" 'export DEBIAN_FRONTEND=noninteractive
  apt-get update -q && apt-get install -y -q wireguard-tools nginx libnginx-mod-stream >/dev/null
  install -d -m 700 /etc/wireguard'
scp "${ssh_opts[@]}" -q "$EDGE_WG_CONF" "$target:/etc/wireguard/wg0.conf"
scp "${ssh_opts[@]}" -q "$EDGE_NGINX_CONF" "$target:/etc/nginx/nginx.conf"
if [ -n "${EDGE_CERT_DIR:-}" ]; then
  ssh "${ssh_opts[@]}" "$target" "install -d -m 700 '$EDGE_CERT_DIR'"
  scp "${ssh_opts[@]}" -q -r "$EDGE_CERT_DIR/." "$target:$EDGE_CERT_DIR/"
fi

# Only WireGuard (51820/udp) and the web ports are open; SSH stays reachable for provisioning.
ssh "${ssh_opts[@]}" "$target" 'chmod 600 /etc/wireguard/wg0.conf
  systemctl enable -q wg-quick@wg0 && (systemctl restart wg-quick@wg0)
  nginx -t -q && systemctl enable -q nginx && systemctl reload-or-restart nginx'
echo "provisioned $EDGE_NAME ($EDGE_IPV4)" >&2
