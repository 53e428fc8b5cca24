#!/usr/bin/env bash
# DigitalOcean, certificate: the same over ssh as ../hetzner/certificate.sh.
set -euo pipefail
exec "$(dirname "$0")/../hetzner/certificate.sh"
