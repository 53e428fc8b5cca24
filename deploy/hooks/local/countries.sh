#!/usr/bin/env bash
# Local provider, countries: the ISO 3166 codes create.sh makes a "VPS" in, one a line
# (hooks.countries): every one, or LOCAL_EDGE_COUNTRIES (space-separated). Makes nothing.
set -euo pipefail
. "$(dirname "$0")/locations.sh"
countries
