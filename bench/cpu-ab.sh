#!/usr/bin/env bash
# CPU per query of GeoDns variants (and gdnsd, as the yardstick) at a fixed rate, interleaved:
# round 1 runs every variant once, round 2 again in the reverse order (so no variant always follows
# the same one), ...; then the median of each and of its ratio to the first variant within a round.
# On a shared machine only ratios within one run mean anything.
# Usage: bench/cpu-ab.sh [seconds] [rate] [rounds] VARIANT...      (defaults: 10 s, 80000/s, 3)
#   VARIANT is NAME or NAME:SETTING,SETTING,...; a SETTING is an environment variable for the
#   server (DOTNET_TieredPGO=0), or one of bin=DIR (a published GeoDns.Server; default: this tree),
#   batch=N (transport.udpBatch), rcvbuf=N (transport.udpReceiveBufferBytes), geo=off. The NAME gdnsd runs gdnsd (multifo + tcp_connect) instead.
#   e.g. bench/cpu-ab.sh 10 80000 3 base nopgo:DOTNET_TieredPGO=0 gdnsd
# Each server is idled until its CPU use settles before it is measured (SETTLE=0 to skip).
# Per run it prints CPU per query, the server's context switches per query, and the busiest threads.
# Queries: bench/queries.txt with EDNS and client subnets (bench/make-queries.py), geo from a database
# bench/make-mmdb.py writes for those subnets. Loopback only (port 5801, edges on 127.0.80.11-13:18801).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}; rate=${2:-80000}; rounds=${3:-3}
shift $(( $# < 3 ? $# : 3 ))
[ $# -gt 0 ] || set -- base
port=${BENCH_PORT:-5801}
work=$(mktemp -d)
server=""; edge_pids=()
trap '[ -n "$server" ] && kill $server 2>/dev/null; kill "${edge_pids[@]}" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"' EXIT
for tool in dnsperf gdnsd python3 taskset; do command -v $tool >/dev/null || { echo "cpu-ab: $tool is missing" >&2; exit 1; }; done

dotnet publish src/GeoDns.Server -c Release -o "$work/bin" --nologo -v q >"$work/publish.log" || { cat "$work/publish.log" >&2; exit 1; }
subnets=198.51.100.0/24,203.0.113.0/24,192.0.2.0/24
python3 bench/make-mmdb.py "$work/geo.mmdb" 198.51.100.0/24=50.11,8.68,DE,EU 203.0.113.0/24=1.35,103.82,SG,AS 192.0.2.0/24=40.71,-74.01,US,NA
python3 bench/make-queries.py bench/queries.txt "$work/queries.bin" $subnets
for i in 1 2 3; do python3 bench/edge.py 127.0.80.1$i 18801 & edge_pids+=($!); done

server_cpu=0; load_cpu=1
[ "$(nproc)" -ge 2 ] || load_cpu=0
hz=$(getconf CLK_TCK)
ticks() { sed 's/.*) //' /proc/$1/stat | awk '{print $12 + $13}'; }
switches() { cat /proc/$1/task/*/status 2>/dev/null | awk '/ctxt_switches/ {n += $2} END {print n + 0}'; }
threads() { for t in /proc/$1/task/*; do printf '%s:%s %s\n' "$(basename $t)" "$(tr ' ' _ <$t/comm)" "$(sed 's/.*) //' $t/stat | awk '{print $12 + $13}')"; done | sort; }
wait_up() { for _ in $(seq 100); do dig +short +tries=1 +time=1 @127.0.0.1 -p $port example.com SOA 2>/dev/null | grep -q . && return; sleep 0.2; done; echo "server did not start" >&2; exit 1; }
dnsperf_run() { taskset -c $load_cpu dnsperf -B -s 127.0.0.1 -p $port -d "$work/queries.bin" -l "$1" -c 8 -q 500 -t 2 "${@:2}" 2>&1; }

start() { # start NAME SETTINGS
  local bin=$work/bin batch=32 rcvbuf=4194304 geo="$work/geo.mmdb" envs=() s
  IFS=, read -ra settings <<<"$2"
  for s in "${settings[@]}"; do
    case $s in bin=*) bin=${s#bin=} ;; batch=*) batch=${s#batch=} ;; rcvbuf=*) rcvbuf=${s#rcvbuf=} ;; geo=off) geo=/nonexistent/geo.mmdb ;; ?*=*) envs+=("$s") ;; esac
  done
  if [ "$1" = gdnsd ]; then
    mkdir -p "$work/gdnsd/zones"
    cat > "$work/gdnsd/config" <<CONF
options => { listen => [ 127.0.0.1:$port ], udp_threads => 1, tcp_threads => 1, run_dir => $work/gdnsd/run, state_dir => $work/gdnsd/state }
service_types => { edge => { plugin => tcp_connect, port => 18801, interval => 5, timeout => 2 } }
plugins => { multifo => { service_types => edge, app => { e1 => 127.0.80.11, e2 => 127.0.80.12, e3 => 127.0.80.13 } } }
CONF
    { cat zones/example.com.zone; echo 'app 30 DYNA multifo!app'; } > "$work/gdnsd/zones/example.com"
    taskset -c $server_cpu gdnsd -c "$work/gdnsd" start >"$work/server.log" 2>&1 &
  else
    cat > "$work/geodns.json" <<JSON
{ "geoDatabase": "$geo", "transport": { "udpSockets": 1, "udpBatch": $batch, "udpReceiveBufferBytes": $rcvbuf }, "rrl": { "logOnly": true },
  "pools": [{ "name": "app.example.com", "probe": { "port": 18801 },
    "edges": [ { "name": "e1", "ipv4": "127.0.80.11", "latitude": 50.11, "longitude": 8.68 }, { "name": "e2", "ipv4": "127.0.80.12", "latitude": 1.35, "longitude": 103.82 },
               { "name": "e3", "ipv4": "127.0.80.13", "latitude": 40.71, "longitude": -74.01 } ] }] }
JSON
    rm -rf "$work/data"
    env "${envs[@]}" taskset -c $server_cpu "$bin/GeoDns.Server" --zones zones --listen 127.0.0.1:$port --config "$work/geodns.json" --data "$work/data" --admin off >"$work/server.log" 2>&1 &
  fi
  server=$!; wait_up
}

declare -A results ratios value
for round in $(seq "$rounds"); do
  order=("$@")
  if [ $((round % 2)) -eq 0 ]; then order=(); for ((v = $#; v >= 1; v--)); do order+=("${!v}"); done; fi
  for variant in "${order[@]}"; do
    name=${variant%%:*}; settings=""; [[ $variant == *:* ]] && settings=${variant#*:}
    start "$name" "$settings"
    dnsperf_run 3 >/dev/null # warm-up: JIT tiers up, caches fill
    # Then idle until the CPU use settles (the tiered JIT's start-up trickle; see bench/compare.sh), at most ${SETTLE:-120} s.
    quiet=0; for _ in $(seq $(( ${SETTLE:-120} / 5 ))); do a=$(ticks $server); sleep 5
      if [ $(( $(ticks $server) - a )) -le 3 ]; then quiet=$((quiet + 1)); [ $quiet -ge 2 ] && break; else quiet=0; fi; done
    threads $server >"$work/threads.before"
    before=$(ticks $server); cs_before=$(switches $server)
    fixed=$(dnsperf_run "$seconds" -Q "$rate")
    after=$(ticks $server); cs_after=$(switches $server)
    threads $server >"$work/threads.after"
    done_q=$(awk '/Queries completed/ {print $3}' <<<"$fixed")
    us=$(awk -v a=$after -v b=$before -v hz=$hz -v n=$done_q 'BEGIN {printf "%.3f", (a - b) / hz / n * 1e6}')
    top=$(join -a 2 -e 0 -o 0,1.2,2.2 "$work/threads.before" "$work/threads.after" | awk '{d = $3 - $2; if (d > m) m = d} END {print m + 0}')
    busy=$(join -a 2 -e 0 -o 0,1.2,2.2 "$work/threads.before" "$work/threads.after" | awk '$3 > $2 {sub(/^[0-9]+:/, "", $1); printf "%s %d, ", $1, $3 - $2}')
    printf 'round %d %-12s %s us/query (busiest thread %s)  %.3f switches/query  lost %s  threads (ticks): %s\n' "$round" "$name" "$us" \
      "$(awk -v t=$top -v hz=$hz -v n=$done_q 'BEGIN {printf "%.3f", t / hz / n * 1e6}')" \
      "$(awk -v a=$cs_after -v b=$cs_before -v n=$done_q 'BEGIN {print (a - b) / n}')" "$(awk '/Queries lost/ {print $3}' <<<"$fixed")" "$busy"
    results[$name]+="$us "
    value[$name]=$us
    kill $server; wait $server 2>/dev/null || true; server=""
  done
  first=${1%%:*}
  for variant in "$@"; do name=${variant%%:*}; ratios[$name]+="$(awk -v a=${value[$name]} -v b=${value[$first]} 'BEGIN {printf "%.3f", a / b}') "; done
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
median() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
# The ratio within each round (to the first variant, run just before) is steadier than the absolute figures.
for variant in "$@"; do
  name=${variant%%:*}
  printf '%-12s median %s us/query; median ratio to %s within a round: %s   (runs: %s; ratios: %s)\n' "$name" "$(median "${results[$name]}")" \
    "${1%%:*}" "$(median "${ratios[$name]}")" "${results[$name]}" "${ratios[$name]}"
done
