#!/usr/bin/env bash
# Any ssh-reachable edge, tighten (every provider's tighten.sh runs this one): run by the sidecar while it
# judges the edge flooded (policy "tighten"), again every ~30 s while the verdict holds. The edge's own
# geodns-edge-tighten (deploy/edge/, installed by edge-provision.sh) bans ATTACK_SOURCES on 80 and 443 for
# ATTACK_BAN_SECONDS, blocks ATTACK_COUNTRIES from the CIDR lists in /etc/geodns-edge/countries, and turns on
# the stricter nginx limits for as long; each run extends the time, and the edge loosens by itself once
# it is up, even if the home never calls again. Through the tunnel: once provisioned, an edge takes SSH
# from the home's tunnel only, and its host key is the one pinned at provision (edge-ssh.sh).
#
# In:  EDGE_NAME, EDGE_TUNNEL, EDGE_KNOWN_HOSTS, ATTACK_BAN_SECONDS, ATTACK_SOURCES (space-separated
#      addresses, maybe none), ATTACK_COUNTRIES (space-separated ISO 3166 codes, maybe none);
#      EDGE_SSH_USER (default root).
set -euo pipefail
: "${EDGE_NAME:?}" "${EDGE_TUNNEL:?is set by the sidecar: the tunnel address of the edge}" "${ATTACK_BAN_SECONDS:?}"
. "$(dirname "$0")/edge-ssh.sh"
target=$ssh_user@$EDGE_TUNNEL
# ssh hands the edge's shell one string: every word is quoted for it (printf %q), so nothing the home was
# told runs as a command there; the edge script then refuses anything that is not an address.
read -ra sources <<<"${ATTACK_SOURCES:-}"
remote=$(printf '%q ' env "TIGHTEN_COUNTRIES=${ATTACK_COUNTRIES:-}" /usr/local/sbin/geodns-edge-tighten /etc/nginx/nginx.conf \
  on "$ATTACK_BAN_SECONDS" "${sources[@]}")
# shellcheck disable=SC2029 # expanded here on purpose: $remote is quoted for the edge's shell above
ssh "${ssh_opts[@]}" "$target" "$remote"
