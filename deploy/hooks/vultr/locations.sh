# Sourced by vultr/create.sh and countries.sh, so both read one table: Vultr's regions (it names
# them, not coordinates: each line has its city's), a country's first line the region bought in for it.
regions='fra DE 50.11 8.68
ams NL 52.37 4.90
lhr GB 51.51 -0.13
man GB 53.48 -2.24
cdg FR 48.86 2.35
mad ES 40.42 -3.70
waw PL 52.23 21.01
sto SE 59.33 18.07
tlv IL 32.09 34.78
ewr US 40.74 -74.17
atl US 33.75 -84.39
dfw US 32.78 -96.80
hnl US 21.31 -157.86
lax US 34.05 -118.24
mia US 25.76 -80.19
ord US 41.88 -87.63
sea US 47.61 -122.33
sjc US 37.34 -121.89
yto CA 43.65 -79.38
mex MX 19.43 -99.13
sao BR -23.55 -46.63
scl CL -33.45 -70.67
sgp SG 1.35 103.82
nrt JP 35.68 139.69
itm JP 34.69 135.50
icn KR 37.57 126.98
bom IN 19.08 72.88
blr IN 12.97 77.59
del IN 28.61 77.21
syd AU -33.87 151.21
mel AU -37.81 144.96
jnb ZA -26.20 28.05'

# The region create.sh buys in: VULTR_REGION, whatever the country; else country $1's (empty means
# DE; US is VULTR_US_REGION when set); nothing when Vultr has no region in it.
region_for() {
  if [ -n "${VULTR_REGION:-}" ]; then echo "$VULTR_REGION"; return; fi
  local country=${1:-DE}
  if [ "$country" = US ] && [ -n "${VULTR_US_REGION:-}" ]; then echo "$VULTR_US_REGION"; return; fi
  awk -v c="$country" '$2 == c { print $1; exit }' <<<"$regions"
}

# Where region $1 is, as JSON: [latitude, longitude, country], or null when the table lacks it.
place_of() {
  awk -v r="$1" '$1 == r { printf "[%s, %s, \"%s\"]\n", $3, $4, $2; found = 1; exit } END { if (!found) print "null" }' <<<"$regions"
}

# The countries create.sh buys in, one a line: the table's; with VULTR_REGION set, that region's
# alone, as every instance goes there whatever country it is asked for.
countries() {
  if [ -z "${VULTR_REGION:-}" ]; then
    awk '!seen[$2]++ { print $2 }' <<<"$regions"
  elif ! awk -v r="$VULTR_REGION" '$1 == r { print $2; found = 1; exit } END { exit !found }' <<<"$regions"; then
    echo "VULTR_REGION '$VULTR_REGION' is not in vultr/locations.sh: add it there with its city" >&2
    return 1
  fi
}
