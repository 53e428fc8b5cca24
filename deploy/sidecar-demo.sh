#!/usr/bin/env bash
# The sidecar replacing an edge, on loopback only: two nameservers, two "edges" from the local
# provider (deploy/hooks/local: a TCP listener per VPS), `keys`, `rotate edge-2`, and both
# nameservers answering with the new edge. docs/operations.md's "Try it on loopback", in one go,
# with its configs (deploy/hooks/local/*.json) adjusted for a quick drain.
# Runs beside anything else on the machine (the README's server on 127.0.0.1:5353 and :8053, another
# run of this demo): free ports of its own, and all its state in a fresh directory that goes with it,
# so it runs again and again (the README's fixed data/sidecar remembers edge-2 as retired).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
servers=()
cleanup() {
  local status=$?
  for pid in "$work"/local-edges/*.pid; do [ -f "$pid" ] && kill "$(cat "$pid")" 2>/dev/null; done
  kill "${servers[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
  if [ "$status" -ne 0 ]; then
    # The logs are the one clue to why: kept, and their ends shown.
    for log in "$work"/*.log; do [ -s "$log" ] && { echo "--- $log ends:" >&2; tail -n 20 "$log" >&2; }; done
    echo "demo failed; its files are kept in $work" >&2
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

command -v dig >/dev/null || { echo "demo needs dig (apt-get install bind9-dnsutils)"; exit 1; }
command -v python3 >/dev/null || { echo "demo needs python3 to pick free ports"; exit 1; }
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
free_port() { "$(dirname "$0")/free-port" "$1"; }
dns1=$(free_port 127.0.0.1); dns2=$(free_port 127.0.0.1)
admin1=$(free_port 127.0.0.1); admin2=$(free_port 127.0.0.1); control=$(free_port 127.0.0.1)
edge_port=$(free_port 127.77.0.11)
answer() { dig +short +tries=1 +time=1 @127.0.0.1 -p "$1" app.example.com A | grep -E '^[0-9.]+$' | sort | tr '\n' ' ' | sed 's/ $//' || true; }
# Polls until nameserver PORT answers WANT, at most 60 s.
wait_answer() {
  for _ in $(seq 120); do [ "$(answer "$1")" = "$2" ] && return 0; sleep 0.5; done
  echo "127.0.0.1:$1 answers '$(answer "$1")', not '$2', after 60 s" >&2
  return 1
}

say "building GeoDns.Server and GeoDns.Sidecar"
deploy/publish.sh --framework-dependent "$work/bin" >"$work/publish.log" 2>&1 || { echo "publish failed" >&2; exit 1; }
S=$work/bin/sidecar/GeoDns.Sidecar
G=$work/bin/server/GeoDns.Server

# The demo's configs, with this run's ports and directory, and a pool TTL and drain of seconds.
for ns in 1 2; do
  sed -e "s|127.0.0.1:5353|127.0.0.1:$dns1|; s|127.0.0.1:5354|127.0.0.1:$dns2|" \
      -e "s|127.0.0.1:8053|127.0.0.1:$admin1|; s|127.0.0.1:8063|127.0.0.1:$admin2|" \
      -e "s|\"data/ns$ns\"|\"$work/ns$ns\"|; s|\"port\": 8443|\"port\": $edge_port|; s|\"ttl\": 20|\"ttl\": 2|" \
      "deploy/hooks/local/geodns-ns$ns.json" >"$work/geodns-ns$ns.json"
done
sed -e "s|http://127.0.0.1:8053|http://127.0.0.1:$admin1|; s|http://127.0.0.1:8063|http://127.0.0.1:$admin2|" \
    -e "s|\"data/sidecar/local-edges\"|\"$work/local-edges\"|; s|\"data/sidecar/wireguard\"|\"$work/sidecar/wireguard\"|; s|\"data/sidecar\"|\"$work/sidecar\"|" \
    -e "s|\"EDGE_PORT\": \"8443\"|\"EDGE_PORT\": \"$edge_port\"|; s|127.0.0.1:8054|127.0.0.1:$control|" \
    -e "s|\"drainPeriod\": \"60s\"|\"drainPeriod\": \"6s\"|; s|\"poolTtl\": \"20s\"|\"poolTtl\": \"2s\"|; s|\"drainMargin\": \"30s\"|\"drainMargin\": \"3s\"|" \
    deploy/hooks/local/sidecar.json >"$work/sidecar.json"

say "two nameservers: DNS 127.0.0.1:$dns1 and :$dns2, admin :$admin1 and :$admin2"
"$G" --config "$work/geodns-ns1.json" >"$work/ns1.log" 2>&1 & servers+=($!)
"$G" --config "$work/geodns-ns2.json" >"$work/ns2.log" 2>&1 & servers+=($!)
say "the edges that exist already: edge-1 127.77.0.11, edge-2 127.77.0.12 (port $edge_port)"
for i in 1 2; do
  EDGE_NAME=edge-$i LOCAL_EDGE_ADDRESS=127.77.0.1$i EDGE_PORT=$edge_port \
    LOCAL_EDGE_STATE=$work/local-edges GEODNS_SIDECAR=$S deploy/hooks/local/create.sh >/dev/null
done
wait_answer "$dns1" "127.77.0.11 127.77.0.12"
wait_answer "$dns2" "127.77.0.11 127.77.0.12"
echo "app.example.com: $(answer "$dns1")"

say "sidecar keys: home and edge WireGuard and nginx configs"
"$S" --config "$work/sidecar.json" keys
say "sidecar rotate edge-2: create, provision, add, wait Up, drain (6 s here), destroy"
timeout 180 "$S" --config "$work/sidecar.json" rotate edge-2 | tee "$work/rotate.log"
wait_answer "$dns1" "127.77.0.100 127.77.0.11"
wait_answer "$dns2" "127.77.0.100 127.77.0.11"
echo "app.example.com on both nameservers: $(answer "$dns1")"
say "sidecar status"
"$S" --config "$work/sidecar.json" status
say "done: stopping everything"
