#!/usr/bin/env bash
# Downloads the free default geo database: ip-location-db's geo-whois-asn-country (country level,
# IPv4 and IPv6), published as an npm package. Nothing third-party is kept in the repository, so
# every install runs this once, and again now and then to pick up the daily updates.
#
# Usage: deploy/fetch-geodb.sh [TARGET]   (default: data/geo-whois-asn-country.mmdb in the repository)
set -euo pipefail

package="@ip-location-db/geo-whois-asn-country-mmdb"
database="geo-whois-asn-country.mmdb"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="${1:-$root/data/$database}"

command -v npm >/dev/null || { echo "fetch-geodb: npm is needed to download $package" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "$package" >/dev/null)
tar -xzf "$work"/*.tgz -C "$work" "package/$database" package/package.json
# Refuse anything but a MaxMind DB: its metadata starts after this marker.
if ! LC_ALL=C grep -qa $'\xab\xcd\xefMaxMind.com' "$work/package/$database"; then
    echo "fetch-geodb: $package holds no MaxMind DB file named $database" >&2
    exit 1
fi
version="$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$work/package/package.json")"

mkdir -p "$(dirname "$target")"
# Written beside the target, then renamed over it: a server opening the path never sees half a file.
cp "$work/package/$database" "$target.partial.$$"
mv -f "$target.partial.$$" "$target"

cat <<INFO
Geo database: $target
Source: npm package $package, version $version (ip-location-db by sapics)
License: Creative Commons Attribution 4.0 International (CC BY 4.0).
  The data is derived from the RIRs' WHOIS and ASN statistics published by the
  Number Resource Organization; attribution: "IP geolocation data by ip-location-db
  (sapics), from NRO data (nro.net), licensed under CC BY 4.0".
INFO
