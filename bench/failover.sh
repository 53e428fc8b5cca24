#!/usr/bin/env bash
# How fast a killed edge leaves the answers, and comes back, with the default probe settings.
# Starts the Release server with a pool of three real TCP listeners on loopback, then REPS times:
# kills one at a random moment, polls `dig` every 100 ms until its address is gone (down_s),
# restarts it and polls until it is back (up_s). Loopback only; bounded by MAX_WAIT per phase.
# Usage: bench/failover.sh [reps]        Targets: median down_s <= 3, max <= 6, median up_s <= 11.
set -euo pipefail
cd "$(dirname "$0")/.."
reps=${1:-5}
port=${BENCH_PORT:-5398}
edge_port=18443
max_wait=30
edges=(127.0.10.11 127.0.10.12 127.0.10.13)
work=$(mktemp -d)
pids=()
cleanup() { kill "${pids[@]}" "${server:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

command -v dig >/dev/null || { echo "needs dig (apt-get install bind9-dnsutils)"; exit 1; }
command -v python3 >/dev/null || { echo "needs python3 for the stand-in edges"; exit 1; }

start_edge() { python3 bench/edge.py "${edges[$1]}" $edge_port & pids[$1]=$!; }
stop_edge() { kill "${pids[$1]}"; wait "${pids[$1]}" 2>/dev/null || true; }
answer() { dig +short +tries=1 +time=1 @127.0.0.1 -p $port app.example.com A | grep -E '^[0-9.]+$' | sort | tr '\n' ' ' || true; }
now() { date +%s.%N; }

cat > "$work/geodns.json" <<JSON
{ "pools": [{ "name": "app.example.com", "probe": { "port": $edge_port },
  "edges": [ { "name": "edge-1", "ipv4": "${edges[0]}" }, { "name": "edge-2", "ipv4": "${edges[1]}" }, { "name": "edge-3", "ipv4": "${edges[2]}" } ] }] }
JSON
for i in 0 1 2; do start_edge $i; done
dotnet publish src/GeoDns.Server -c Release -o "$work/bin" --nologo -v q >/dev/null
"$work/bin/GeoDns.Server" --zones zones --listen 127.0.0.1:$port --config "$work/geodns.json" --data "$work/data" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do [ -n "$(answer)" ] && break; sleep 0.2; done
echo "all up:   $(answer)"

downs=(); ups=()
for rep in $(seq "$reps"); do
  victim=$((RANDOM % 3))
  sleep "$(awk -v r=$RANDOM 'BEGIN {printf "%.2f", 1 + r % 500 / 100}')" # a random moment within a probe interval
  t0=$(now); stop_edge $victim
  while answer | grep -qw "${edges[$victim]}"; do sleep 0.1; (( $(awk -v a="$(now)" -v b="$t0" -v m=$max_wait 'BEGIN {print (a - b > m)}') )) && break; done
  down=$(awk -v a="$(now)" -v b="$t0" 'BEGIN {printf "%.1f", a - b}')
  t0=$(now); start_edge $victim
  until answer | grep -qw "${edges[$victim]}"; do sleep 0.1; (( $(awk -v a="$(now)" -v b="$t0" -v m=$max_wait 'BEGIN {print (a - b > m)}') )) && break; done
  up=$(awk -v a="$(now)" -v b="$t0" 'BEGIN {printf "%.1f", a - b}')
  echo "rep $rep: killed ${edges[$victim]}  down_s=$down  up_s=$up"
  downs+=("$down"); ups+=("$up")
done

stats() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {printf "median %.1f  max %.1f", v[int((NR + 1) / 2)], v[NR]}'; }
echo "down_s: $(stats "${downs[@]}")    up_s: $(stats "${ups[@]}")"

for i in 0 1 2; do stop_edge $i; done
sleep 9 # > interval + re-probe + timeouts: every edge is Down now
echo "all down (allDown=all, fail open): $(answer)"
grep -m1 "no edge is healthy" "$work/server.log" | cut -c1-160 || true
