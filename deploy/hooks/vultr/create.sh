#!/usr/bin/env bash
# Vultr, create: makes the instance labelled $EDGE_NAME, or finds it when it exists already (the
# sidecar runs this again after a crash; the label is its idempotency key). Prints the edge's JSON.
#
# Needs: vultr-cli (https://github.com/vultr/vultr-cli) with VULTR_API_KEY, and jq.
# In:  EDGE_NAME; EDGE_REPLACES and EDGE_COUNTRY (the edge being replaced); VULTR_SSH_KEY (id of an
#      SSH key in the account: `vultr-cli ssh-key list`); VULTR_REGION (instead of the country's:
#      a region id, `vultr-cli regions list`), VULTR_PLAN (default vc2-1c-1gb), VULTR_OS (default
#      2136, Debian 12 x64: `vultr-cli os list`).
set -euo pipefail
: "${EDGE_NAME:?}" "${VULTR_SSH_KEY:?id of an SSH key in your Vultr account}"

# The replacement goes where the replaced edge was (EDGE_COUNTRY), unless VULTR_REGION says otherwise
# (the table is locations.sh, which countries.sh prints).
. "$(dirname "$0")/locations.sh"
region=$(region_for "${EDGE_COUNTRY:-}")
[ -n "$region" ] || { echo "no Vultr region in country '$EDGE_COUNTRY': set VULTR_REGION in hooks.environment" >&2; exit 1; }

# The instance labelled $EDGE_NAME, or nothing; a failing vultr-cli fails the hook. The list is
# read whole (500 is the most a page holds), since the CLI filters on nothing.
instance_named() {
  vultr-cli instance list --per-page 500 --output json | jq -c --arg n "$EDGE_NAME" '(.instances // [])[] | select(.label == $n)'
}

instance=$(instance_named)
if [ -z "$instance" ]; then
  # Its answer holds the root password: not kept, not shown (provision logs in with the key).
  vultr-cli instance create --region "$region" --plan "${VULTR_PLAN:-vc2-1c-1gb}" --os "${VULTR_OS:-2136}" \
    --label "$EDGE_NAME" --host "$EDGE_NAME" --ssh-keys "$VULTR_SSH_KEY" --ipv6 --tags geodns-edge --output json >/dev/null
  instance=$(instance_named)
fi
# A new instance is "pending", at 0.0.0.0, until Vultr has installed it: wait for its addresses.
id=$(jq -r .id <<<"$instance")
for _ in $(seq 1 60); do
  jq -e '.status == "active" and .main_ip != "0.0.0.0"' <<<"$instance" >/dev/null && break
  sleep 5
  instance=$(vultr-cli instance get "$id" --output json | jq -c .instance)
done
jq -e '.status == "active"' <<<"$instance" >/dev/null || { echo "$EDGE_NAME: still $(jq -r .status <<<"$instance") after 5 minutes" >&2; exit 1; }

# Where its region is: the city's coordinates (locations.sh).
jq -c --arg name "$EDGE_NAME" --argjson at "$(place_of "$(jq -r '.region // ""' <<<"$instance")")" '{
  name: $name,
  ipv4: .main_ip,
  ipv6: (if (.v6_main_ip // "") == "" then null else .v6_main_ip end),
  latitude: $at[0],
  longitude: $at[1],
  country: $at[2]
}' <<<"$instance"
