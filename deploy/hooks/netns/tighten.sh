#!/usr/bin/env bash
# Network-namespace provider, tighten: what edge-tighten.sh does over ssh, inside the edge's namespace: the
# edge's geodns-edge-tighten (deploy/edge/) against its nginx.conf, banning ATTACK_SOURCES on 80 and 443 and
# turning on the stricter nginx limits for ATTACK_BAN_SECONDS, with the country lists in
# NETNS_STATE/NAME/countries (XX.cidr; put there by whoever runs the lab). Run again every ~30 s while
# the flood verdict holds: each run extends the time. Appends "NAME TIME SOURCES" to
# NETNS_STATE/tightened.log, so the lab can tell when the sidecar tightened which edge.
#
# In:  EDGE_NAME, ATTACK_BAN_SECONDS, ATTACK_SOURCES, ATTACK_COUNTRIES, NETNS_STATE.
set -euo pipefail
: "${EDGE_NAME:?}" "${ATTACK_BAN_SECONDS:?}" "${NETNS_STATE:?}"
ns=gl-$EDGE_NAME
dir=$NETNS_STATE/$EDGE_NAME
[ -e "/run/netns/$ns" ] || { echo "no namespace $ns: was it created?" >&2; exit 1; }
edge=$(cd "$(dirname "$0")/../../edge" && pwd)
read -ra sources <<<"${ATTACK_SOURCES:-}"
status=0
ip netns exec "$ns" env TIGHTEN_COUNTRIES="${ATTACK_COUNTRIES:-}" TIGHTEN_COUNTRY_DIR="$dir/countries" \
  "$edge/geodns-edge-tighten" "$dir/nginx.conf" on "$ATTACK_BAN_SECONDS" "${sources[@]}" || status=$?
echo "$EDGE_NAME $(date +%s) ${ATTACK_SOURCES:-}" >>"$NETNS_STATE/tightened.log"
exit "$status"
