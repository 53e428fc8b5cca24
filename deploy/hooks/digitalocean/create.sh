#!/usr/bin/env bash
# DigitalOcean, create: makes the droplet $EDGE_NAME, or finds it when it exists already (the
# sidecar runs this again after a crash; the name is its idempotency key). Prints the edge's JSON.
#
# Needs: doctl (https://docs.digitalocean.com/reference/doctl/) authenticated, and jq.
# In:  EDGE_NAME; EDGE_REPLACES and EDGE_COUNTRY (the edge being replaced); DO_SSH_KEY (key id or
#      fingerprint); DO_REGION (instead of the country's: a region slug, e.g. fra1, ams3, nyc3),
#      DO_SIZE (default s-1vcpu-1gb), DO_IMAGE (default debian-12-x64).
set -euo pipefail
: "${EDGE_NAME:?}" "${DO_SSH_KEY:?id or fingerprint of an SSH key in your DigitalOcean account}"

# The replacement goes where the replaced edge was (EDGE_COUNTRY), unless DO_REGION says otherwise
# (the table is locations.sh, which countries.sh prints).
. "$(dirname "$0")/locations.sh"
region=$(region_for "${EDGE_COUNTRY:-}")
[ -n "$region" ] || { echo "no DigitalOcean region in country '$EDGE_COUNTRY': set DO_REGION in hooks.environment" >&2; exit 1; }

# The droplet named $EDGE_NAME, or nothing; a failing doctl fails the hook. `list NAME` matches
# names as a glob, and edge names have no glob characters.
droplet_named() { doctl compute droplet list "$EDGE_NAME" -o json | jq -c --arg n "$EDGE_NAME" '(. // [])[] | select(.name == $n)'; }

droplet=$(droplet_named)
if [ -z "$droplet" ]; then
  doctl compute droplet create "$EDGE_NAME" --region "$region" --size "${DO_SIZE:-s-1vcpu-1gb}" \
    --image "${DO_IMAGE:-debian-12-x64}" --ssh-keys "$DO_SSH_KEY" --enable-ipv6 --tag-name geodns-edge --wait >&2
  droplet=$(droplet_named)
fi

# Where its region is: the city's coordinates (locations.sh).
jq -c --arg name "$EDGE_NAME" --argjson at "$(place_of "$(jq -r '.region.slug // ""' <<<"$droplet")")" '{
  name: $name,
  ipv4: ([.networks.v4[] | select(.type == "public") | .ip_address][0]),
  ipv6: ([.networks.v6[]? | select(.type == "public") | .ip_address][0]),
  latitude: $at[0],
  longitude: $at[1],
  country: $at[2]
}' <<<"$droplet"
