#!/usr/bin/env bash
# Hetzner Cloud, destroy: deletes the server $EDGE_NAME and forgets its pinned SSH host key
# (../edge-ssh.sh). Succeeds when it is gone already (the sidecar may run this again after a crash).
#
# In:  EDGE_NAME, EDGE_KNOWN_HOSTS, EDGE_IPV4 (checked, so a reused name never deletes the wrong server).
set -euo pipefail
: "${EDGE_NAME:?}"
. "$(dirname "$0")/../edge-ssh.sh"
actual=$(hcloud server list -o json | jq -r --arg n "$EDGE_NAME" '(. // [])[] | select(.name == $n) | .public_net.ipv4.ip')
edge_destroy "$actual" hcloud server delete "$EDGE_NAME"
