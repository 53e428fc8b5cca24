#!/usr/bin/env bash
# Reflection (amplification) attack on loopback, against GeoDns with RRL (the default), GeoDns with
# RRL off, and NSD with its default RRL, one after the other in one run.
# Usage: bench/flood.sh [seconds] [rate]        (defaults: 10 s, 20000 spoofed queries/s)
# 50 sockets bound to 127.66.0.1-50 stand for the victims: they send the "spoofed" queries (EDNS,
# for the largest answer: a ~1 KB TXT) and count every byte reflected onto them. A legitimate
# resolver on 127.77.0.1 asks 100 queries/s meanwhile, falling back to TCP on TC=1.
# Prints amplification (bytes to victims / bytes they "sent"), the legitimate answer rate and the
# server's CPU. Loopback only; bounded by count and time (at most 120 s per run).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
rate=${2:-20000}
port=${BENCH_PORT:-5391}
victims=50
work=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill $server 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"' EXIT

# The victims' /24 and the resolver's address must exist on lo: all of 127/8 does on Linux.
gcc -O2 -Wall -o "$work/flood" bench/flood.c
dotnet publish src/GeoDns.Server -c Release -o "$work/bin" --nologo -v q >"$work/publish.log" || { cat "$work/publish.log" >&2; exit 1; }
mkdir -p "$work/zones"
{ cat zones/example.com.zone
  for c in a b c d; do printf 'big IN TXT "%s"\n' "$(printf "$c%.0s" $(seq 240))"; done; } > "$work/zones/example.com.zone"

server_cpu=0; load_cpu=1
[ "$(nproc)" -ge 2 ] || load_cpu=0
hz=$(getconf CLK_TCK)
# CPU ticks of a process and its children (NSD answers from a forked child).
tree() { local c; echo "$1"; for c in $(cat /proc/$1/task/*/children 2>/dev/null); do tree "$c"; done; }
# utime + stime, read after the command name (NSD's "nsd: main" has a space in it).
ticks() { local t=0 p; for p in $(tree $1); do t=$((t + $(sed 's/.*) //' /proc/$p/stat 2>/dev/null | awk '{print $12 + $13} END {if (NR == 0) print 0}'))); done; echo $t; }
drops() { awk '/^Udp:/ && $2 ~ /^[0-9]+$/ {print $6}' /proc/net/snmp; }
wait_up() { for _ in $(seq 50); do dig +short +tries=1 +time=1 @127.0.0.1 -p $port example.com SOA >/dev/null 2>&1 && return; sleep 0.2; done; echo "server did not start" >&2; exit 1; }

# flood_run NAME: floods the server on $port (PID $server) and prints one line of figures.
flood_run() {
  local name=$1 before after start end out dropped
  before=$(ticks $server); start=$(date +%s.%N); dropped=$(drops)
  out=$(taskset -c $load_cpu "$work/flood" 127.0.0.1 $port 127.66.0 $victims "$rate" "$seconds" big.example.com 16 127.77.0.1 100)
  after=$(ticks $server); end=$(date +%s.%N); dropped=$(( $(drops) - dropped ))
  awk -v name="$name" -v a="$after" -v b="$before" -v s="$start" -v e="$end" -v hz="$hz" -v drops="$dropped" '
    /^flood/ {sent = $3; sbytes = $5; replies = $7; rbytes = $9; tc = $11}
    /^legit/ {asked = $3; answered = $5; tcp = $7}
    END {printf "%-22s amplification %6.2f  (%d queries, %d replies, %d TC)  legit answered %d/%d = %.2f%% (%d via TCP)  server CPU %3.0f%%  kernel UDP drops %d\n",
         name, rbytes / sbytes, sent, replies, tc, answered, asked, 100 * answered / asked, tcp, (a - b) / hz / (e - s) * 100, drops}' <<<"$out"
}

geodns() { # geodns NAME CONFIG-JSON
  echo "$2" > "$work/geodns.json"
  taskset -c $server_cpu "$work/bin/GeoDns.Server" --zones "$work/zones" --listen 127.0.0.1:$port --config "$work/geodns.json" --data "$work/data-$1" --admin off >"$work/$1.log" 2>&1 &
  server=$!
  wait_up
  flood_run "$1"
  kill $server; wait $server 2>/dev/null || true; server=""
}

echo "flood: $victims victims in 127.66.0.0/24, $rate queries/s for $seconds s, big.example.com TXT (EDNS 1232); resolver 127.77.0.1 at 100/s"
geodns "GeoDns (RRL default)" '{ "transport": { "udpSockets": 1 } }'
geodns "GeoDns (RRL off)" '{ "transport": { "udpSockets": 1 }, "rrl": { "enabled": false } }'

if command -v nsd >/dev/null; then
  cat > "$work/nsd.conf" <<CONF
server:
  ip-address: 127.0.0.1@$port
  port: $port
  username: ""
  chroot: ""
  zonesdir: "$work/zones"
  database: ""
  pidfile: "$work/nsd.pid"
  xfrdfile: "$work/xfrd.state"
  zonelistfile: "$work/zone.list"
  logfile: "$work/nsd.log"
  server-count: 1
  verbosity: 0
remote-control:
  control-enable: no
zone:
  name: example.com
  zonefile: example.com.zone
CONF
  taskset -c $server_cpu nsd -d -c "$work/nsd.conf" >"$work/nsd.out" 2>&1 &
  server=$!
  wait_up
  flood_run "NSD $(nsd -v 2>&1 | awk 'NR==1{print $3}') (default RRL)"
  kill $server; wait $server 2>/dev/null || true; server=""
fi
