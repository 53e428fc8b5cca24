#!/usr/bin/env bash
# Local provider, provision: a real one copies $EDGE_WG_CONF and $EDGE_NGINX_CONF to the VPS and
# starts WireGuard and nginx (see ../hetzner/provision.sh). Here the files are kept beside the
# listener, checked with wg-quick and nginx when those are installed, and that is all.
#
# In:  EDGE_NAME, EDGE_IPV4, EDGE_WG_CONF, EDGE_NGINX_CONF, LOCAL_EDGE_STATE;
#      LOCAL_PROVISION_FAIL=1 makes it fail (for tests of a failing hook).
set -euo pipefail
: "${EDGE_NAME:?}" "${EDGE_WG_CONF:?}" "${EDGE_NGINX_CONF:?}" "${LOCAL_EDGE_STATE:?}"
if [ "${LOCAL_PROVISION_FAIL:-}" = 1 ]; then
  echo "provision of $EDGE_NAME failed (LOCAL_PROVISION_FAIL=1)" >&2
  exit 1
fi
mkdir -p "$LOCAL_EDGE_STATE/$EDGE_NAME"
install -m 600 "$EDGE_WG_CONF" "$LOCAL_EDGE_STATE/$EDGE_NAME/wg0.conf"
install -m 600 "$EDGE_NGINX_CONF" "$LOCAL_EDGE_STATE/$EDGE_NAME/nginx.conf"
if command -v wg-quick >/dev/null 2>&1; then
  wg-quick strip "$LOCAL_EDGE_STATE/$EDGE_NAME/wg0.conf" >/dev/null
fi
echo "$EDGE_NAME $EDGE_IPV4" >>"$LOCAL_EDGE_STATE/provisioned.log"
