#!/usr/bin/env bash
# How fast a failed edge leaves the answers, and comes back, with the default probe settings.
#
# A lab of Linux network namespaces of its own (needs root, iproute2, nftables): the Release server
# runs in gh-fo-ID, each of three edges (a TCP listener, bench/edge.py) in gh-fo-ID-eN, joined by a
# veth pair with addresses from 192.0.2.0/24 (RFC 5737), so nothing leaves the lab and nothing in
# the host's own routing table changes. REPS times per mode, at a random moment within a probe
# interval, one edge fails, `dig` (inside the lab) polls every 100 ms until its address is gone
# (down_s), then the fault is undone and it polls until the address is back (up_s):
#   kill        the edge's listener is killed: connections refused, as from a dead nginx
#   black-hole  nftables drops every packet to the edge's port: SYNs vanish, as a flooded VPS
# With lossy_seconds > 0 it then loses LOSS (default 20%) of one edge's packets each way (tc netem
# on both ends of its link, or nftables numgen where the kernel has no sch_netem) and counts, for
# that long, how often the edge left the answer and its transitions (it must not go Down).
# Usage: bench/failover.sh [reps=7] [lossy_seconds=0]
# Targets, from what the default probe settings allow: a killed edge's held connection closes at once,
# so kill median <= 3 s, max <= 6 s; a black-holed edge waits for its next probe (uniform over the 5 s
# interval) plus two connect timeouts (the failing probe's and its confirming round's, 300 ms at their
# adaptive floor), so black-hole median <= 4 s, max <= 6.5 s; a 20 %-lossy edge never leaves the answer
# (one lost probe only makes it Suspect). Every phase is bounded by MAX_WAIT; the lab is removed on exit
# (by its own names).
set -euo pipefail
cd "$(dirname "$0")/.."
reps=${1:-7}
lossy_seconds=${2:-0}
loss=${LOSS:-20%}
port=5398
edge_port=18443
max_wait=30
id=$(printf '%04x' $((RANDOM)))
lab=gh-fo-$id
work=$(mktemp -d)
edges=(192.0.2.2 192.0.2.6 192.0.2.10)
pids=()

[ "$(id -u)" = 0 ] || { echo "needs root (network namespaces)"; exit 1; }
for tool in dig python3 nft ip; do command -v $tool >/dev/null || { echo "needs $tool"; exit 1; }; done

cleanup() {
  kill "${pids[@]}" "${server:-}" 2>/dev/null || true
  wait 2>/dev/null || true
  for i in 0 1 2; do ip netns del "$lab-e$i" 2>/dev/null || true; done
  ip netns del "$lab" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM # so that EXIT's cleanup runs when the bench is stopped

in_lab() { ip netns exec "$lab" "$@"; }
in_edge() { local i=$1; shift; ip netns exec "$lab-e$i" "$@"; }

ip netns add "$lab"
in_lab ip link set lo up
for i in 0 1 2; do
  ip netns add "$lab-e$i"
  in_edge $i ip link set lo up
  ip link add "gh$id${i}l" netns "$lab" type veth peer name "gh$id${i}e" netns "$lab-e$i"
  in_lab ip addr add "192.0.2.$((4 * i + 1))/30" dev "gh$id${i}l"
  in_lab ip link set "gh$id${i}l" up
  in_edge $i ip addr add "${edges[$i]}/30" dev "gh$id${i}e"
  in_edge $i ip link set "gh$id${i}e" up
done

# Not through in_edge: a backgrounded function is a subshell, and $! would be that shell, not the listener.
start_edge() { ip netns exec "$lab-e$1" python3 bench/edge.py "${edges[$1]}" $edge_port & pids[$1]=$!; }
stop_edge() { kill "${pids[$1]}"; wait "${pids[$1]}" 2>/dev/null || true; }
hole() { in_edge "$1" nft -f - <<NFT
table inet gh_bench {
  chain input { type filter hook input priority 0; policy accept; tcp dport $edge_port drop; }
}
NFT
}
unhole() { in_edge "$1" nft delete table inet gh_bench; }
answer() { in_lab dig +short +tries=1 +time=1 @127.0.0.1 -p $port app.example.com A | grep -E '^[0-9.]+$' | sort | tr '\n' ' ' || true; }
now() { date +%s.%N; }
since() { awk -v a="$(now)" -v b="$1" 'BEGIN {printf "%.1f", a - b}'; }
late() { awk -v a="$(now)" -v b="$1" -v m=$max_wait 'BEGIN {exit !(a - b > m)}'; }

cat > "$work/geodns.json" <<JSON
{ "pools": [{ "name": "app.example.com", "probe": { "port": $edge_port },
  "edges": [ { "name": "edge-1", "ipv4": "${edges[0]}" }, { "name": "edge-2", "ipv4": "${edges[1]}" }, { "name": "edge-3", "ipv4": "${edges[2]}" } ] }] }
JSON
for i in 0 1 2; do start_edge $i; done
dotnet publish src/GeoDns.Server -c Release -o "$work/bin" --nologo -v q >"$work/publish.log" || { cat "$work/publish.log" >&2; exit 1; }
ip netns exec "$lab" "$work/bin/GeoDns.Server" --zones zones --listen 127.0.0.1:$port --config "$work/geodns.json" --data "$work/data" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do [ "$(answer | wc -w)" = 3 ] && break; sleep 0.2; done
echo "lab $lab, all up: $(answer)"

stats() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {printf "median %.1f  max %.1f", v[int((NR + 1) / 2)], v[NR]}'; }

# mode fail undo: REPS rounds; prints each, then the medians and maxima.
measure() {
  local mode=$1 fail=$2 undo=$3 downs=() ups=() victim t0 down up
  for rep in $(seq "$reps"); do
    victim=$((RANDOM % 3))
    sleep "$(awk -v r=$RANDOM 'BEGIN {printf "%.2f", 1 + r % 500 / 100}')" # a random moment within a probe interval
    t0=$(now); $fail $victim
    while answer | grep -qw "${edges[$victim]}"; do sleep 0.1; late "$t0" && break; done
    down=$(since "$t0")
    t0=$(now); $undo $victim
    until answer | grep -qw "${edges[$victim]}"; do sleep 0.1; late "$t0" && break; done
    up=$(since "$t0")
    printf '%-10s rep %d: %-11s down_s=%-5s up_s=%s\n' "$mode" "$rep" "${edges[$victim]}" "$down" "$up"
    downs+=("$down"); ups+=("$up")
  done
  summary+=("$(printf '%-10s down_s: %s    up_s: %s' "$mode" "$(stats "${downs[@]}")" "$(stats "${ups[@]}")")")
}
summary=()
measure kill stop_edge start_edge
measure black-hole hole unhole
printf '%s\n' "${summary[@]}"

if [ "$lossy_seconds" -gt 0 ]; then
  victim=1 pct=${loss%\%}
  # tc netem where the kernel has sch_netem; else nftables drops the same share at random (numgen).
  if in_lab tc qdisc add dev "gh$id${victim}l" root netem loss "$loss" 2>/dev/null; then
    in_edge $victim tc qdisc add dev "gh$id${victim}e" root netem loss "$loss"
    lossy_by="tc netem loss $loss"
    unlossy() { in_lab tc qdisc del dev "gh$id${victim}l" root; in_edge $victim tc qdisc del dev "gh$id${victim}e" root; }
  else
    in_edge $victim nft -f - <<NFT
table inet gh_loss {
  chain input { type filter hook input priority 0; policy accept; tcp dport $edge_port numgen random mod 100 < $pct drop; }
  chain output { type filter hook output priority 0; policy accept; tcp sport $edge_port numgen random mod 100 < $pct drop; }
}
NFT
    lossy_by="nftables numgen drop $loss (no sch_netem in this kernel)"
    unlossy() { in_edge $victim nft delete table inet gh_loss; }
  fi
  before=$(grep -c "${edges[$victim]}:$edge_port: .* -> " "$work/server.log" || true)
  t0=$(now); polls=0; missing=0
  while ! awk -v a="$(now)" -v b="$t0" -v m="$lossy_seconds" 'BEGIN {exit !(a - b > m)}'; do
    polls=$((polls + 1))
    answer | grep -qw "${edges[$victim]}" || missing=$((missing + 1))
    sleep 0.2
  done
  unlossy
  transitions=$(grep "${edges[$victim]}:$edge_port: .* -> " "$work/server.log" | tail -n +$((before + 1)) || true)
  echo "lossy ($lossy_by, both ways, ${lossy_seconds} s): ${edges[$victim]} missing from $missing of $polls answers;" \
    "$(grep -c -- '-> Suspect' <<<"$transitions" || true) Up -> Suspect, $(grep -c -- '-> Down' <<<"$transitions" || true) -> Down"
fi

for i in 0 1 2; do stop_edge $i; done
sleep 9 # > interval + confirmation: every edge is Down now
echo "all down (allDown=all, fail open): $(answer)"
grep "no edge is healthy" "$work/server.log" | tail -1 | cut -c1-160 || true
