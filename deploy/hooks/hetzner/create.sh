#!/usr/bin/env bash
# Hetzner Cloud, create: makes the server $EDGE_NAME, or finds it when it exists already (the
# sidecar runs this again after a crash; the name is its idempotency key). Prints the edge's JSON.
#
# Needs: hcloud (https://github.com/hetznercloud/cli) with a context or HCLOUD_TOKEN, and jq.
# In:  EDGE_NAME; EDGE_REPLACES and EDGE_COUNTRY (the edge being replaced: pick a location near it);
#      HCLOUD_LOCATION (default fsn1), HCLOUD_SERVER_TYPE (default cx22), HCLOUD_IMAGE (default
#      debian-12), HCLOUD_SSH_KEY (name of an SSH key in the project: provision logs in with it).
set -euo pipefail
: "${EDGE_NAME:?}" "${HCLOUD_SSH_KEY:?name of an SSH key in your Hetzner project}"
# The replacement goes where the replaced edge was: EDGE_COUNTRY picks the location, unless
# HCLOUD_LOCATION says otherwise. A country Hetzner has no location in stops the rotation (with
# this message in `status`) rather than buying a VPS on another continent.
case "${HCLOUD_LOCATION:-}:${EDGE_COUNTRY:-}" in
  :DE|:) location=fsn1 ;;
  :FI) location=hel1 ;;
  :US) location=${HCLOUD_US_LOCATION:-ash} ;;
  :SG) location=sin ;;
  :*) echo "no Hetzner location in country '$EDGE_COUNTRY': set HCLOUD_LOCATION in hooks.environment" >&2; exit 1 ;;
  *) location=$HCLOUD_LOCATION ;;
esac

if ! hcloud server describe "$EDGE_NAME" >/dev/null 2>&1; then
  # hcloud prints progress on stdout: keep stdout for the JSON the sidecar reads.
  hcloud server create --name "$EDGE_NAME" --location "$location" \
    --type "${HCLOUD_SERVER_TYPE:-cx22}" --image "${HCLOUD_IMAGE:-debian-12}" \
    --ssh-key "$HCLOUD_SSH_KEY" --label role=geodns-edge >&2
fi

server=$(hcloud server describe "$EDGE_NAME" -o json)
# Hetzner gives each server a /64; the sidecar wants one address: ::1 in it.
ipv6_net=$(jq -r '.public_net.ipv6.ip // empty' <<<"$server")
jq -n --arg name "$EDGE_NAME" --arg ipv6 "${ipv6_net:+${ipv6_net%/*}1}" --argjson server "$server" '{
  name: $name,
  ipv4: $server.public_net.ipv4.ip,
  ipv6: (if $ipv6 == "" then null else $ipv6 end),
  latitude: $server.datacenter.location.latitude,
  longitude: $server.datacenter.location.longitude,
  country: $server.datacenter.location.country
}'
