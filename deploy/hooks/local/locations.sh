# Sourced by local/create.sh and countries.sh, so both read one list: the countries a local "VPS" is
# made in. A loopback address is in no country and stands for any: every ISO 3166 code, unless
# LOCAL_EDGE_COUNTRIES narrows them as a real provider's list is narrow (a test of a country no
# location serves, or a demo of one).
iso3166='AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS
BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE
EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM
HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC
LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA
NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW
SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO
TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'

# The countries create.sh makes a "VPS" in, one a line.
countries() { printf '%s\n' ${LOCAL_EDGE_COUNTRIES:-$iso3166}; }

# Why create.sh makes none in country $1, or nothing when it does.
refusal() {
  local list=" ${LOCAL_EDGE_COUNTRIES:-$iso3166} "
  list=${list//$'\n'/ }
  if [[ $1 =~ ^[A-Z]{2}$ && $list == *" $1 "* ]]; then return; fi
  if [ -n "${LOCAL_EDGE_COUNTRIES:-}" ]; then
    echo "no location in country '$1': LOCAL_EDGE_COUNTRIES lists $(countries | paste -sd ' ')"
  else
    echo "'$1' is not an ISO 3166 country code"
  fi
}
