#!/usr/bin/env bash
# DigitalOcean, provision: the same as Hetzner's, over SSH as root: install WireGuard and nginx,
# copy the rendered configs, start both, pin the host key, close public SSH. Safe to run again.
#
# In:  EDGE_NAME, EDGE_IPV4, EDGE_TUNNEL, EDGE_KNOWN_HOSTS, EDGE_WG_CONF, EDGE_NGINX_CONF; EDGE_SSH_USER, EDGE_CERT_DIR (see ../hetzner/provision.sh).
set -euo pipefail
exec "$(dirname "$0")/../hetzner/provision.sh"
