# Sourced by digitalocean/create.sh and countries.sh, so both read one table: DigitalOcean's regions
# (it names them, not coordinates: each line has its city's), a country's first line the region
# bought in for it. A region is known by its city, the slug's first three letters (nyc1, nyc3).
regions='fra1 DE 50.11 8.68
ams3 NL 52.37 4.90
lon1 GB 51.51 -0.13
nyc3 US 40.71 -74.01
sfo3 US 37.77 -122.42
atl1 US 33.75 -84.39
tor1 CA 43.65 -79.38
sgp1 SG 1.35 103.82
blr1 IN 12.97 77.59
syd1 AU -33.87 151.21'

# The region create.sh buys in: DO_REGION, whatever the country; else country $1's (empty means DE);
# nothing when DigitalOcean has no region in it.
region_for() {
  if [ -n "${DO_REGION:-}" ]; then echo "$DO_REGION"; return; fi
  awk -v c="${1:-DE}" '$2 == c { print $1; exit }' <<<"$regions"
}

# Where region $1 is, as JSON: [latitude, longitude, country], or null when the table lacks its city.
place_of() {
  awk -v r="$1" 'substr($1, 1, 3) == substr(r, 1, 3) { printf "[%s, %s, \"%s\"]\n", $3, $4, $2; found = 1; exit } END { if (!found) print "null" }' <<<"$regions"
}

# The countries create.sh buys in, one a line: the table's; with DO_REGION set, that region's alone,
# as every droplet goes there whatever country it is asked for.
countries() {
  if [ -z "${DO_REGION:-}" ]; then
    awk '!seen[$2]++ { print $2 }' <<<"$regions"
  elif ! awk -v r="$DO_REGION" 'substr($1, 1, 3) == substr(r, 1, 3) { print $2; found = 1; exit } END { exit !found }' <<<"$regions"; then
    echo "DO_REGION '$DO_REGION' is not in digitalocean/locations.sh: add its city there" >&2
    return 1
  fi
}
