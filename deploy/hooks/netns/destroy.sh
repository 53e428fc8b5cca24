#!/usr/bin/env bash
# Network-namespace provider, destroy: takes its WireGuard interface down, stops every process in
# gl-$EDGE_NAME (nginx and the edge guard of an edge, GeoDns of a nameserver) and deletes the namespace
# (its veth goes with it), and a nameserver's unpacked package and data, as a deleted VPS loses its
# disk. Succeeds when it is gone already.
#
# In:  EDGE_NAME, NETNS_STATE.
set -euo pipefail
: "${EDGE_NAME:?}" "${NETNS_STATE:?}"
ns=gl-$EDGE_NAME
dir=$NETNS_STATE/$EDGE_NAME
if [ -e "/run/netns/$ns" ]; then
  # wireguard-go (no kernel module) ends with its interface; its control socket is the machine's.
  for conf in "$dir"/glw-*.conf "$dir"/gln-*.conf; do
    [ -f "$conf" ] || continue
    ip netns exec "$ns" wg-quick down "$conf" >/dev/null 2>&1 || true
  done
  pids=$(ip netns pids "$ns" || true)
  [ -z "$pids" ] || kill $pids 2>/dev/null || true
  for _ in $(seq 50); do [ -z "$(ip netns pids "$ns" 2>/dev/null)" ] && break; sleep 0.1; done
  pids=$(ip netns pids "$ns" || true)
  [ -z "$pids" ] || kill -9 $pids 2>/dev/null || true
  ip netns del "$ns"
fi
for conf in "$dir"/glw-*.conf "$dir"/gln-*.conf; do
  [ -f "$conf" ] || continue
  iface=$(basename "$conf" .conf)
  rm -f "/var/run/wireguard/$iface.sock" "/var/run/wireguard/$iface.name"
done
# The tightened limits too: a new edge of the same name must not start with them (no watcher would end them).
rm -rf "$dir"/root.* "$dir/data" "$dir/geodns" "$dir/geodns.pid" "$dir/tighten"
rm -f "$NETNS_STATE/$EDGE_NAME.json"
echo "$EDGE_NAME ${EDGE_IPV4:-}" >>"$NETNS_STATE/destroyed.log"
