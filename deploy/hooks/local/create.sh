#!/usr/bin/env bash
# Local provider, create: a "VPS" is a TCP listener on a fresh loopback address, for demos and
# tests. Idempotent, like every create hook must be: when the sidecar re-runs it for the same
# $EDGE_NAME (after a crash), it prints the edge it made instead of making a second one.
#
# In:  EDGE_NAME, EDGE_ROLE (edge, or nameserver: an address only), EDGE_COUNTRY, EDGE_PORT (the pool's probe port), LOCAL_EDGE_STATE (a directory),
#      LOCAL_EDGE_PREFIX (e.g. 127.77.0.; addresses count up from .100) or LOCAL_EDGE_ADDRESS (this one),
#      LOCAL_EDGE_LIFETIME (optional, e.g. 600: the listener exits by itself after that many seconds),
#      LOCAL_EDGE_COUNTRIES (optional, e.g. "DE SG": the only countries it makes a "VPS" in; default any),
#      GEODNS_SIDECAR (set by the sidecar: how to run itself; `local-edge` is the listener).
# Out: the edge's JSON on stdout.
set -euo pipefail
: "${EDGE_NAME:?}" "${LOCAL_EDGE_STATE:?}" "${GEODNS_SIDECAR:?}"
port=${EDGE_PORT:-8443}
prefix=${LOCAL_EDGE_PREFIX:-127.77.0.}
state=$LOCAL_EDGE_STATE
mkdir -p "$state"

# A nameserver (EDGE_ROLE=nameserver) is an address only: provision-nameserver.sh starts its server.
role=${EDGE_ROLE:-edge}
if [ -f "$state/$EDGE_NAME.json" ] && { [ "$role" = nameserver ] || kill -0 "$(cat "$state/$EDGE_NAME.pid" 2>/dev/null)" 2>/dev/null; }; then
  cat "$state/$EDGE_NAME.json"
  exit 0
fi

# A country it has no "location" in fails before anything is made, as a real provider's create does
# (locations.sh, which countries.sh prints).
. "$(dirname "$0")/locations.sh"
refused=$(refusal "${EDGE_COUNTRY:-DE}")
[ -z "$refused" ] || { echo "$refused" >&2; exit 1; }

address=${LOCAL_EDGE_ADDRESS:-}
if [ -z "$address" ]; then
  n=$(cat "$state/next" 2>/dev/null || echo 100)
  echo $((n + 1)) >"$state/next"
  address=$prefix$n
fi

if [ "$role" = nameserver ]; then
  echo "$EDGE_NAME $address" >>"$state/created.log"
  printf '{"name": "%s", "ipv4": "%s", "ipv6": null, "country": "%s"}\n' "$EDGE_NAME" "$address" "${EDGE_COUNTRY:-DE}" | tee "$state/$EDGE_NAME.json"
  exit 0
fi

lifetime=()
if [ -n "${LOCAL_EDGE_LIFETIME:-}" ]; then lifetime=(--for "$LOCAL_EDGE_LIFETIME"); fi
# GEODNS_SIDECAR may be two quoted words ('dotnet' 'GeoDns.Sidecar.dll'): eval keeps their quoting,
# and exec makes $! the listener itself, so destroy's kill reaches it. Its output goes nowhere:
# it must not hold this hook's stdout open.
eval "exec $GEODNS_SIDECAR local-edge \"\$address:\$port\" \"\${lifetime[@]}\"" </dev/null >/dev/null 2>&1 &
echo $! >"$state/$EDGE_NAME.pid"

# One line per VPS actually made: tests count them.
echo "$EDGE_NAME $address" >>"$state/created.log"
printf '{"name": "%s", "ipv4": "%s", "ipv6": null, "latitude": 50.11, "longitude": 8.68, "country": "DE"}\n' \
  "$EDGE_NAME" "$address" | tee "$state/$EDGE_NAME.json"
