#!/usr/bin/env bash
# What the edge signals cost an edge: the edge's nginx (deploy/edge/nginx-tls.conf.template, one worker, as on a
# 1-vCPU VPS) under wrk at a steady rate, with and without the signals (the $status log and
# deploy/edge/geodns-edge-signals beside it), interleaved A B B A ... so drift on a shared machine hits both.
# Reports nginx's CPU per 1000 requests (master and worker, from /proc/PID/stat) and the script's CPU (its own and
# its children's: awk, ss, mv), medians over the rounds and their ratios.
# Usage: bench/edge-signals.sh [seconds] [rate] [rounds]      (defaults: 30 s, 1000 requests/s, 2)
#   LOAD=users (default): the per-client limit raised, so every request goes through to the home (200);
#   LOAD=flood: the template's own limit (50r/s, burst 200), so nearly every request is nginx's 429.
# In network namespaces of its own (sg-bench-*: the edge, a client on its public link, the home behind a link
# standing in for the tunnel); nginx and the script on CPU 0, wrk and the home on CPU 1. Needs root.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}; rate=${2:-1000}; rounds=${3:-2}; load=${LOAD:-users}
[ "$(id -u)" = 0 ] || { echo "edge-signals: needs root (network namespaces)" >&2; exit 1; }
command -v wrk >/dev/null || apt-get install -y -q wrk >/dev/null || { echo "edge-signals: wrk is missing (apt-get install wrk)" >&2; exit 1; }
for tool in nginx openssl taskset ss; do command -v $tool >/dev/null || { echo "edge-signals: $tool is missing" >&2; exit 1; }; done
id=$$; edge=sg-bench-e$id client=sg-bench-c$id home=sg-bench-h$id
work=$(mktemp -d); chmod 755 "$work"
script_pid=""
cleanup() {
  [ -n "$script_pid" ] && kill "$script_pid" 2>/dev/null
  for ns in $edge $client $home; do
    pids=$(ip netns pids $ns 2>/dev/null || true)
    [ -z "$pids" ] || kill -9 $pids 2>/dev/null || true
    ip netns del $ns 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
for ns in $edge $client $home; do ip netns add $ns; ip -n $ns link set lo up; done
ip link add pub0 netns $edge type veth peer name pub0 netns $client
ip link add tun0 netns $edge type veth peer name tun0 netns $home
ip -n $edge addr add 192.0.2.10/24 dev pub0; ip -n $client addr add 192.0.2.20/24 dev pub0
ip -n $edge addr add 10.77.0.10/24 dev tun0; ip -n $home addr add 10.77.0.1/24 dev tun0
for pair in "$edge pub0" "$client pub0" "$edge tun0" "$home tun0"; do ip -n ${pair% *} link set ${pair#* } up; done
ip -n $edge route add default via 192.0.2.20

cat >"$work/home.conf" <<EOF
pid $work/home.pid;
error_log $work/home-error.log warn;
worker_processes 1;
events { worker_connections 1024; }
http { access_log off; server { listen 10.77.0.1:8081; keepalive_requests 100000; location / { return 200 "home\n"; } } }
EOF
ip netns exec $home taskset -c 1 nginx -c "$work/home.conf" -e "$work/home-error.log"

mkdir -p "$work/edge"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=app.example.com -keyout "$work/edge/privkey.pem" -out "$work/edge/fullchain.pem" 2>/dev/null
limit=50r/s; [ "$load" = users ] && limit=1000000r/s
render() { # render OUT WITH_SIGNALS: the template as the sidecar renders it, one worker
  sed -e "s#{{home_tunnel}}#10.77.0.1#g; s#{{upstream_port}}#8081#g; s#{{signals_port}}#8055#g; s#{{signals_interval}}#5#g" \
      -e "s#{{signals_dir}}#$work/edge/signals#g; s#{{log_dir}}#$work/edge#g; s#{{pid_file}}#$work/edge/nginx.pid#g" \
      -e "s#{{server_names}}#app.example.com#g; s#{{certificate}}#$work/edge/fullchain.pem#g; s#{{certificate_key}}#$work/edge/privkey.pem#g" \
      -e "s#{{client_max_body_size}}#1g#g; s#{{rate}}#$limit#g; s#{{burst}}#200#g; s#{{read_timeout}}#1h#g; s#^worker_processes .*#worker_processes 1;#" \
      deploy/edge/nginx-tls.conf.template >"$1"
  [ "$2" = yes ] || sed -i '/geodns-signals.status signals/d' "$1"
  ! grep -q '{{' "$1" || { echo "edge-signals: a placeholder is left in $1" >&2; exit 1; }
}
render "$work/edge/with.conf" yes
render "$work/edge/without.conf" no
cat >"$work/pace.lua" <<EOF
-- Each connection waits this long between requests: the steady rate, not wrk's flat out.
function delay() return 10 end
EOF
connections=$(( (rate + 79) / 80 )) # 10 ms apart and about 2 ms per request

hz=$(getconf CLK_TCK)
cpu() { local t=0 p; for p in "$@"; do [ -r /proc/$p/stat ] && t=$((t + $(sed 's/.*) //' /proc/$p/stat | awk '{print $12 + $13 + $14 + $15}'))); done; echo $t; }
nginx_pids() { local m; m=$(cat "$work/edge/nginx.pid"); echo "$m $(pgrep -P "$m" | tr '\n' ' ')"; }

one() { # one VARIANT: prints "requests nginx_ticks script_ticks"
  local variant=$1 conf
  conf=$work/edge/$variant.conf
  rm -f "$work/edge/geodns-signals.status"*
  ip netns exec $edge taskset -c 0 nginx -c "$conf" -e "$work/edge/error.log"
  for _ in $(seq 50); do [ -s "$work/edge/nginx.pid" ] && break; sleep 0.1; done
  if [ "$variant" = with ]; then
    ip netns exec $edge taskset -c 0 bash deploy/edge/geodns-edge-signals "$conf" >"$work/signals.log" 2>&1 &
    script_pid=$!
  fi
  ip netns exec $client curl -sk -o /dev/null https://192.0.2.10/ # the first TLS handshake out of the window
  sleep 2
  local pids before after sbefore=0 safter=0 out
  pids=$(nginx_pids)
  before=$(cpu $pids); [ -n "$script_pid" ] && sbefore=$(cpu $script_pid)
  out=$(ip netns exec $client taskset -c 1 timeout $((seconds + 30)) wrk -t1 -c$connections -d${seconds}s -s "$work/pace.lua" https://192.0.2.10/ 2>&1)
  after=$(cpu $pids); [ -n "$script_pid" ] && safter=$(cpu $script_pid)
  local requests codes
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  if [ -n "$script_pid" ]; then
    codes=$(sed -n 's/.*"responses":\({[^}]*}\).*/\1/p' "$work/edge/signals/signals.json" 2>/dev/null)
    kill "$script_pid"; wait "$script_pid" 2>/dev/null || true; script_pid=""
  fi
  kill "$(cat "$work/edge/nginx.pid")"
  for _ in $(seq 50); do [ -e "$work/edge/nginx.pid" ] || break; sleep 0.1; done
  echo "$requests $((after - before)) $((safter - sbefore)) ${codes:-}"
}

echo "edge-signals: LOAD=$load, $seconds s per run at about $rate requests/s ($connections connections, 10 ms apart), $rounds rounds; CLK_TCK $hz"
results=()
for round in $(seq "$rounds"); do
  order="without with"; [ $((round % 2)) = 0 ] && order="with without"
  for variant in $order; do
    read -r requests nticks sticks codes <<<"$(one $variant)"
    line=$(awk -v v=$variant -v n="$requests" -v t=$nticks -v s=$sticks -v hz=$hz -v d=$seconds -v r=$round \
      'BEGIN { printf "round %d %-7s requests %7d (%5.0f/s)  nginx %6.2f s CPU = %6.3f ms per 1000  script %5.3f s CPU = %5.2f%% of a core\n", r, v, n, n / d, t / hz, t / hz * 1e6 / n, s / hz, s / hz * 100 / d }')
    echo "$line ${codes:-}"
    results+=("$variant $requests $nticks $sticks")
  done
done
printf '%s\n' "${results[@]}" | awk -v hz=$hz -v d=$seconds '
  function median(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
  { k = $1; n[k]++; per[k, n[k]] = $3 / hz * 1e6 / $2; script[k, n[k]] = $4 / hz * 100 / d; rq[k, n[k]] = $2 / d }
  END {
    for (i = 1; i <= n["without"]; i++) a[i] = per["without", i]; base = median(a, n["without"]); delete a
    for (i = 1; i <= n["with"]; i++) a[i] = per["with", i]; with = median(a, n["with"]); delete a
    for (i = 1; i <= n["with"]; i++) a[i] = script["with", i]; s = median(a, n["with"]); delete a
    for (i = 1; i <= n["with"]; i++) a[i] = rq["with", i]; r = median(a, n["with"])
    printf "median nginx CPU per 1000 requests: without %.3f ms, with %.3f ms: ratio %.3f\n", base, with, with / base
    printf "median script CPU: %.2f%% of a core at %.0f requests/s = %.3f of nginx'\''s own CPU with signals\n", s, r, s / 100 * d / (with * r * d / 1e6)
  }'
