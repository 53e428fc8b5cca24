#!/usr/bin/env bash
# Vultr, destroy: deletes the instance labelled $EDGE_NAME and forgets its pinned SSH host key
# (../edge-ssh.sh). Succeeds when it is gone already (the sidecar may run this again after a crash).
#
# In:  EDGE_NAME, EDGE_KNOWN_HOSTS, EDGE_IPV4 (checked, so a reused label never deletes the wrong instance).
set -euo pipefail
: "${EDGE_NAME:?}"
. "$(dirname "$0")/../edge-ssh.sh"
instance=$(vultr-cli instance list --per-page 500 --output json |
  jq -c --arg n "$EDGE_NAME" '[(.instances // [])[] | select(.label == $n)][0] // {}')
edge_destroy "$(jq -r '.main_ip // empty' <<<"$instance")" vultr-cli instance delete "$(jq -r '.id // empty' <<<"$instance")"
