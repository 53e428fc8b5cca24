#!/usr/bin/env bash
# Queries per second of the Release server pinned to one core, measured with dnsperf on the other.
# Usage: bench/qps.sh [seconds] [query-file]     (defaults: 15 s, bench/queries.txt)
# With a geo database (data/geo-whois-asn-country.mmdb; deploy/fetch-geodb.sh fetches it) a second
# run asks the pool name with EDNS Client Subnets from three countries: the geo path's cost.
# dnsperf is one client far over any RRL rate: RRL runs in log-only mode (every bucket charged, nothing dropped).
# Loopback only; bounded by the dnsperf time limit.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-15}
queries=${2:-bench/queries.txt}
port=${BENCH_PORT:-5399}
work=$(mktemp -d)
trap 'kill ${server:-} "${edge_pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
command -v dnsperf >/dev/null || { as_root apt-get update -q >/dev/null; as_root apt-get install -y -q dnsperf >/dev/null; }

dotnet publish src/GeoDns.Server -c Release -o "$work/bin" --nologo -v q >"$work/publish.log" || { cat "$work/publish.log" >&2; exit 1; }
# A pool of three stand-in edges, so pool names are in the mix (bench/queries.txt asks app.example.com).
edge_pids=()
if command -v python3 >/dev/null; then
  for ip in 127.0.20.11 127.0.20.12 127.0.20.13; do python3 bench/edge.py $ip 18444 & edge_pids+=($!); done
fi
geodb=$(pwd)/data/geo-whois-asn-country.mmdb
[ -f "$geodb" ] || { command -v npm >/dev/null && deploy/fetch-geodb.sh "$geodb" >/dev/null 2>&1; } || true
cat > "$work/geodns.json" <<JSON
{ "transport": { "udpSockets": 1 }, "geoDatabase": "$geodb", "rrl": { "logOnly": true },
  "pools": [{ "name": "app.example.com", "probe": { "port": 18444 },
    "edges": [ { "name": "e1", "ipv4": "127.0.20.11" }, { "name": "e2", "ipv4": "127.0.20.12" }, { "name": "e3", "ipv4": "127.0.20.13" } ] }] }
JSON
server_cpu=0; load_cpu=1
[ "$(nproc)" -ge 2 ] || load_cpu=0
taskset -c $server_cpu "$work/bin/GeoDns.Server" --zones zones --listen 127.0.0.1:$port --config "$work/geodns.json" --data "$work/data" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 50); do dig +short +tries=1 +time=1 @127.0.0.1 -p $port example.com SOA >/dev/null 2>&1 && break; sleep 0.2; done

# run PORT SECONDS [QUERY-FILE] [dnsperf options...]
run() { local p=$1 s=$2 f=${3:-$queries}; shift 3 2>/dev/null || shift $#; taskset -c $load_cpu dnsperf -s 127.0.0.1 -p "$p" -d "$f" -l "$s" -c 8 -q 500 -t 2 "$@" 2>&1; }
ticks() { awk '{print $14 + $15}' /proc/$1/stat; }
hz=$(getconf CLK_TCK)

# measure NAME PORT PID [QUERY-FILE] [dnsperf options...]: dnsperf for $seconds against PORT, CPU of PID meanwhile.
measure() {
  local before after start end out name=$1 p=$2 pid=$3
  shift 3
  before=$(ticks "$pid"); start=$(date +%s.%N)
  out=$(run "$p" "$seconds" "$@")
  after=$(ticks "$pid"); end=$(date +%s.%N)
  awk -v name="$name" -v a="$after" -v b="$before" -v s="$start" -v e="$end" -v hz="$hz" '
    /Queries completed/ {done = $3} /Queries lost/ {lost = $3}
    /Queries per second/ {qps = $4} /Average Latency/ {lat = $4 * 1000}
    END {cpu = (a - b) / hz; printf "%-22s queries/s: %8.0f  avg latency: %.3f ms  lost: %s  server CPU: %3.0f%% of one core  CPU per query: %.2f us\n",
         name, qps, lat, lost, cpu / (e - s) * 100, cpu / done * 1e6}' <<<"$out"
}

run $port 3 >/dev/null # warm-up: JIT tiers up, caches fill
echo "dnsperf on core $load_cpu, server on core $server_cpu, $seconds s, $queries"
measure "GeoDns" $port $server

# The geo path: the pool name, located by ECS, one country at a time (dnsperf sends one option per run).
if grep -q "Geo database" "$work/server.log"; then
  echo "app.example.com A" > "$work/pool.txt"
  for ecs in "GB 00011800510245" "CN 00011800af10c7" "US 00011800080808"; do
    set -- $ecs
    measure "GeoDns geo ECS $1" $port $server "$work/pool.txt" -E "8:$2"
  done
else
  echo "(no geo database: geo run skipped; deploy/fetch-geodb.sh fetches one)"
fi

# The same load against a bare C recvfrom/sendto loop: what the syscalls alone cost here.
if command -v gcc >/dev/null; then
  gcc -O2 -o "$work/udp-echo" bench/udp-echo.c
  taskset -c $server_cpu "$work/udp-echo" $((port + 1)) &
  echo_pid=$!
  sleep 0.3
  measure "C echo loop (floor)" $((port + 1)) $echo_pid
  kill $echo_pid
fi
