#!/usr/bin/env bash
# Publishes both programs, as the deployment guide and the systemd units expect them:
#   OUT/server/GeoDns.Server    -> /opt/geodns/GeoDns.Server on each nameserver
#   OUT/sidecar/GeoDns.Sidecar  -> /opt/geodns/GeoDns.Sidecar at home
# Usage: deploy/publish.sh [--rid linux-x64|linux-arm64] [--framework-dependent] [OUT]   (default OUT: out)
# Self-contained single files by default (no .NET on the VPS); --framework-dependent is smaller
# and quicker to build where .NET 10 is installed (the lab uses it).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
rid=linux-x64
mode=(--self-contained -p:PublishSingleFile=true)
out=out
while [ $# -gt 0 ]; do
  case $1 in
    --rid) rid=$2; shift 2 ;;
    --framework-dependent) mode=(--no-self-contained); shift ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) out=$1; shift ;;
  esac
done
for program in Server Sidecar; do
  dir=$(echo "$program" | tr '[:upper:]' '[:lower:]')
  dotnet publish "$repo/src/GeoDns.$program" -c Release -r "$rid" "${mode[@]}" -o "$out/$dir"
done
echo "published: $out/server/GeoDns.Server, $out/sidecar/GeoDns.Sidecar ($rid)"
