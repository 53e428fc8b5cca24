#!/usr/bin/env bash
# DigitalOcean, destroy: deletes the droplet $EDGE_NAME and forgets its pinned SSH host key
# (../edge-ssh.sh). Succeeds when it is gone already (the sidecar may run this again after a crash).
#
# In:  EDGE_NAME, EDGE_KNOWN_HOSTS, EDGE_IPV4 (checked, so a reused name never deletes the wrong droplet).
set -euo pipefail
: "${EDGE_NAME:?}"
. "$(dirname "$0")/../edge-ssh.sh"
actual=$(doctl compute droplet list "$EDGE_NAME" -o json |
  jq -r --arg n "$EDGE_NAME" '(. // [])[] | select(.name == $n) | [.networks.v4[] | select(.type == "public") | .ip_address][0]')
edge_destroy "$actual" doctl compute droplet delete "$EDGE_NAME" --force
