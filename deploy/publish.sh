#!/usr/bin/env bash
# Publishes both programs, as the deployment guide and the systemd units expect them:
#   OUT/RID/server/GeoDns.Server    -> /opt/geodns/GeoDns.Server on each nameserver
#   OUT/RID/sidecar/GeoDns.Sidecar  -> /opt/geodns/GeoDns.Sidecar at home
# Usage: deploy/publish.sh [--rid RID]... [--framework-dependent] [--version V] [OUT]   (default OUT: out)
# Self-contained single files (no .NET on the VPS), for every --rid given, by default linux-x64 and
# linux-arm64 (RID: linux-x64, linux-arm64, ...). --framework-dependent builds once, for this machine,
# into OUT/server and OUT/sidecar: smaller and quicker where .NET 10 is installed. --version V builds
# programs that report V (and the commit) instead of Directory.Build.props's version: a release.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
rids=()
framework_dependent=
version=()
out=out
while [ $# -gt 0 ]; do
  case $1 in
    --rid) [ $# -ge 2 ] || { echo "publish.sh: --rid needs a value" >&2; exit 2; }; rids+=("$2"); shift 2 ;;
    --framework-dependent) framework_dependent=1; shift ;;
    --version) [ $# -ge 2 ] || { echo "publish.sh: --version needs a value" >&2; exit 2; }; version=("-p:Version=$2"); shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    -*) echo "publish.sh: unknown option $1" >&2; exit 2 ;;
    *) out=$1; shift ;;
  esac
done

# A publish for a RID keeps its intermediate files in OUT/.build, not the projects' obj/: it would rewrite
# obj/project.assets.json, which a build or test run in the same checkout is reading meanwhile. One without a RID
# restores just what a build does, so it builds in obj/ like `dotnet run -c Release`, and only what changed.
build=$out/.build

if [ -n "$framework_dependent" ]; then
  [ ${#rids[@]} -eq 0 ] || { echo "publish.sh: --framework-dependent builds for this machine only; drop --rid" >&2; exit 2; }
  for program in Server Sidecar; do
    dir=$(echo "$program" | tr '[:upper:]' '[:lower:]')
    dotnet publish "$repo/src/GeoDns.$program" -c Release --no-self-contained "${version[@]}" -o "$out/$dir"
  done
  echo "published: $out/server/GeoDns.Server, $out/sidecar/GeoDns.Sidecar (framework-dependent)"
  exit 0
fi

[ ${#rids[@]} -gt 0 ] || rids=(linux-x64 linux-arm64)
for rid in "${rids[@]}"; do
  for program in Server Sidecar; do
    dir=$(echo "$program" | tr '[:upper:]' '[:lower:]')
    dotnet publish "$repo/src/GeoDns.$program" -c Release -r "$rid" --self-contained -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true "${version[@]}" --artifacts-path "$build" -o "$out/$rid/$dir"
  done
  echo "published: $out/$rid/server/GeoDns.Server, $out/$rid/sidecar/GeoDns.Sidecar (self-contained, $rid)"
done
