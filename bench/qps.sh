#!/usr/bin/env bash
# Queries per second of the Release server pinned to one core, measured with dnsperf on the other.
# Usage: bench/qps.sh [seconds] [query-file]     (defaults: 15 s, bench/queries.txt)
# Loopback only; bounded by the dnsperf time limit.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-15}
queries=${2:-bench/queries.txt}
port=${BENCH_PORT:-5399}
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
command -v dnsperf >/dev/null || { as_root apt-get update -q >/dev/null; as_root apt-get install -y -q dnsperf >/dev/null; }

dotnet publish src/GeoDns.Server -c Release -o "$work/bin" --nologo -v q >/dev/null
cat > "$work/geodns.json" <<JSON
{ "transport": { "udpSockets": 1 } }
JSON
server_cpu=0; load_cpu=1
[ "$(nproc)" -ge 2 ] || load_cpu=0
taskset -c $server_cpu "$work/bin/GeoDns.Server" --zones zones --listen 127.0.0.1:$port --config "$work/geodns.json" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 50); do dig +short +tries=1 +time=1 @127.0.0.1 -p $port example.com SOA >/dev/null 2>&1 && break; sleep 0.2; done

run() { taskset -c $load_cpu dnsperf -s 127.0.0.1 -p $port -d "$queries" -l "$1" -c 8 -q 500 -t 2 2>&1; }
run 3 >/dev/null # warm-up: JIT tiers up, caches fill

ticks() { awk '{print $14 + $15}' /proc/$server/stat; }
before=$(ticks); start=$(date +%s.%N)
out=$(run "$seconds")
after=$(ticks); end=$(date +%s.%N)
hz=$(getconf CLK_TCK)

qps=$(awk '/Queries per second/ {print $4}' <<<"$out")
lat=$(awk '/Average Latency/ {print $4 * 1000}' <<<"$out")
lost=$(awk '/Queries lost/ {print $3}' <<<"$out")
cpu=$(awk -v a="$after" -v b="$before" -v s="$start" -v e="$end" -v hz="$hz" 'BEGIN {printf "%.0f", (a - b) / hz / (e - s) * 100}')
echo "queries/s: $qps   avg latency: ${lat} ms   lost: $lost   server CPU: ${cpu}% of one core   ($seconds s, $queries)"
