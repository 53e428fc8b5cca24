# Sourced by netns/create.sh and countries.sh, so both read one table: the regions this provider
# pretends to have, as a real provider's location list would be: a country and its city's coordinates.
regions='DE 50.11 8.68
SG 1.35 103.82
US 40.71 -74.01
GB 51.51 -0.13'

# The edge JSON's coordinates in country $1, or nothing when there is no region in it.
coords_in() {
  awk -v c="$1" '$1 == c { printf "\"latitude\": %s, \"longitude\": %s\n", $2, $3; exit }' <<<"$regions"
}

# The countries create.sh makes a "VPS" in, one a line.
countries() { awk '{ print $1 }' <<<"$regions"; }
