#!/usr/bin/env bash
# DigitalOcean, countries: the ISO 3166 codes create.sh buys a droplet in, one a line (hooks.countries:
# the sidecar checks the config's countries against them before buying anything). Buys nothing, asks
# no API: it reads the table create.sh reads.
#
# In:  DO_REGION (optional: then its country alone).
set -euo pipefail
. "$(dirname "$0")/locations.sh"
countries
