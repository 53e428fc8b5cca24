#!/usr/bin/env bash
# GeoDns side by side with gdnsd (multifo + tcp_connect on the same three edges) and Knot (the pool
# name as a static RRset), and two C echo loops as the machine's floors; every server pinned to
# one core and dnsperf to the other, in one run.
# Usage: bench/compare.sh [seconds] [fixed rate]     (defaults: 10 s, 50000 queries/s)
# For each: CPU per query at the fixed rate (dnsperf -Q), then queries/s at saturation.
# dnsperf is one client, far over any RRL rate, so GeoDns runs RRL in log-only mode: every bucket
# is still looked up and charged (the cost is measured), but nothing is dropped. Its pool is
# health-checked (tcp_connect to the same three edges as gdnsd's); geo is on when a database is in
# data/ (deploy/fetch-geodb.sh).
# Loopback only; bounded by the dnsperf time limits.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
rate=${2:-50000}
port=${BENCH_PORT:-5393}
queries=bench/queries.txt
work=$(mktemp -d)
server=""
edge_pids=()
trap '[ -n "$server" ] && kill $server 2>/dev/null; kill "${edge_pids[@]}" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"' EXIT
for tool in dnsperf gdnsd knotd gcc python3; do command -v $tool >/dev/null || { echo "compare: $tool is missing" >&2; exit 1; }; done

dotnet publish src/GeoDns.Server -c Release -o "$work/bin" --nologo -v q >/dev/null
gcc -O2 -o "$work/udp-echo" bench/udp-echo.c
gcc -O2 -o "$work/udp-echo-mmsg" bench/udp-echo-mmsg.c
for ip in 127.0.20.11 127.0.20.12 127.0.20.13; do python3 bench/edge.py $ip 18444 & edge_pids+=($!); done

server_cpu=0; load_cpu=1
[ "$(nproc)" -ge 2 ] || load_cpu=0
hz=$(getconf CLK_TCK)
tree() { local c; echo "$1"; for c in $(cat /proc/$1/task/*/children 2>/dev/null); do tree "$c"; done; }
ticks() { local t=0 p; for p in $(tree $1); do t=$((t + $(awk '{print $14 + $15}' /proc/$p/stat 2>/dev/null || echo 0))); done; echo $t; }
wait_up() { for _ in $(seq 100); do dig +short +tries=1 +time=1 @127.0.0.1 -p $port example.com SOA 2>/dev/null | grep -q . && return; sleep 0.2; done; echo "server did not start" >&2; exit 1; }
dnsperf_run() { taskset -c $load_cpu dnsperf -s 127.0.0.1 -p $port -d $queries -l "$1" -c 8 -q 500 -t 2 "${@:2}" 2>&1; }

# measure NAME: a fixed-rate run, then a saturation run, against the server on $port (PID $server).
measure() {
  local name=$1 before after start end fixed saturated
  dnsperf_run 3 >/dev/null # warm-up: JIT tiers up, caches fill
  before=$(ticks $server); start=$(date +%s.%N)
  fixed=$(dnsperf_run "$seconds" -Q "$rate")
  after=$(ticks $server); end=$(date +%s.%N)
  saturated=$(dnsperf_run "$seconds")
  awk -v name="$name" -v a="$after" -v b="$before" -v hz="$hz" -v sat="$(awk '/Queries per second/ {print $4}' <<<"$saturated")" '
    /Queries completed/ {done = $3} /Queries lost/ {lost = $3}
    END {printf "| %-34s | %6.2f us | %7.0f | %s |\n", name, (a - b) / hz / done * 1e6, sat, lost}' <<<"$fixed"
}
stop() { kill $server; wait $server 2>/dev/null || true; server=""; }

zone="$work/zones/example.com"
mkdir -p "$work/zones" "$work/knot"
cp zones/example.com.zone "$work/zones/example.com.zone"

echo "dnsperf on core $load_cpu, each server on core $server_cpu; $seconds s at -Q $rate, then $seconds s unlimited; $queries"
echo "| server | CPU per query at $rate/s | queries/s at saturation | lost at $rate/s |"
echo "|---|---|---|---|"

for batch in 32 1; do
  cat > "$work/geodns.json" <<JSON
{ "geoDatabase": "$(pwd)/data/geo-whois-asn-country.mmdb", "transport": { "udpSockets": 1, "udpBatch": $batch }, "rrl": { "logOnly": true },
  "pools": [{ "name": "app.example.com", "probe": { "port": 18444 },
    "edges": [ { "name": "e1", "ipv4": "127.0.20.11" }, { "name": "e2", "ipv4": "127.0.20.12" }, { "name": "e3", "ipv4": "127.0.20.13" } ] }] }
JSON
  taskset -c $server_cpu "$work/bin/GeoDns.Server" --zones "$work/zones" --listen 127.0.0.1:$port --config "$work/geodns.json" --data "$work/data$batch" --admin off >"$work/geodns.log" 2>&1 &
  server=$!; wait_up
  [ $batch -gt 1 ] && label="GeoDns (recvmmsg x$batch)" || label="GeoDns (recvfrom/sendto)"
  measure "$label"
  stop
done

mkdir -p "$work/gdnsd/zones"
cat > "$work/gdnsd/config" <<CONF
options => { listen => [ 127.0.0.1:$port ], udp_threads => 1, tcp_threads => 1, run_dir => $work/gdnsd/run, state_dir => $work/gdnsd/state }
service_types => { edge => { plugin => tcp_connect, port => 18444, interval => 5, timeout => 2 } }
plugins => { multifo => { service_types => edge, app => { e1 => 127.0.20.11, e2 => 127.0.20.12, e3 => 127.0.20.13 } } }
CONF
{ cat zones/example.com.zone; echo 'app 30 DYNA multifo!app'; } > "$work/gdnsd/zones/example.com"
taskset -c $server_cpu gdnsd -c "$work/gdnsd" start >"$work/gdnsd.log" 2>&1 &
server=$!; wait_up
measure "gdnsd $(gdnsd -V 2>&1 | awk '/version/ {print $3; exit}') (multifo + tcp_connect)"
stop

{ cat zones/example.com.zone; printf 'app 30 IN A 127.0.20.11\napp 30 IN A 127.0.20.12\napp 30 IN A 127.0.20.13\n'; } > "$work/knot/example.com.zone"
cat > "$work/knot/knot.conf" <<CONF
server:
    listen: 127.0.0.1@$port
    rundir: $work/knot
    udp-workers: 1
    tcp-workers: 1
    background-workers: 1
database:
    storage: $work/knot
template:
  - id: default
    storage: $work/knot
    journal-content: none
zone:
  - domain: example.com
    file: example.com.zone
CONF
taskset -c $server_cpu knotd -c "$work/knot/knot.conf" >"$work/knot.log" 2>&1 &
server=$!; wait_up
measure "Knot $(knotd --version | awk '{print $NF}') (static app RRset)"
stop

taskset -c $server_cpu "$work/udp-echo-mmsg" $port & server=$!; sleep 0.3
measure "C echo, recvmmsg/sendmmsg x16 (floor)"
stop
taskset -c $server_cpu "$work/udp-echo" $port & server=$!; sleep 0.3
measure "C echo, recvfrom/sendto (floor)"
stop
