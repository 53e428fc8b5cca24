#!/usr/bin/env bash
# Oracle Cloud, destroy: terminates the instance $EDGE_NAME with its boot volume (the free tier's
# storage is counted), and forgets its pinned SSH host key (../edge-ssh.sh). Succeeds when it is
# gone already (the sidecar may run this again after a crash).
#
# In:  EDGE_NAME, EDGE_KNOWN_HOSTS, EDGE_IPV4 (checked, so a reused name never deletes the wrong
#      instance); OCI_COMPARTMENT_ID, OCI_REGION (see create.sh).
set -euo pipefail
: "${EDGE_NAME:?}"
. "$(dirname "$0")/../edge-ssh.sh"
. "$(dirname "$0")/oci.sh"
id=$(instance_named | jq -r '.id // empty')
actual=
# An instance without a public address is still there: "none" never matches EDGE_IPV4.
[ -z "$id" ] || actual=$(primary_vnic "$id" | jq -r '."public-ip" // "none"')
edge_destroy "$actual" oci compute instance terminate --region "$region" --instance-id "$id" \
  --preserve-boot-volume false --force --wait-for-state TERMINATED
