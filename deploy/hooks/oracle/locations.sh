# Sourced by oracle/create.sh and countries.sh, so both read one table: Oracle Cloud's regions
# (it names them, not coordinates: each line has its city's) and the country each is in.
regions='eu-frankfurt-1 DE 50.11 8.68
eu-amsterdam-1 NL 52.37 4.90
uk-london-1 GB 51.51 -0.13
uk-cardiff-1 GB 51.48 -3.18
eu-paris-1 FR 48.86 2.35
eu-marseille-1 FR 43.30 5.37
eu-milan-1 IT 45.46 9.19
eu-madrid-1 ES 40.42 -3.70
eu-stockholm-1 SE 59.33 18.07
eu-zurich-1 CH 47.38 8.54
il-jerusalem-1 IL 31.77 35.21
me-jeddah-1 SA 21.49 39.19
me-dubai-1 AE 25.20 55.27
af-johannesburg-1 ZA -26.20 28.05
us-ashburn-1 US 39.04 -77.49
us-phoenix-1 US 33.45 -112.07
us-sanjose-1 US 37.34 -121.89
us-chicago-1 US 41.88 -87.63
ca-toronto-1 CA 43.65 -79.38
ca-montreal-1 CA 45.50 -73.57
mx-queretaro-1 MX 20.59 -100.39
mx-monterrey-1 MX 25.69 -100.32
sa-saopaulo-1 BR -23.55 -46.63
sa-vinhedo-1 BR -23.03 -46.98
sa-santiago-1 CL -33.45 -70.67
ap-tokyo-1 JP 35.68 139.69
ap-osaka-1 JP 34.69 135.50
ap-seoul-1 KR 37.57 126.98
ap-chuncheon-1 KR 37.88 127.73
ap-singapore-1 SG 1.35 103.82
ap-mumbai-1 IN 19.08 72.88
ap-hyderabad-1 IN 17.39 78.49
ap-sydney-1 AU -33.87 151.21
ap-melbourne-1 AU -37.81 144.96'

# Where region $1 is, as JSON: [latitude, longitude, country], or null when the table lacks it.
place_of() {
  awk -v r="$1" '$1 == r { printf "[%s, %s, \"%s\"]\n", $3, $4, $2; found = 1; exit } END { if (!found) print "null" }' <<<"$regions"
}

# The countries create.sh buys in: the one its region ($region, from oci.sh: OCI_REGION or the home
# region, where free tier VMs run) is in.
countries() {
  awk -v r="$region" '$1 == r { print $2; found = 1; exit } END { exit !found }' <<<"$regions" ||
    { echo "Oracle Cloud region '$region' is not in oracle/locations.sh's table: add its city there" >&2; return 1; }
}
