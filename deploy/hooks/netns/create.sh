#!/usr/bin/env bash
# Network-namespace provider, create: a "VPS" is a Linux network namespace gl-$EDGE_NAME with an
# address on the lab's bridge (deploy/lab/). Idempotent, like every create hook must be: run again
# for the same $EDGE_NAME (after a crash or a retry), it prints the edge it made.
#
# In:  EDGE_NAME, EDGE_COUNTRY (the region to buy in: DE, SG, US, GB; default DE),
#      NETNS_STATE (a directory), NETNS_BRIDGE_NS and NETNS_BRIDGE (where the bridge lives),
#      NETNS_PREFIX (e.g. 198.51.100.; addresses count up from NETNS_FIRST, default 21),
#      NETNS_ROUTES (other lab networks reached on the same bridge: space-separated CIDR prefixes),
#      NETNS_ADDRESSES (optional, NAME=ADDRESS ...: a name listed there gets that address instead of the
#      next one, as a provider's reserved IP gives a nameserver the address its glue names).
# Out: the edge's JSON on stdout.
set -euo pipefail
: "${EDGE_NAME:?}" "${NETNS_STATE:?}" "${NETNS_BRIDGE_NS:?}" "${NETNS_BRIDGE:?}" "${NETNS_PREFIX:?}"
state=$NETNS_STATE
ns=gl-$EDGE_NAME
mkdir -p "$state"
exec 9>"$state/.lock"
flock 9

if [ -f "$state/$EDGE_NAME.json" ] && [ -e "/run/netns/$ns" ]; then
  cat "$state/$EDGE_NAME.json"
  exit 0
fi

# The region: what a real provider's location list would be (EDGE_COUNTRY is honoured; the table is
# locations.sh, which countries.sh prints).
. "$(dirname "$0")/locations.sh"
country=${EDGE_COUNTRY:-DE}
coords=$(coords_in "$country")
if [ -z "$coords" ]; then
  known=$(countries | paste -sd ' ')
  echo "no region in country '${EDGE_COUNTRY}' (netns provider knows ${known// /, })" >&2
  exit 1
fi

address=
for pinned in ${NETNS_ADDRESSES:-}; do
  [ "${pinned%%=*}" != "$EDGE_NAME" ] || address=${pinned#*=}
done
if [ -n "$address" ]; then
  # Named after the address, which is unique on the bridge and fits in an interface name's 15 characters.
  veth=glv-$(printf '%02x' ${address//./ })
else
  n=$(cat "$state/next" 2>/dev/null || echo "${NETNS_FIRST:-21}")
  echo $((n + 1)) >"$state/next"
  address=$NETNS_PREFIX$n
  veth=glv-e$n
fi
# A namespace left by a run that died before writing the JSON goes, and its veth with it at once
# (a namespace's own are removed later, in the background, and a pinned name is used again).
ip -n "$NETNS_BRIDGE_NS" link del "$veth" 2>/dev/null || true
ip netns del "$ns" 2>/dev/null || true
ip netns add "$ns"
ip link add "$veth" netns "$NETNS_BRIDGE_NS" type veth peer name eth0 netns "$ns"
ip -n "$NETNS_BRIDGE_NS" link set "$veth" master "$NETNS_BRIDGE" up
ip -n "$ns" link set lo up
ip -n "$ns" addr add "$address/24" dev eth0
ip -n "$ns" link set eth0 up
# The other networks, and the edges' own when a pinned address lies outside it; a network eth0 has
# already (the address's own /24) needs no route.
for route in ${NETNS_ROUTES:-} "${NETNS_PREFIX}0/24"; do
  ip -n "$ns" route show "$route" | grep -q . || ip -n "$ns" route add "$route" dev eth0
done

echo "$EDGE_NAME $address $country" >>"$state/created.log"
printf '{"name": "%s", "ipv4": "%s", "ipv6": null, %s, "country": "%s"}\n' "$EDGE_NAME" "$address" "$coords" "$country" |
  tee "$state/$EDGE_NAME.json"
