#!/usr/bin/env bash
# Network-namespace provider, provision: what a real provision hook does over ssh, inside the
# edge's namespace: a firewall that opens only 80/443 and WireGuard, WireGuard from $EDGE_WG_CONF
# (wg-quick; wireguard-go where the kernel has no module), nginx from $EDGE_NGINX_CONF with the
# certificate from $EDGE_CERT_DIR, the edge guard (deploy/edge/geodns-edge-guard) and the edge signals
# (deploy/edge/geodns-edge-signals); the tighten hook (tighten.sh) runs deploy/edge/geodns-edge-tighten
# there later, with its stricter limits in NETNS_STATE/NAME/tighten. Overwrites and restarts: idempotent.
#
# Before the first certificate exists, the edge gets a self-signed stand-in so nginx can start and
# pass HTTP-01 challenges home; HTTPS probes with certificate checks keep the edge out of the
# answers until the certificate hook installs the real one.
#
# In:  EDGE_NAME, EDGE_IPV4, EDGE_WG_CONF, EDGE_NGINX_CONF, EDGE_CERT_DIR (optional), NETNS_STATE.
set -euo pipefail
: "${EDGE_NAME:?}" "${EDGE_WG_CONF:?}" "${EDGE_NGINX_CONF:?}" "${NETNS_STATE:?}"
ns=gl-$EDGE_NAME
dir=$NETNS_STATE/$EDGE_NAME
[ -e "/run/netns/$ns" ] || { echo "no namespace $ns: was it created?" >&2; exit 1; }
mkdir -p "$dir/log" "$dir/cert" "$dir/tighten" "$dir/countries"
# One interface name per edge on the machine: wireguard-go's control sockets share /var/run/wireguard.
iface=glw-${EDGE_IPV4##*.}

# Firewall: 80/443 for users, 51820/udp for the home's tunnel, nothing else from outside.
ip netns exec "$ns" nft -f - <<NFT
table inet gl_edge
delete table inet gl_edge
table inet gl_edge {
  chain input {
    type filter hook input priority 0; policy drop;
    iif lo accept
    ct state established,related accept
    iifname "$iface" accept
    tcp dport { 80, 443 } accept
    udp dport 51820 accept
    icmp type echo-request accept
  }
}
NFT

install -m 600 "$EDGE_WG_CONF" "$dir/$iface.conf"
ip netns exec "$ns" wg-quick down "$dir/$iface.conf" >/dev/null 2>&1 || true
ip netns exec "$ns" wg-quick up "$dir/$iface.conf" >"$dir/log/wg-quick.log" 2>&1 ||
  { tail -n 3 "$dir/log/wg-quick.log" >&2; exit 1; }

if [ -n "${EDGE_CERT_DIR:-}" ] && [ -f "$EDGE_CERT_DIR/fullchain.pem" ]; then
  install -m 600 "$EDGE_CERT_DIR/fullchain.pem" "$EDGE_CERT_DIR/privkey.pem" "$dir/cert/"
elif [ ! -f "$dir/cert/fullchain.pem" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$EDGE_NAME.invalid" \
    -keyout "$dir/cert/privkey.pem" -out "$dir/cert/fullchain.pem" >/dev/null 2>&1
fi

# The namespace's file system is the machine's: its nginx writes under $dir, not /run or /var/log.
sed -e "s#^\(\s*pid\s\+\).*;#\1$dir/nginx.pid;#" \
    -e "s#/var/log/nginx/#$dir/log/#g" \
    -e "s#/run/geodns-edge-signals\b#$dir/signals#g" \
    -e "s#/etc/nginx/geodns-tighten\b#$dir/tighten#g" \
    -e "s#^\(\s*ssl_certificate\s\+\).*;#\1$dir/cert/fullchain.pem;#" \
    -e "s#^\(\s*ssl_certificate_key\s\+\).*;#\1$dir/cert/privkey.pem;#" \
    -e "s#^user .*;#user root;#" \
    "$EDGE_NGINX_CONF" >"$dir/nginx.conf"
chmod 600 "$dir/nginx.conf"
ip netns exec "$ns" nginx -t -q -c "$dir/nginx.conf" -e "$dir/log/error.log"
if [ -f "$dir/nginx.pid" ] && kill -0 "$(cat "$dir/nginx.pid")" 2>/dev/null; then
  kill -HUP "$(cat "$dir/nginx.pid")"
else
  ip netns exec "$ns" nginx -c "$dir/nginx.conf" -e "$dir/log/error.log"
fi

# The edge guard (deploy/edge/geodns-edge-guard) refuses 80/443 while the home is unreachable through
# the tunnel; a real edge runs it as a systemd unit. Restarted with each provision.
# The edge signals (deploy/edge/geodns-edge-signals) likewise: what nginx and the kernel see, for the home.
edge=$(cd "$(dirname "$0")/../../edge" && pwd)
for unit in guard signals; do
  if [ -f "$dir/$unit.pid" ]; then
    old=$(cat "$dir/$unit.pid")
    kill "$old" 2>/dev/null || true
    for _ in $(seq 20); do kill -0 "$old" 2>/dev/null || break; sleep 0.1; done
  fi
  ip netns exec "$ns" setsid "$edge/geodns-edge-$unit" "$dir/nginx.conf" >>"$dir/log/$unit.log" 2>&1 </dev/null &
  echo $! >"$dir/$unit.pid"
done
echo "$EDGE_NAME $EDGE_IPV4" >>"$NETNS_STATE/provisioned.log"
