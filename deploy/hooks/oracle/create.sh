#!/usr/bin/env bash
# Oracle Cloud (the free tier's Ampere or AMD micro VM), create: launches the instance $EDGE_NAME,
# or finds it when it exists already (the sidecar runs this again after a crash; the display name is
# its idempotency key). Prints the edge's JSON.
#
# Needs: oci (https://docs.oracle.com/iaas/Content/API/SDKDocs/cliinstall.htm) configured
# (~/.oci/config, or OCI_CLI_* variables), and jq. The subnet must be public, and its security list
# let in 22/tcp (the first provision), 80/tcp, 443/tcp and 51820/udp from anywhere.
# In:  EDGE_NAME; EDGE_REPLACES and EDGE_COUNTRY (the edge being replaced); OCI_COMPARTMENT_ID,
#      OCI_SUBNET_ID (OCIDs); OCI_IMAGE_ID (OCID of an Ubuntu image built for the shape, e.g.
#      Canonical-Ubuntu-24.04-aarch64 for A1: `oci compute image list --operating-system
#      "Canonical Ubuntu" --shape VM.Standard.A1.Flex`); OCI_SSH_PUBLIC_KEY (a public key file:
#      provision logs in with its private half); OCI_REGION (instead of the home region);
#      OCI_SHAPE (default VM.Standard.A1.Flex, or VM.Standard.E2.1.Micro), OCI_OCPUS (1) and
#      OCI_MEMORY_GB (6) for a Flex shape; OCI_AVAILABILITY_DOMAIN (default the region's first: A1
#      capacity runs out in some, and a launch there fails until it is set to another);
#      OCI_ASSIGN_IPV6 (true when the subnet has an IPv6 prefix; default false).
set -euo pipefail
: "${EDGE_NAME:?}" "${OCI_SUBNET_ID:?OCID of a public subnet}" "${OCI_IMAGE_ID:?OCID of an Ubuntu image}"
: "${OCI_SSH_PUBLIC_KEY:?a public key file: provision logs in with its private half}"
. "$(dirname "$0")/oci.sh"

# Oracle names regions, not coordinates: the data centres' cities.
at=$(jq -cn --arg r "$region" '{
  "eu-frankfurt-1": [50.11, 8.68, "DE"], "eu-amsterdam-1": [52.37, 4.90, "NL"], "uk-london-1": [51.51, -0.13, "GB"],
  "uk-cardiff-1": [51.48, -3.18, "GB"], "eu-paris-1": [48.86, 2.35, "FR"], "eu-marseille-1": [43.30, 5.37, "FR"],
  "eu-milan-1": [45.46, 9.19, "IT"], "eu-madrid-1": [40.42, -3.70, "ES"], "eu-stockholm-1": [59.33, 18.07, "SE"],
  "eu-zurich-1": [47.38, 8.54, "CH"], "il-jerusalem-1": [31.77, 35.21, "IL"], "me-jeddah-1": [21.49, 39.19, "SA"],
  "me-dubai-1": [25.20, 55.27, "AE"], "af-johannesburg-1": [-26.20, 28.05, "ZA"], "us-ashburn-1": [39.04, -77.49, "US"],
  "us-phoenix-1": [33.45, -112.07, "US"], "us-sanjose-1": [37.34, -121.89, "US"], "us-chicago-1": [41.88, -87.63, "US"],
  "ca-toronto-1": [43.65, -79.38, "CA"], "ca-montreal-1": [45.50, -73.57, "CA"], "mx-queretaro-1": [20.59, -100.39, "MX"],
  "mx-monterrey-1": [25.69, -100.32, "MX"], "sa-saopaulo-1": [-23.55, -46.63, "BR"], "sa-vinhedo-1": [-23.03, -46.98, "BR"],
  "sa-santiago-1": [-33.45, -70.67, "CL"], "ap-tokyo-1": [35.68, 139.69, "JP"], "ap-osaka-1": [34.69, 135.50, "JP"],
  "ap-seoul-1": [37.57, 126.98, "KR"], "ap-chuncheon-1": [37.88, 127.73, "KR"], "ap-singapore-1": [1.35, 103.82, "SG"],
  "ap-mumbai-1": [19.08, 72.88, "IN"], "ap-hyderabad-1": [17.39, 78.49, "IN"], "ap-sydney-1": [-33.87, 151.21, "AU"],
  "ap-melbourne-1": [-37.81, 144.96, "AU"]
}[$r] // empty')
[ -n "$at" ] || { echo "Oracle Cloud region '$region' is not in oracle/create.sh's table: add its city there" >&2; exit 1; }
# A free tier VM can live only in the home region: a country it is not in stops the rotation
# (with this message in `status`) rather than buying a VPS on another continent.
country=$(jq -r '.[2]' <<<"$at")
if [ -z "${OCI_REGION:-}" ] && [ -n "${EDGE_COUNTRY:-}" ] && [ "$country" != "$EDGE_COUNTRY" ]; then
  echo "no Oracle Cloud region in country '$EDGE_COUNTRY' (the home region $region is in $country; free tier VMs run only there): set OCI_REGION in hooks.environment" >&2
  exit 1
fi

instance=$(instance_named)
if [ -z "$instance" ]; then
  shape=${OCI_SHAPE:-VM.Standard.A1.Flex}
  flex=()
  [[ $shape != *.Flex ]] || flex=(--shape-config "{\"ocpus\": ${OCI_OCPUS:-1}, \"memoryInGBs\": ${OCI_MEMORY_GB:-6}}")
  ad=${OCI_AVAILABILITY_DOMAIN:-$(oci iam availability-domain list --region "$region" --compartment-id "$OCI_COMPARTMENT_ID" | jq -r '.data[0].name')}
  # Oracle's images let the cloud user (ubuntu) in and turn root away; the provision hook logs in
  # as root, as on the other providers: cloud-init gives root the same key.
  user_data=$(mktemp)
  trap 'rm -f "$user_data"' EXIT
  printf '#cloud-config\ndisable_root: false\n' >"$user_data"
  oci compute instance launch --region "$region" --compartment-id "$OCI_COMPARTMENT_ID" --availability-domain "$ad" \
    --shape "$shape" "${flex[@]}" --image-id "$OCI_IMAGE_ID" --subnet-id "$OCI_SUBNET_ID" --display-name "$EDGE_NAME" \
    --assign-public-ip true --assign-ipv6ip "${OCI_ASSIGN_IPV6:-false}" --ssh-authorized-keys-file "$OCI_SSH_PUBLIC_KEY" \
    --user-data-file "$user_data" --freeform-tags '{"role": "geodns-edge"}' --wait-for-state RUNNING >/dev/null
  instance=$(instance_named)
fi

primary_vnic "$(jq -r .id <<<"$instance")" | jq -c --arg name "$EDGE_NAME" --argjson at "$at" '{
  name: $name,
  ipv4: ."public-ip",
  ipv6: ((."ipv6-addresses" // [])[0]),
  latitude: $at[0],
  longitude: $at[1],
  country: $at[2]
}'
