#!/usr/bin/env bash
# Local provider, destroy: stops the listener (or a nameserver's server) of $EDGE_NAME. Succeeds when it is gone already,
# as every destroy hook must (the sidecar may run it again after a crash).
#
# In:  EDGE_NAME, EDGE_IPV4, LOCAL_EDGE_STATE.
set -euo pipefail
: "${EDGE_NAME:?}" "${LOCAL_EDGE_STATE:?}"
state=$LOCAL_EDGE_STATE
if [ -f "$state/$EDGE_NAME.pid" ]; then
  pid=$(cat "$state/$EDGE_NAME.pid")
  kill "$pid" 2>/dev/null || true
  # Gone when this returns, as a provider's destroy is: wait for the listener to exit (10 s at most, then SIGKILL).
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$state/$EDGE_NAME.pid" "$state/$EDGE_NAME.json"
fi
# A nameserver's server (provision-nameserver.sh).
if [ -f "$state/$EDGE_NAME/server.pid" ]; then
  pid=$(cat "$state/$EDGE_NAME/server.pid")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$state/$EDGE_NAME/server.pid" "$state/$EDGE_NAME.json"
fi
echo "$EDGE_NAME ${EDGE_IPV4:-}" >>"$state/destroyed.log"
