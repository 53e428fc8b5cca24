#!/usr/bin/env bash
# Network-namespace provider, destroy: stops every process in gl-$EDGE_NAME and deletes the
# namespace (its veth goes with it). Succeeds when it is gone already.
#
# In:  EDGE_NAME, NETNS_STATE.
set -euo pipefail
: "${EDGE_NAME:?}" "${NETNS_STATE:?}"
ns=gl-$EDGE_NAME
if [ -e "/run/netns/$ns" ]; then
  pids=$(ip netns pids "$ns" || true)
  [ -z "$pids" ] || kill $pids 2>/dev/null || true
  for _ in $(seq 50); do [ -z "$(ip netns pids "$ns" 2>/dev/null)" ] && break; sleep 0.1; done
  pids=$(ip netns pids "$ns" || true)
  [ -z "$pids" ] || kill -9 $pids 2>/dev/null || true
  ip netns del "$ns"
fi
rm -f "$NETNS_STATE/$EDGE_NAME.json"
echo "$EDGE_NAME ${EDGE_IPV4:-}" >>"$NETNS_STATE/destroyed.log"
