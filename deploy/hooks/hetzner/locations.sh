# Sourced by hetzner/create.sh and countries.sh, so both read one table: Hetzner's locations, each
# with the country it is in, a country's first line the location bought in for it. (The API tells a
# server's coordinates: none here.)
locations='fsn1 DE
nbg1 DE
hel1 FI
ash US
hil US
sin SG'

# The location create.sh buys in: HCLOUD_LOCATION, whatever the country; else country $1's (empty
# means DE; US is HCLOUD_US_LOCATION when set); nothing when Hetzner has no location in it.
location_for() {
  if [ -n "${HCLOUD_LOCATION:-}" ]; then echo "$HCLOUD_LOCATION"; return; fi
  local country=${1:-DE}
  if [ "$country" = US ] && [ -n "${HCLOUD_US_LOCATION:-}" ]; then echo "$HCLOUD_US_LOCATION"; return; fi
  awk -v c="$country" '$2 == c { print $1; exit }' <<<"$locations"
}

# The countries create.sh buys in, one a line: the table's; with HCLOUD_LOCATION set, that
# location's alone, as every VPS goes there whatever country it is asked for.
countries() {
  if [ -z "${HCLOUD_LOCATION:-}" ]; then
    awk '!seen[$2]++ { print $2 }' <<<"$locations"
  elif ! awk -v l="$HCLOUD_LOCATION" '$1 == l { print $2; found = 1 } END { exit !found }' <<<"$locations"; then
    echo "HCLOUD_LOCATION '$HCLOUD_LOCATION' is not in hetzner/locations.sh: add it there with its country" >&2
    return 1
  fi
}
