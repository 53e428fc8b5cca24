#!/usr/bin/env bash
# Hetzner Cloud, destroy: deletes the server $EDGE_NAME. Succeeds when it is gone already (the
# sidecar may run this again after a crash).
#
# The edge's pinned SSH host key leaves the sidecar's known_hosts with it (../edge-ssh.sh).
#
# In:  EDGE_NAME, EDGE_KNOWN_HOSTS, EDGE_IPV4 (checked, so a reused name never deletes the wrong server).
set -euo pipefail
: "${EDGE_NAME:?}"
. "$(dirname "$0")/../edge-ssh.sh"
if ! server=$(hcloud server describe "$EDGE_NAME" -o json 2>/dev/null); then
  echo "$EDGE_NAME is gone already" >&2
  edge_forget
  exit 0
fi
actual=$(jq -r '.public_net.ipv4.ip' <<<"$server")
if [ -n "${EDGE_IPV4:-}" ] && [ "$actual" != "$EDGE_IPV4" ]; then
  echo "refusing: $EDGE_NAME has $actual, not $EDGE_IPV4" >&2
  exit 1
fi
hcloud server delete "$EDGE_NAME" >&2
edge_forget
