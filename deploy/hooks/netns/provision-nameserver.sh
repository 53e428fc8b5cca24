#!/usr/bin/env bash
# Network-namespace provider, provision a nameserver: what ../nameserver-provision.sh does over ssh,
# inside the namespace gl-$EDGE_NAME (create.sh). The package is "installed" by unpacking it into a
# fresh directory under $NETNS_STATE/$EDGE_NAME/ (a rollback unpacks the older one just the same); the
# files go to its geodns/ (the /opt/geodns the server runs in: the config's paths are relative);
# WireGuard from $NS_WG_CONF; a firewall like docs/manual-install.md section 6's; then the running server
# of this nameserver is stopped and the new one started, detached, as the unit would. The data
# directory stays across runs, as /var/lib/geodns does. Idempotent: run again, it restarts.
#
# In:  EDGE_NAME, NS_FILES, NS_WG_CONF, NS_PACKAGE, NS_DNS_PORT (53), NS_ADMIN_PORT (8053), NETNS_STATE;
#      NETNS_GEO_DB (optional: an mmdb, the server's geo database), NETNS_CA_FILE (optional: the CA
#      bundle its HTTPS probes trust, as SSL_CERT_FILE: the lab's ACME CA).
set -euo pipefail
: "${EDGE_NAME:?}" "${NS_FILES:?}" "${NS_WG_CONF:?}" "${NS_PACKAGE:?}" "${NETNS_STATE:?}"
ns=gl-$EDGE_NAME
dir=$NETNS_STATE/$EDGE_NAME
dns_port=${NS_DNS_PORT:-53}
admin_port=${NS_ADMIN_PORT:-8053}
[ -e "/run/netns/$ns" ] || { echo "no namespace $ns: was it created?" >&2; exit 1; }
[ -f "$NS_FILES/geodns.json" ] || { echo "$NS_FILES has no geodns.json" >&2; exit 1; }
# One interface name per nameserver on the machine: wireguard-go's control sockets share /var/run/wireguard.
iface=gln-$EDGE_NAME
[ ${#iface} -le 15 ] || { echo "$iface is longer than an interface name may be (15): shorten the name" >&2; exit 1; }
work=$dir/geodns
mkdir -p "$dir/log" "$work/zones"
install -d -m 700 "$dir/data"

root=$(mktemp -d "$dir/root.XXXXXX")
dpkg-deb -x "$NS_PACKAGE" "$root"

# The bundle's files, and only them: a zone file it lacks is removed (a secondary holds none).
install -m 644 "$NS_FILES/geodns.json" "$work/geodns.json"
rm -f "$work"/alert-*
for f in admin.token xfr.key $(cd "$NS_FILES" && echo alert-*); do
  if [ -f "$NS_FILES/$f" ]; then install -m 600 "$NS_FILES/$f" "$work/$f"; else rm -f "$work/$f"; fi
done
for f in "$work"/zones/*; do [ ! -e "$f" ] || [ -f "$NS_FILES/zones/${f##*/}" ] || rm -rf "$f"; done
for f in "$NS_FILES"/zones/*; do [ ! -f "$f" ] || install -m 644 "$f" "$work/zones/"; done
[ -z "${NETNS_GEO_DB:-}" ] || install -m 600 "$NETNS_GEO_DB" "$dir/data/geo-whois-asn-country.mmdb"

# WireGuard, restarted only when its config changed: the home may be talking through it (an upgrade).
if ! cmp -s "$NS_WG_CONF" "$dir/$iface.conf" || ! ip -n "$ns" link show "$iface" >/dev/null 2>&1; then
  install -m 600 "$NS_WG_CONF" "$dir/$iface.conf"
  ip netns exec "$ns" wg-quick down "$dir/$iface.conf" >/dev/null 2>&1 || true
  ip netns exec "$ns" wg-quick up "$dir/$iface.conf" >"$dir/log/wg-quick.log" 2>&1 ||
    { tail -n 3 "$dir/log/wg-quick.log" >&2; exit 1; }
fi

# Firewall: DNS and the home's tunnel from outside, the admin endpoint through the tunnel only.
ip netns exec "$ns" nft -f - <<NFT
table inet gl_ns
delete table inet gl_ns
table inet gl_ns {
  chain input {
    type filter hook input priority 0; policy drop;
    iif lo accept
    ct state established,related accept
    meta l4proto { tcp, udp } th dport $dns_port accept
    udp dport 51820 accept
    iifname "$iface" tcp dport $admin_port accept
    icmp type echo-request accept
  }
}
NFT

# The running server, by its pid file: TERM, up to 10 s, then KILL. Only while that pid is in this
# namespace: not a number the kernel gave another process since, nor one that has exited and waits
# to be reaped (such a process is in no namespace any more).
running() { [ "$(ip netns identify "$1" 2>/dev/null)" = "$ns" ]; }
if [ -f "$dir/geodns.pid" ]; then
  old=$(cat "$dir/geodns.pid")
  if running "$old"; then
    kill "$old" 2>/dev/null || true
    for _ in $(seq 100); do running "$old" || break; sleep 0.1; done
    ! running "$old" || kill -9 "$old" 2>/dev/null || true
  fi
  rm -f "$dir/geodns.pid"
fi
for old in "$dir"/root.*; do [ "$old" = "$root" ] || rm -rf "$old"; done

# Detached (its own session, no descriptor of this hook's), from the directory its config's relative
# paths name; the pid file written by the server's own shell, whatever setsid does.
run=(env)
[ -z "${NETNS_CA_FILE:-}" ] || run+=("SSL_CERT_FILE=$NETNS_CA_FILE")
cd "$work"
ip netns exec "$ns" setsid sh -c 'echo $$ >"$0" && exec "$@"' "$dir/geodns.pid" \
  "${run[@]}" "$root/opt/geodns/GeoDns.Server" --config "$work/geodns.json" --zones "$work/zones" --data "$dir/data" \
  </dev/null >>"$dir/log/geodns.log" 2>&1 &
for _ in $(seq 50); do [ -s "$dir/geodns.pid" ] && break; sleep 0.1; done
echo "$EDGE_NAME $(basename "$NS_PACKAGE")" >>"$NETNS_STATE/provisioned.log"
