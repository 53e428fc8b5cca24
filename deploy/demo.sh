#!/usr/bin/env bash
# The whole idea in one minute, on loopback only: GeoDns with three stand-in edges, an edge dies
# and leaves the DNS answer within seconds, comes back, and everything stops. Bounded in time.
# Runs beside anything else on the machine (the README's own server on 127.0.0.1:5353 and :8053, another
# demo): its own free port for DNS, no admin endpoint, its own fresh data directory each run.
set -euo pipefail
cd "$(dirname "$0")/.."
edges=(127.0.30.11 127.0.30.12 127.0.30.13)
work=$(mktemp -d)
pids=()
cleanup() {
  local status=$?
  kill "${pids[@]}" ${server:-} 2>/dev/null || true
  wait 2>/dev/null || true
  if [ "$status" -ne 0 ] && [ -s "$work/server.log" ]; then
    # What the server said is the one clue to why: kept, and its end shown.
    echo "demo failed; the server's log ($work/server.log) ends:" >&2
    tail -n 30 "$work/server.log" >&2
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

command -v dig >/dev/null || { echo "demo needs dig (apt-get install bind9-dnsutils)"; exit 1; }
command -v python3 >/dev/null || { echo "demo needs python3 for its stand-in edges"; exit 1; }
free_port() { "$(dirname "$0")/free-port" "$1"; }
port=$(free_port 127.0.0.1)
edge_port=$(free_port "${edges[0]}")
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
answer() { dig +short +tries=1 +time=1 @127.0.0.1 -p "$port" app.example.com A | grep -E '^[0-9.]+$' | sort | tr '\n' ' ' || true; }
start_edge() { python3 bench/edge.py "${edges[$1]}" "$edge_port" & pids[$1]=$!; }

say "building GeoDns (Release)"
dotnet publish src/GeoDns.Server -c Release -o "$work/bin" --nologo -v q >"$work/publish.log" || { cat "$work/publish.log" >&2; exit 1; }

say "three edges: ${edges[*]} (TCP listeners on port $edge_port, as nginx would be on 443)"
for i in 0 1 2; do start_edge $i; done
cat > "$work/geodns.json" <<JSON
{ "pools": [{ "name": "app.example.com", "ttl": 20, "probe": { "port": $edge_port },
  "edges": [ { "name": "edge-fra", "ipv4": "${edges[0]}" }, { "name": "edge-sgp", "ipv4": "${edges[1]}" }, { "name": "edge-nyc", "ipv4": "${edges[2]}" } ] }] }
JSON
"$work/bin/GeoDns.Server" --zones zones --listen "127.0.0.1:$port" --admin off --config "$work/geodns.json" --data "$work/data" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do
  [ -n "$(answer)" ] && break
  kill -0 "$server" 2>/dev/null || { echo "the server stopped" >&2; exit 1; }
  sleep 0.2
done
[ -n "$(answer)" ] || { echo "the server answers no app.example.com after 20 s" >&2; exit 1; }

say "dig @127.0.0.1 -p $port app.example.com A"
dig @127.0.0.1 -p $port app.example.com A +noall +answer
say "dig @127.0.0.1 -p $port www.example.com A (a plain zone-file name)"
dig @127.0.0.1 -p $port www.example.com A +noall +answer

say "stopping edge-sgp (${edges[1]}), polling the answer every 0.2 s"
kill "${pids[1]}"; start=$(date +%s.%N)
for _ in $(seq 100); do
  now=$(answer); printf '  %5.1f s  %s\n' "$(awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN {print a - b}')" "$now"
  grep -qw "${edges[1]}" <<<"$now" || break
  sleep 0.2
done
grep -qw "${edges[1]}" <<<"$(answer)" && { echo "edge-sgp is still in the answer after 20 s" >&2; exit 1; }

say "restarting edge-sgp: back after two good probes"
start_edge 1; start=$(date +%s.%N)
for _ in $(seq 100); do
  now=$(answer)
  grep -qw "${edges[1]}" <<<"$now" && { printf '  %5.1f s  %s\n' "$(awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN {print a - b}')" "$now"; break; }
  sleep 0.2
done
grep -qw "${edges[1]}" <<<"$(answer)" || { echo "edge-sgp is not back in the answer after 20 s" >&2; exit 1; }

say "what the server logged"
grep -E "Health|Pool" "$work/server.log" | cut -c1-150
say "done: stopping everything"
