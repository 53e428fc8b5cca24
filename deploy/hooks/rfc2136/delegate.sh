#!/usr/bin/env bash
# Delegation at a parent that takes RFC 2136 dynamic updates signed with TSIG (BIND, Knot, PowerDNS):
# makes the parent serve exactly the NS records of $DELEGATE_ZONE and the glue of each nameserver, in
# one UPDATE (all or nothing). Run again with the same input, it changes nothing that is already right.
#
# Needs: nsupdate (bind9-dnsutils).
# In:  DELEGATE_ZONE (edge.example.com), DELEGATE_PARENT (example.com), DELEGATE_NAMESERVERS (one line
#      per nameserver: "FQDN IPV4 IPV6", "-" for an address it lacks), DELEGATE_TTL (default 3600);
#      RFC2136_SERVER (the parent's primary, ADDRESS or ADDRESS:PORT; [IPV6]:PORT), RFC2136_KEY_FILE
#      (the TSIG key in the form tsig-keygen writes; the parent's policy must let it change NS, A and
#      AAAA records at and below DELEGATE_ZONE).
set -euo pipefail
: "${DELEGATE_ZONE:?}" "${DELEGATE_PARENT:?}" "${DELEGATE_NAMESERVERS:?}"
: "${RFC2136_SERVER:?the parent primary that takes updates, ADDRESS[:PORT]}" "${RFC2136_KEY_FILE:?a TSIG key file (tsig-keygen) the parent accepts}"
ttl=${DELEGATE_TTL:-3600}

case $RFC2136_SERVER in
  \[*\]:*) host=${RFC2136_SERVER%]:*}; host=${host#[}; port=${RFC2136_SERVER##*]:} ;;
  *:*:*) host=$RFC2136_SERVER; port=53 ;;  # a bare IPv6 address
  *:*) host=${RFC2136_SERVER%:*}; port=${RFC2136_SERVER##*:} ;;
  *) host=$RFC2136_SERVER; port=53 ;;
esac

fqdn() { case $1 in *.) echo "$1" ;; *) echo "$1." ;; esac; }
zone=$(fqdn "$DELEGATE_ZONE")

{
  echo "server $host $port"
  echo "zone $(fqdn "$DELEGATE_PARENT")"
  # The whole NS set is replaced: a nameserver removed from the fleet leaves the delegation too.
  echo "update delete $zone NS"
  while read -r name ipv4 ipv6 _; do
    [ -n "${name:-}" ] || continue
    name=$(fqdn "$name")
    echo "update add $zone $ttl NS $name"
    # Glue only for names inside the delegated zone (in bailiwick); a name elsewhere needs none.
    case $name in
      *".$zone")
        echo "update delete $name A"
        echo "update delete $name AAAA"
        [ "${ipv4:--}" = - ] || echo "update add $name $ttl A $ipv4"
        [ "${ipv6:--}" = - ] || echo "update add $name $ttl AAAA $ipv6"
        ;;
    esac
  done <<<"$DELEGATE_NAMESERVERS"
  echo "send"
  echo "answer"
} | nsupdate -k "$RFC2136_KEY_FILE" -v >/dev/null || {
  echo "the parent $RFC2136_SERVER refused or did not answer the update of $DELEGATE_ZONE's delegation (key $RFC2136_KEY_FILE)" >&2
  exit 1
}
