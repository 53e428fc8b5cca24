#!/usr/bin/env bash
# TCP clients that try to hold every slot (RFC 7766 §6.2.3): slow senders, slow lorises and clients
# that never read, against GeoDns with its default TCP settings, while a normal client asks 20
# questions a second over fresh connections. Prints the normal client's answer rate.
# Usage: bench/tcp-abuse.sh [seconds] [slow clients] [non-readers]   (defaults: 30 s, 300, 64)
# GEODNS_REF=<git ref> runs that commit's server instead, for a before/after comparison.
# Loopback only; bounded in time.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
slow=${2:-300}
nonreaders=${3:-64}
port=${BENCH_PORT:-5392}
work=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill $server 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"' EXIT
ulimit -n 8192 2>/dev/null || true

src=.
if [ -n "${GEODNS_REF:-}" ]; then mkdir "$work/src"; git archive "$GEODNS_REF" | tar -x -C "$work/src"; src=$work/src; fi
dotnet publish "$src/src/GeoDns.Server" -c Release -o "$work/bin" --nologo -v q >"$work/publish.log" || { cat "$work/publish.log" >&2; exit 1; }
mkdir -p "$work/zones"
{ cat zones/example.com.zone
  for i in $(seq 40); do printf 'big IN TXT "%s%d"\n' "$(printf 'x%.0s' $(seq 250))" "$i"; done; } > "$work/zones/example.com.zone"
"$work/bin/GeoDns.Server" --zones "$work/zones" --listen 127.0.0.1:$port --data "$work/data" --admin off >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 50); do dig +short +tries=1 +time=1 @127.0.0.1 -p $port example.com SOA >/dev/null 2>&1 && break; sleep 0.2; done

echo "GeoDns ${GEODNS_REF:-(this tree)}, its default TCP settings"
echo "abusers: $slow slow senders (half byte-at-a-time) from 8 /24s, $nonreaders non-readers; $seconds s"
python3 bench/tcp-abuse.py 127.0.0.1 $port "$seconds" "$slow" "$nonreaders" |
  awk '{printf "normal TCP client: %d of %d questions answered (%.2f%%)\n", $5, $3, 100 * $5 / $3}'
