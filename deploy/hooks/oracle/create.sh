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
. "$(dirname "$0")/locations.sh"

# Where the region is: its city's coordinates and country (locations.sh, which countries.sh reads too).
at=$(place_of "$region")
[ "$at" != null ] || { echo "Oracle Cloud region '$region' is not in oracle/locations.sh's table: add its city there" >&2; exit 1; }
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
