#!/usr/bin/env bash
# Delegation at Cloudflare (the parent zone stays there, DNS only): makes Cloudflare serve exactly the
# NS records of $DELEGATE_ZONE and the glue (A/AAAA, proxy off) of each nameserver. Records already
# right are left alone; wrong ones are changed, extra ones deleted. Run again, it changes nothing.
#
# Needs: curl, jq; an API token limited to "Zone: DNS: Edit" on the parent zone
# (dash.cloudflare.com → My Profile → API Tokens), never the global API key.
# In:  DELEGATE_ZONE (edge.example.com), DELEGATE_PARENT (example.com), DELEGATE_NAMESERVERS (one line
#      per nameserver: "FQDN IPV4 IPV6", "-" for an address it lacks), DELEGATE_TTL (default 3600);
#      CLOUDFLARE_API_TOKEN; CLOUDFLARE_ZONE_ID (optional: found from DELEGATE_PARENT otherwise);
#      CLOUDFLARE_API (default https://api.cloudflare.com/client/v4; the tests point it at a fake).
set -euo pipefail
: "${DELEGATE_ZONE:?}" "${DELEGATE_PARENT:?}" "${DELEGATE_NAMESERVERS:?}"
: "${CLOUDFLARE_API_TOKEN:?an API token with Zone DNS Edit on the parent zone}"
api=${CLOUDFLARE_API:-https://api.cloudflare.com/client/v4}
ttl=${DELEGATE_TTL:-3600}
bare() { echo "${1%.}"; }
zone=$(bare "$DELEGATE_ZONE")

# call METHOD PATH [JSON]: the API's result, or the API's own error message on stderr and exit 1.
call() {
  local reply
  reply=$(curl -sS -X "$1" -H "Authorization: Bearer $CLOUDFLARE_API_TOKEN" -H "Content-Type: application/json" \
    ${3:+--data "$3"} "$api$2") || { echo "Cloudflare API unreachable: $1 $2" >&2; exit 1; }
  if [ "$(jq -r '.success' <<<"$reply" 2>/dev/null)" != true ]; then
    echo "Cloudflare API refused $1 $2: $(jq -r '[.errors[]?.message] | join("; ")' <<<"$reply" 2>/dev/null || echo "$reply")" >&2
    exit 1
  fi
  jq -c '.result' <<<"$reply"
}

zone_id=${CLOUDFLARE_ZONE_ID:-$(call GET "/zones?name=$(bare "$DELEGATE_PARENT")" | jq -r '.[0].id // empty')}
[ -n "$zone_id" ] || { echo "no Cloudflare zone named $(bare "$DELEGATE_PARENT") for this token" >&2; exit 1; }
records="/zones/$zone_id/dns_records"

# converge TYPE NAME CONTENT...: the records of that type and name become exactly CONTENT...
converge() {
  local type=$1 name=$2 existing id content body
  shift 2
  existing=$(call GET "$records?type=$type&name=$name&per_page=100")
  local keep=()
  for content in "$@"; do
    id=$(jq -r --arg c "$content" '[.[] | select((.content | ascii_downcase | rtrimstr(".")) == ($c | ascii_downcase | rtrimstr(".")))][0].id // empty' <<<"$existing")
    # Glue must reach the nameserver itself: never proxied. NS records cannot be.
    body=$(jq -nc --arg t "$type" --arg n "$name" --arg c "$content" --argjson ttl "$ttl" \
      '{type: $t, name: $n, content: $c, ttl: $ttl} + (if $t == "NS" then {} else {proxied: false} end)')
    if [ -n "$id" ]; then
      # Right content; put it back if its TTL or proxy setting drifted.
      jq -e --arg i "$id" --argjson ttl "$ttl" '.[] | select(.id == $i) | .ttl == $ttl and ((.proxied // false) == false)' <<<"$existing" >/dev/null ||
        call PUT "$records/$id" "$body" >/dev/null
      keep+=("$id")
    else
      call POST "$records" "$body" >/dev/null
    fi
  done
  for id in $(jq -r '.[].id' <<<"$existing"); do
    case " ${keep[*]:-} " in *" $id "*) ;; *) call DELETE "$records/$id" >/dev/null ;; esac
  done
}

names=()
while read -r name ipv4 ipv6 _; do
  [ -n "${name:-}" ] || continue
  name=$(bare "$name")
  names+=("$name")
  case $name in
    *".$zone")
      if [ "${ipv4:--}" = - ]; then converge A "$name"; else converge A "$name" "$ipv4"; fi
      if [ "${ipv6:--}" = - ]; then converge AAAA "$name"; else converge AAAA "$name" "$ipv6"; fi
      ;;
  esac
done <<<"$DELEGATE_NAMESERVERS"
[ ${#names[@]} -gt 0 ] || { echo "DELEGATE_NAMESERVERS names no nameserver" >&2; exit 1; }
converge NS "$zone" "${names[@]}"
