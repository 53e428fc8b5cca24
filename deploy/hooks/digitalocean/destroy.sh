#!/usr/bin/env bash
# DigitalOcean, destroy: deletes the droplet $EDGE_NAME. Succeeds when it is gone already (the
# sidecar may run this again after a crash).
#
# In:  EDGE_NAME, EDGE_IPV4 (checked, so a reused name never deletes the wrong droplet).
set -euo pipefail
: "${EDGE_NAME:?}"
if ! droplet=$(doctl compute droplet get "$EDGE_NAME" -o json 2>/dev/null); then
  echo "$EDGE_NAME is gone already" >&2
  exit 0
fi
actual=$(jq -r '[.[0].networks.v4[] | select(.type == "public") | .ip_address][0]' <<<"$droplet")
if [ -n "${EDGE_IPV4:-}" ] && [ "$actual" != "$EDGE_IPV4" ]; then
  echo "refusing: $EDGE_NAME has $actual, not $EDGE_IPV4" >&2
  exit 1
fi
doctl compute droplet delete "$EDGE_NAME" --force >&2
