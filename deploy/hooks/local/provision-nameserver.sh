#!/usr/bin/env bash
# Local provider, provision a nameserver: what the ssh hooks do on a VPS (apt install of the geodns
# package, its files in /opt/geodns, systemctl restart geodns), on this machine, for tests and demos:
# the package is unpacked (dpkg-deb -x) under LOCAL_EDGE_STATE/NAME/, the nameserver's files copied
# beside it, and its server restarted from them. No WireGuard: with this provider the fleet's
# tunnelNetwork is a loopback block (e.g. 127.0.77.0/24), so the admin's tunnel address is local.
# Run again: the same package is not unpacked twice; the files are replaced whole (a zone file no
# longer given goes) and the server restarted. A server that exits at once fails the hook, as systemd's
# Type=notify unit makes `systemctl restart geodns` fail on a VPS.
# A tunnel address is one VPS's at a time: when `rotate` installs a nameserver's new VPS on the
# tunnel address (EDGE_TUNNEL) an older one holds, the older one keeps answering DNS but loses its
# admin endpoint there (it is restarted with "admin": "off"), as the home's WireGuard peer now
# dials the new VPS and no longer reaches the old one.
#
# In:  EDGE_NAME, NS_FILES, NS_PACKAGE, LOCAL_EDGE_STATE, EDGE_TUNNEL (optional).
set -euo pipefail
: "${EDGE_NAME:?}" "${NS_FILES:?}" "${NS_PACKAGE:?}" "${LOCAL_EDGE_STATE:?}"
dir=$LOCAL_EDGE_STATE/$EDGE_NAME
mkdir -p "$dir/data"
root=$dir/root-$(sha256sum "$NS_PACKAGE" | cut -c1-12)
if [ ! -x "$root/opt/geodns/GeoDns.Server" ]; then
  rm -rf "$root.tmp"
  dpkg-deb -x "$NS_PACKAGE" "$root.tmp"
  mv "$root.tmp" "$root"
fi
rm -rf "$dir/work"
cp -r "$NS_FILES" "$dir/work"
mkdir -p "$dir/work/zones"

# Stops the server of the VPS directory $1, if it runs, and starts it again from its files and package.
restart() {
  if [ -f "$1/server.pid" ]; then
    local old
    old=$(cat "$1/server.pid")
    kill "$old" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$old" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$old" 2>/dev/null || true
  fi
  # The config's paths are relative to its directory, as /opt/geodns is the unit's working directory.
  (cd "$1/work" && exec "$(cat "$1/root")/opt/geodns/GeoDns.Server" --config geodns.json --zones zones --data "$1/data") \
    </dev/null >>"$1/server.log" 2>&1 &
  echo $! >"$1/server.pid"
}

if [ -n "${EDGE_TUNNEL:-}" ]; then
  for other in "$LOCAL_EDGE_STATE"/*/; do
    other=${other%/}
    [ "$other" != "$dir" ] && [ "$(cat "$other/tunnel" 2>/dev/null)" = "$EDGE_TUNNEL" ] || continue
    rm -f "$other/tunnel"
    kill -0 "$(cat "$other/server.pid" 2>/dev/null)" 2>/dev/null || continue
    sed -i 's/"admin": "[^"]*"/"admin": "off"/' "$other/work/geodns.json"
    restart "$other"
  done
  echo "$EDGE_TUNNEL" >"$dir/tunnel"
fi
echo "$root" >"$dir/root"
restart "$dir"
# As `systemctl restart` of the Type=notify unit fails when the server exits while it starts: a server still
# running a second later counts as started, one that exited fails the hook, with the end of its log.
pid=$(cat "$dir/server.pid")
for _ in $(seq 10); do
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "$EDGE_NAME: the server exited as it started: $(tail -n 5 "$dir/server.log" | tr '\n' ' ')" >&2
    exit 1
  fi
  sleep 0.1
done
echo "$EDGE_NAME $(basename "$NS_PACKAGE")" >>"$LOCAL_EDGE_STATE/provisioned-nameservers.log"
