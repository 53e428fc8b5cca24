#!/usr/bin/env bash
# Hetzner Cloud, create: makes the server $EDGE_NAME, or finds it when it exists already (the
# sidecar runs this again after a crash; the name is its idempotency key). Prints the edge's JSON.
#
# Needs: hcloud (https://github.com/hetznercloud/cli) with a context or HCLOUD_TOKEN, and jq.
# In:  EDGE_NAME; EDGE_REPLACES and EDGE_COUNTRY (the edge being replaced: pick a location near it);
#      HCLOUD_SSH_KEY (name of an SSH key in the project: provision logs in with it);
#      HCLOUD_LOCATION (instead of the country's: fsn1, nbg1, hel1, ash, hil, sin),
#      HCLOUD_US_LOCATION (ash or hil, for US), HCLOUD_SERVER_TYPE (default cx23 in Europe, where
#      the cheap CX line is sold, cpx11 elsewhere), HCLOUD_IMAGE (default debian-12).
set -euo pipefail
: "${EDGE_NAME:?}" "${HCLOUD_SSH_KEY:?name of an SSH key in your Hetzner project}"
# The replacement goes where the replaced edge was: EDGE_COUNTRY picks the location, unless
# HCLOUD_LOCATION says otherwise (the table is locations.sh, which countries.sh prints). A country
# Hetzner has no location in stops the rotation (with this message in `status`) rather than buying a
# VPS on another continent.
. "$(dirname "$0")/locations.sh"
location=$(location_for "${EDGE_COUNTRY:-}")
[ -n "$location" ] || { echo "no Hetzner location in country '$EDGE_COUNTRY': set HCLOUD_LOCATION in hooks.environment" >&2; exit 1; }
case $location in
  fsn1 | nbg1 | hel1) type=${HCLOUD_SERVER_TYPE:-cx23} ;;
  *) type=${HCLOUD_SERVER_TYPE:-cpx11} ;;
esac

# The server named $EDGE_NAME as the API describes it, or nothing. A failing hcloud (no token, no
# network) fails the hook: only an answer without the server means "not there".
server_named() { hcloud server list -o json | jq -c --arg n "$EDGE_NAME" '(. // [])[] | select(.name == $n)'; }

server=$(server_named)
if [ -z "$server" ]; then
  # hcloud prints progress on stdout: keep stdout for the JSON the sidecar reads.
  hcloud server create --name "$EDGE_NAME" --location "$location" --type "$type" \
    --image "${HCLOUD_IMAGE:-debian-12}" --ssh-key "$HCLOUD_SSH_KEY" --label role=geodns-edge >&2
  server=$(server_named)
fi

# Hetzner gives each server a /64; the sidecar wants one address: ::1 in it. The location is the
# server's own since the API dropped "datacenter" (July 2026); older answers had it only there.
jq -c --arg name "$EDGE_NAME" '(.location // .datacenter.location) as $at | {
  name: $name,
  ipv4: .public_net.ipv4.ip,
  ipv6: ((.public_net.ipv6.ip // "") | if . == "" then null else sub("/[0-9]+$"; "") + "1" end),
  latitude: $at.latitude,
  longitude: $at.longitude,
  country: $at.country
}' <<<"$server"
