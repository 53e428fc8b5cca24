#!/usr/bin/env bash
# Oracle Cloud, countries: the ISO 3166 code create.sh launches an instance in (hooks.countries: the
# sidecar checks the config's countries against it before buying anything): its region's, the home
# region's unless OCI_REGION names another, as free tier VMs run only there. Buys nothing; asks oci
# which region is home, as create.sh does.
#
# Needs: oci configured, and jq. In: OCI_COMPARTMENT_ID; OCI_REGION (optional).
set -euo pipefail
. "$(dirname "$0")/oci.sh"
. "$(dirname "$0")/locations.sh"
countries
