#!/usr/bin/env bash
# GeoDns side by side with gdnsd (multifo + tcp_connect on the same three edges) and Knot (the pool
# name as a static RRset), and two C echo loops as the machine's floors; every server pinned to
# one core and dnsperf to the other, in one run.
# Usage: bench/compare.sh [seconds] [fixed rate]     (defaults: 10 s, 80000 queries/s)
# For each: CPU per query at the fixed rate (dnsperf -Q), then queries/s at saturation.
# Every server gets the same queries: bench/queries.txt, each with EDNS and a client subnet (ECS)
# from three documentation /24s in turn (bench/make-queries.py, dnsperf -B), as a resolver sending
# ECS asks. GeoDns runs with geo on: a database written here (bench/make-mmdb.py) places the three
# /24s in DE, SG and US, near one edge each, so every pool answer is chosen by a real lookup
# (the geodns_geo_lookups_total counts are printed); a row with geo off shows what geo costs.
# dnsperf is one client, far over any RRL rate, so GeoDns runs RRL in log-only mode: every bucket
# is still looked up and charged (the cost is measured), but nothing is dropped. Its pool is
# health-checked (tcp_connect to the same three edges as gdnsd's); cookies and the admin endpoint
# are on, as by default.
# Before measuring, each server is left idle until its CPU use settles (see settle below).
# Loopback only (DNS on $BENCH_PORT, default 5393, GeoDns's admin on the port after it; edges on
# 127.0.20.11-13:18444); bounded by the dnsperf time limits.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
rate=${2:-80000}
port=${BENCH_PORT:-5393}
work=$(mktemp -d)
server=""
edge_pids=()
trap '[ -n "$server" ] && kill $server 2>/dev/null; kill "${edge_pids[@]}" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"' EXIT
for tool in dnsperf gdnsd knotd gcc python3 curl; do command -v $tool >/dev/null || { echo "compare: $tool is missing" >&2; exit 1; }; done

dotnet publish src/GeoDns.Server -c Release -o "$work/bin" --nologo -v q >"$work/publish.log" || { cat "$work/publish.log" >&2; exit 1; }
gcc -O2 -o "$work/udp-echo" bench/udp-echo.c
gcc -O2 -o "$work/udp-echo-mmsg" bench/udp-echo-mmsg.c
for ip in 127.0.20.11 127.0.20.12 127.0.20.13; do python3 bench/edge.py $ip 18444 & edge_pids+=($!); done
subnets=198.51.100.0/24,203.0.113.0/24,192.0.2.0/24
python3 bench/make-mmdb.py "$work/geo.mmdb" 198.51.100.0/24=50.11,8.68,DE,EU 203.0.113.0/24=1.35,103.82,SG,AS 192.0.2.0/24=40.71,-74.01,US,NA
queries=$work/queries.bin
python3 bench/make-queries.py bench/queries.txt "$queries" $subnets
admin=127.0.0.1:$((port + 1))

server_cpu=0; load_cpu=1
[ "$(nproc)" -ge 2 ] || load_cpu=0
hz=$(getconf CLK_TCK)
tree() { local c; echo "$1"; for c in $(cat /proc/$1/task/*/children 2>/dev/null); do tree "$c"; done; }
# utime + stime, read after the command name (NSD's "nsd: main" has a space in it).
ticks() { local t=0 p; for p in $(tree $1); do t=$((t + $(sed 's/.*) //' /proc/$p/stat 2>/dev/null | awk '{print $12 + $13} END {if (NR == 0) print 0}'))); done; echo $t; }
wait_up() { for _ in $(seq 100); do dig +short +tries=1 +time=1 @127.0.0.1 -p $port example.com SOA 2>/dev/null | grep -q . && return; sleep 0.2; done; echo "server did not start" >&2; exit 1; }
dnsperf_run() { taskset -c $load_cpu dnsperf -B -s 127.0.0.1 -p $port -d $queries -l "$1" -c 8 -q 500 -t 2 "${@:2}" 2>&1; }
# geo_lookups: "located unknown jit-seconds" from GeoDns's /metrics (nothing for other servers).
geo_lookups() { { curl -s --max-time 10 "http://$admin/metrics" 2>/dev/null || true; } | awk '/^geodns_geo_lookups_total/ {v[$1 ~ /located/ ? 1 : 2] = $2} /^geodns_jit_seconds_total/ {v[3] = $2} END {if (1 in v) print v[1], v[2], v[3] + 0}'; }
notes=()

# measure NAME: a fixed-rate run, then a saturation run, against the server on $port (PID $server).
measure() {
  local name=$1 before after start end fixed saturated geo_before geo_after
  dnsperf_run 3 >/dev/null # warm-up: JIT tiers up, caches fill
  # GeoDns's first /metrics requests compile Kestrel's code (~900 methods, seconds of JIT on this machine):
  # made now, before settling, so that the reads around the fixed-rate run cost only themselves.
  geo_lookups >/dev/null; geo_lookups >/dev/null
  settle
  geo_before=$(geo_lookups)
  before=$(ticks $server); start=$(date +%s.%N)
  fixed=$(dnsperf_run "$seconds" -Q "$rate")
  after=$(ticks $server); end=$(date +%s.%N)
  geo_after=$(geo_lookups)
  [ -z "$geo_after" ] || [ -z "$geo_before" ] || notes+=("$name: geodns_geo_lookups_total during the fixed-rate run: $(awk -v a="$geo_after" -v b="$geo_before" 'BEGIN {split(a, x, " "); split(b, y, " "); printf "+%d located, +%d unknown; JIT during it: %.3f s", x[1] - y[1], x[2] - y[2], x[3] - y[3]}')")
  saturated=$(dnsperf_run "$seconds")
  awk -v name="$name" -v a="$after" -v b="$before" -v hz="$hz" -v sat="$(awk '/Queries per second/ {print $4}' <<<"$saturated")" '
    /Queries completed/ {done = $3} /Queries lost/ {lost = $3}
    END {printf "| %-34s | %6.2f us | %7.0f | %s |\n", name, (a - b) / hz / done * 1e6, sat, lost}' <<<"$fixed"
}
stop() { kill $server; wait $server 2>/dev/null || true; server=""; }
# settle: waits (at most 120 s) until the idle server has used at most 3 ticks in each of two 5 s
# periods in a row. .NET's tiered JIT goes on recompiling code that runs now and then (health
# probes, timers, the thread pool) for a minute or so after start, a few % of a core (measured idle
# right after the warm-up: 137, 25, 9, 9, 7 ... ticks per 5 s); measured at once, that start-up
# transient would count as CPU per query. A nameserver runs for weeks: the steady state is what is
# compared. The C servers settle at once.
settle() { local i a b quiet=0; for i in $(seq 24); do a=$(ticks $server); sleep 5; b=$(ticks $server)
  if [ $((b - a)) -le 3 ]; then quiet=$((quiet + 1)); [ $quiet -ge 2 ] && { settled+=("$((i * 5))s"); return; }; else quiet=0; fi; done; settled+=(">120s"); }
settled=()

zone="$work/zones/example.com"
mkdir -p "$work/zones" "$work/knot"
cp zones/example.com.zone "$work/zones/example.com.zone"

echo "dnsperf on core $load_cpu, each server on core $server_cpu; $seconds s at -Q $rate, then $seconds s unlimited; bench/queries.txt with EDNS + ECS ($subnets); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| server | CPU per query at $rate/s | queries/s at saturation | lost at $rate/s |"
echo "|---|---|---|---|"

# geodns LABEL BATCH GEO-DATABASE
geodns() {
  cat > "$work/geodns.json" <<JSON
{ "geoDatabase": "$3", "transport": { "udpSockets": 1, "udpBatch": $2 }, "rrl": { "logOnly": true },
  "pools": [{ "name": "app.example.com", "probe": { "port": 18444 },
    "edges": [ { "name": "e1", "ipv4": "127.0.20.11", "latitude": 50.11, "longitude": 8.68 },
               { "name": "e2", "ipv4": "127.0.20.12", "latitude": 1.35, "longitude": 103.82 },
               { "name": "e3", "ipv4": "127.0.20.13", "latitude": 40.71, "longitude": -74.01 } ] }] }
JSON
  rm -rf "$work/data"
  taskset -c $server_cpu "$work/bin/GeoDns.Server" --zones "$work/zones" --listen 127.0.0.1:$port --config "$work/geodns.json" --data "$work/data" --admin $admin >"$work/geodns.log" 2>&1 &
  server=$!; wait_up
  measure "$1"
  stop
}
geodns "GeoDns (recvmmsg x32, geo)" 32 "$work/geo.mmdb"
geodns "GeoDns (recvmmsg x32, geo off)" 32 /nonexistent/geo.mmdb
geodns "GeoDns (recvfrom/sendto, geo)" 1 "$work/geo.mmdb"

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
for note in "${notes[@]}"; do echo "$note"; done
echo "time each server took to settle before its fixed-rate run, in table order: ${settled[*]}"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
