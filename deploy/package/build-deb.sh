#!/usr/bin/env bash
# Builds the two Debian packages, from deploy/publish.sh's self-contained single files:
#   OUT/geodns_V_ARCH.deb          the nameserver (docs/manual-install.md, sections 2 and 3)
#   OUT/geodns-sidecar_V_ARCH.deb  the home sidecar (docs/deployment.md, section 2)
# Usage: deploy/package/build-deb.sh [--rid linux-x64|linux-arm64] [--version V] [--published DIR] OUT
#   --rid        the machine the packages are for (default linux-x64; ARCH amd64 or arm64)
#   --version    the package version (default: what the programs print with --version, made Debian-valid)
#   --published  take the programs from DIR/server and DIR/sidecar (publish.sh's OUT/RID) instead of
#                publishing them again: a second build of the same programs, e.g. with another version
# Plain dpkg-deb, no debhelper: the maintainer scripts are deploy/package/geodns*/ (deploy/package/README.md).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
rid=linux-x64
version=
published=
out=
while [ $# -gt 0 ]; do
  case $1 in
    --rid) [ $# -ge 2 ] || { echo "build-deb.sh: --rid needs a value" >&2; exit 2; }; rid=$2; shift 2 ;;
    --version) [ $# -ge 2 ] || { echo "build-deb.sh: --version needs a value" >&2; exit 2; }; version=$2; shift 2 ;;
    --published) [ $# -ge 2 ] || { echo "build-deb.sh: --published needs a value" >&2; exit 2; }; published=$2; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    -*) echo "build-deb.sh: unknown option $1" >&2; exit 2 ;;
    *) out=$1; shift ;;
  esac
done
[ -n "$out" ] || { echo "build-deb.sh: name an output directory (deploy/package/build-deb.sh out)" >&2; exit 2; }
case $rid in
  linux-x64) arch=amd64 ;;
  linux-arm64) arch=arm64 ;;
  *) echo "build-deb.sh: --rid linux-x64 or linux-arm64, not $rid" >&2; exit 2 ;;
esac
command -v dpkg-deb >/dev/null || { echo "build-deb.sh: dpkg-deb is needed (Debian's dpkg package)" >&2; exit 1; }
mkdir -p "$out"
out=$(cd "$out" && pwd)

if [ -z "$published" ]; then
  "$repo/deploy/publish.sh" --rid "$rid" "$out/publish"
  published=$out/publish/$rid
fi
server=$published/server/GeoDns.Server
sidecar=$published/sidecar/GeoDns.Sidecar
for program in "$server" "$sidecar"; do
  [ -f "$program" ] || { echo "build-deb.sh: $program is missing (deploy/publish.sh --rid $rid)" >&2; exit 1; }
done

if [ -z "$version" ]; then
  # "geodns 0.9.0+1a2b3c4": the programs say it; a cross-built one cannot run here, so then the same
  # from its sources: Directory.Build.props's <Version> and the commit.
  printed=$("$server" --version 2>/dev/null | sed -n 's/^geodns //p' || true)
  if [ -z "$printed" ]; then
    printed=$(sed -n 's:.*<Version>\([^<]*\)</Version>.*:\1:p' "$repo/Directory.Build.props")
    commit=$(git -C "$repo" rev-parse --short=7 HEAD 2>/dev/null || true)
    [ -z "$commit" ] || printed="$printed+$commit"
  fi
  version=$printed
fi
# Debian's upstream version: digits first, then letters, digits and . + ~ only (a '-' would start a
# Debian revision, '_' splits the file name); anything else becomes '.'.
version=$(printf '%s' "$version" | sed 's/[^A-Za-z0-9.+~]/./g')
[[ $version =~ ^[0-9] ]] || { echo "build-deb.sh: version '$version' does not start with a digit" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# control FILE PACKAGE DEPENDS RECOMMENDS SUGGESTS DESCRIPTION (the tree's size is counted last)
control() {
  local root=$1 package=$2 depends=$3 recommends=$4 suggests=$5 summary=$6 description=$7
  cat >"$root/DEBIAN/control" <<CONTROL
Package: $package
Version: $version
Architecture: $arch
Maintainer: GeoDns <geodns@localhost>
Section: net
Priority: optional
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Depends: $depends
Recommends: $recommends
Suggests: $suggests
Description: $summary
$(printf '%s\n' "$description" | fold -s -w 78 | sed 's/^/ /; s/ *$//')
CONTROL
}

# scripts ROOT PACKAGE: the maintainer scripts, and every file under /etc or /opt/geodns listed as a
# conffile in the package's conffiles.
scripts() {
  local root=$1 package=$2
  for script in postinst prerm postrm; do
    install -m 755 "$here/$package/$script" "$root/DEBIAN/$script"
  done
  install -m 644 "$here/$package/conffiles" "$root/DEBIAN/conffiles"
  while read -r conffile; do
    [ -f "$root$conffile" ] || { echo "build-deb.sh: $package lists $conffile as a conffile but does not ship it" >&2; exit 1; }
  done <"$here/$package/conffiles"
}

# The nameserver, where deploy/systemd/geodns.service runs it: binary, config and zones in /opt/geodns.
root=$work/geodns
install -d "$root/DEBIAN" "$root/opt/geodns/zones" "$root/etc/geodns" "$root/usr/lib/systemd/system" "$root/usr/share/doc/geodns"
install -m 755 "$server" "$root/opt/geodns/GeoDns.Server"
install -m 755 "$repo/deploy/fetch-geodb.sh" "$root/opt/geodns/fetch-geodb.sh"
install -m 644 "$here/geodns.json" "$root/opt/geodns/geodns.json"
install -m 644 "$here/edge.example.com.zone" "$root/opt/geodns/zones/edge.example.com.zone"
install -m 644 "$repo/deploy/systemd/geodns.service" "$repo/deploy/systemd/geodns-geodb.service" "$repo/deploy/systemd/geodns-geodb.timer" "$root/usr/lib/systemd/system/"
install -m 644 "$here/README.md" "$root/usr/share/doc/geodns/README.md"
scripts "$root" geodns
# A self-contained .NET single file: the C library and the C++ runtime it links, OpenSSL it loads for
# the HTTPS probes (ICU not: the build is culture-invariant), and the CA certificates those probes check
# edges against. npm only for the optional daily geo update.
control "$root" geodns \
  "libc6 (>= 2.31), libgcc-s1, libstdc++6, libssl3 | libssl3t64 | libssl1.1, ca-certificates" \
  "npm" "nftables, wireguard-tools" \
  "authoritative GeoDNS server with health-checked edge pools" \
  "Answers a delegated zone from RFC 1035 zone files and a pool of edges per name: the nearest healthy edges to each client, probed over HTTPS. Installs /opt/geodns/GeoDns.Server with the systemd unit geodns.service (enabled, not started: edit /opt/geodns/geodns.json and the zone first), the daily geo database update (geodns-geodb.timer, not enabled), the user geodns and its data directory /var/lib/geodns."

# The sidecar as section 9 installs it; the interface's wg0.conf and the home's firewall are the
# admin's (root's) to install: examples only.
root=$work/geodns-sidecar
install -d "$root/DEBIAN" "$root/opt/geodns" "$root/etc/geodns" "$root/usr/bin" "$root/usr/lib/systemd/system" "$root/usr/share/geodns-sidecar" "$root/usr/share/doc/geodns-sidecar"
install -m 755 "$sidecar" "$root/opt/geodns/GeoDns.Sidecar"
cp -rT "$repo/deploy/hooks" "$root/opt/geodns/hooks"
cp -rT "$repo/deploy/edge" "$root/opt/geodns/edge"
# Whatever the checkout's umask: scripts 0755, the rest 0644, as git checks them out.
find "$root/opt/geodns/hooks" "$root/opt/geodns/edge" -type d -exec chmod 755 {} + -o -type f -perm -u+x -exec chmod 755 {} + -o -type f -exec chmod 644 {} +
install -m 755 "$repo/deploy/home/geodns-sidecar" "$root/usr/bin/geodns-sidecar"
install -m 640 "$here/sidecar.json" "$root/etc/geodns/sidecar.json"
install -m 644 "$repo/deploy/systemd/geodns-sidecar.service" "$root/usr/lib/systemd/system/"
install -m 644 "$repo/deploy/home/wg0.conf" "$repo/deploy/home/geodns-home.nft" "$repo/deploy/home/nginx-home-tls.conf" "$repo/deploy/home/nginx-home-passthrough.conf" "$root/usr/share/geodns-sidecar/"
install -m 755 "$repo/deploy/home/certbot-deploy-hook" "$root/usr/share/geodns-sidecar/certbot-deploy-hook"
# hooks.rekey's request and root's units that act on it: examples too (they need /etc/geodns/rekey.env).
install -m 755 "$repo/deploy/home/geodns-rekey-request" "$root/usr/share/geodns-sidecar/geodns-rekey-request"
install -m 644 "$repo/deploy/systemd/geodns-rekey.path" "$repo/deploy/systemd/geodns-rekey.service" "$root/usr/share/geodns-sidecar/"
install -m 644 "$here/README.md" "$root/usr/share/doc/geodns-sidecar/README.md"
scripts "$root" geodns-sidecar
# setpriv (the wrapper) is util-linux's, essential; the sidecar applies its tunnels with wg.
control "$root" geodns-sidecar \
  "libc6 (>= 2.31), libgcc-s1, libstdc++6, libssl3 | libssl3t64 | libssl1.1, wireguard-tools" \
  "nftables, jq, openssh-client" "nginx, certbot" \
  "home sidecar of GeoDns: WireGuard tunnels and edge rotation" \
  "Keeps the home's WireGuard tunnels to the GeoDns nameservers and the edges, buys and provisions edges through provider hooks, and rotates them. Installs /opt/geodns/GeoDns.Sidecar, the hooks in /opt/geodns/hooks, the wrapper /usr/bin/geodns-sidecar, the systemd unit geodns-sidecar.service (not enabled: docs/deployment.md section 8 enables it last), the user geodns-sidecar and /var/lib/geodns-sidecar. The home's /etc/wireguard/wg0.conf and firewall stay root's: examples in /usr/share/geodns-sidecar."

# gzip: every dpkg reads it, and it packs each program's ~80 MB in seconds where xz takes a minute and
# more on a small machine, for a file a quarter smaller.
for package in geodns geodns-sidecar; do
  dpkg-deb --root-owner-group -Zgzip --build "$work/$package" "$out/${package}_${version}_${arch}.deb" >/dev/null
  echo "built: $out/${package}_${version}_${arch}.deb"
done
