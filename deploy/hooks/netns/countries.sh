#!/usr/bin/env bash
# Network-namespace provider, countries: the ISO 3166 codes create.sh makes a "VPS" in, one a line
# (hooks.countries). Makes nothing and needs no root: it reads the table create.sh reads.
set -euo pipefail
. "$(dirname "$0")/locations.sh"
countries
