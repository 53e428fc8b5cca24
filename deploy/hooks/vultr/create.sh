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

# The replacement goes where the replaced edge was (EDGE_COUNTRY), unless VULTR_REGION says otherwise.
case "${VULTR_REGION:-}:${EDGE_COUNTRY:-}" in
  :DE | :) region=fra ;;
  :NL) region=ams ;;
  :GB) region=lhr ;;
  :FR) region=cdg ;;
  :ES) region=mad ;;
  :PL) region=waw ;;
  :SE) region=sto ;;
  :IL) region=tlv ;;
  :US) region=${VULTR_US_REGION:-ewr} ;;
  :CA) region=yto ;;
  :MX) region=mex ;;
  :BR) region=sao ;;
  :CL) region=scl ;;
  :SG) region=sgp ;;
  :JP) region=nrt ;;
  :KR) region=icn ;;
  :IN) region=bom ;;
  :AU) region=syd ;;
  :ZA) region=jnb ;;
  :*) echo "no Vultr region in country '$EDGE_COUNTRY': set VULTR_REGION in hooks.environment" >&2; exit 1 ;;
  *) region=$VULTR_REGION ;;
esac

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

# Vultr names regions, not coordinates: the data centres' cities.
jq -c --arg name "$EDGE_NAME" '{
  "ams": [52.37, 4.90, "NL"], "atl": [33.75, -84.39, "US"], "bom": [19.08, 72.88, "IN"], "blr": [12.97, 77.59, "IN"],
  "cdg": [48.86, 2.35, "FR"], "del": [28.61, 77.21, "IN"], "dfw": [32.78, -96.80, "US"], "ewr": [40.74, -74.17, "US"],
  "fra": [50.11, 8.68, "DE"], "hnl": [21.31, -157.86, "US"], "icn": [37.57, 126.98, "KR"], "itm": [34.69, 135.50, "JP"],
  "jnb": [-26.20, 28.05, "ZA"], "lax": [34.05, -118.24, "US"], "lhr": [51.51, -0.13, "GB"], "mad": [40.42, -3.70, "ES"],
  "man": [53.48, -2.24, "GB"], "mel": [-37.81, 144.96, "AU"], "mex": [19.43, -99.13, "MX"], "mia": [25.76, -80.19, "US"],
  "nrt": [35.68, 139.69, "JP"], "ord": [41.88, -87.63, "US"], "sao": [-23.55, -46.63, "BR"], "scl": [-33.45, -70.67, "CL"],
  "sea": [47.61, -122.33, "US"], "sgp": [1.35, 103.82, "SG"], "sjc": [37.34, -121.89, "US"], "sto": [59.33, 18.07, "SE"],
  "syd": [-33.87, 151.21, "AU"], "tlv": [32.09, 34.78, "IL"], "waw": [52.23, 21.01, "PL"], "yto": [43.65, -79.38, "CA"]
}[.region] as $at | {
  name: $name,
  ipv4: .main_ip,
  ipv6: (if (.v6_main_ip // "") == "" then null else .v6_main_ip end),
  latitude: $at[0],
  longitude: $at[1],
  country: $at[2]
}' <<<"$instance"
