# Shared by up.sh, down.sh, run.sh: the lab's names, addresses and small helpers.
# Everything lives in network namespaces named gl-*, on the bridge gl-br0 inside gl-net, with
# documentation addresses (RFC 5737); no namespace has a route beyond these three networks.
LAB=${GL_LAB:-/tmp/gl-lab}
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
NETS="192.0.2.0/24 198.51.100.0/24 203.0.113.0/24"
POOL=app.edge.example.com
PARENT=198.51.100.2
NS1=198.51.100.1
NS2=203.0.113.1
HOME_ADDR=198.51.100.9
# One resolver per region (the mmdb places each network in a country): DE, SG, US.
RESOLVERS=(192.0.2.53 203.0.113.53 198.51.100.53)
CLIENTS=(192.0.2.101 203.0.113.101 198.51.100.101)
REGIONS=(DE SG US)
# The programs as deploy/package/build-deb.sh publishes them (self-contained single files), and the
# nameserver package bootstrap installs on ns1 and ns2.
RID=linux-x64
[ "$(uname -m)" != aarch64 ] || RID=linux-arm64
SIDECAR=$LAB/bin/debs/publish/$RID/sidecar/GeoDns.Sidecar
SERVER=$LAB/bin/debs/publish/$RID/server/GeoDns.Server
package() { ls "$LAB"/bin/debs/geodns_*.deb 2>/dev/null | head -n 1; }
# The nameservers, bought by bootstrap through the netns hooks at these (reserved) addresses.
NAMESERVERS="ns1=$NS1 ns2=$NS2"

say() { printf '%s lab: %s\n' "$(date +%T)" "$*" >&2; }
die() { say "error: $*"; exit 1; }

# gl_netns NAME ADDRESS...: namespace gl-NAME on the bridge with these addresses (/24 each).
gl_netns() {
  local name=$1 ns=gl-$1 veth=glv-$1
  shift
  ip netns add "$ns"
  ip link add "$veth" netns gl-net type veth peer name eth0 netns "$ns"
  ip -n gl-net link set "$veth" master gl-br0 up
  ip -n "$ns" link set lo up
  local a
  for a in "$@"; do ip -n "$ns" addr add "$a/24" dev eth0; done
  ip -n "$ns" link set eth0 up
  local net
  for net in $NETS; do
    ip -n "$ns" route show "$net" | grep -q . || ip -n "$ns" route add "$net" dev eth0
  done
}

# gl_start NS NAME COMMAND...: runs COMMAND in gl-NS in the background; its PID in $LAB/pid/NAME.pid.
gl_start() {
  local ns=gl-$1 name=$2
  shift 2
  mkdir -p "$LAB/pid" "$LAB/log"
  ip netns exec "$ns" "$@" </dev/null >>"$LAB/log/$name.log" 2>&1 &
  echo $! >"$LAB/pid/$name.pid"
}

# The sidecar and its hooks switch only the network namespace (nsenter), not the mount namespace as
# `ip netns exec` does: the namespaces the netns hooks add must be mounted for everyone to see.
home_net() { nsenter --net=/run/netns/gl-home -- "$@"; }

# gl_start_home NAME COMMAND...: gl_start, in gl-home's network namespace only.
gl_start_home() {
  local name=$1
  shift
  mkdir -p "$LAB/pid" "$LAB/log"
  nsenter --net=/run/netns/gl-home -- "$@" </dev/null >>"$LAB/log/$name.log" 2>&1 &
  echo $! >"$LAB/pid/$name.pid"
}

# sidecar_run: the home's sidecar daemon. It trusts the lab CA for the alert receiver's STARTTLS (deploy/lab/alert_receiver.py), as
# a home trusts its mail provider's CA through the system's store.
sidecar_run() { gl_start_home sidecar env SSL_CERT_FILE="$LAB/ca/tls-ca.pem" "$SIDECAR" --config "${1:-$LAB/home/sidecar.json}" run; }

# gl_stop NAME: stops what gl_start started under NAME (TERM, then KILL after 5 s).
gl_stop() {
  local file=$LAB/pid/$1.pid pid
  [ -f "$file" ] || return 0
  pid=$(cat "$file")
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

# gl_wait SECONDS DESCRIPTION COMMAND...: polls COMMAND every 0.2 s until it succeeds.
gl_wait() {
  local limit=$1 what=$2 end
  shift 2
  end=$(($(date +%s) + limit))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$end" ] || { say "timed out after ${limit}s waiting for $what"; return 1; }
    sleep 0.2
  done
}

# netns_hook HOOK VAR=VALUE...: runs a netns provider hook by hand, in the home's network namespace,
# with the environment the sidecar's config gives it.
netns_hook() {
  local hook=$1
  shift
  nsenter --net=/run/netns/gl-home -- env NETNS_STATE="$LAB/edges" NETNS_BRIDGE_NS=gl-net NETNS_BRIDGE=gl-br0 \
    NETNS_PREFIX=198.51.100. NETNS_FIRST=21 NETNS_ROUTES="192.0.2.0/24 203.0.113.0/24" NETNS_ADDRESSES="$NAMESERVERS" \
    NETNS_GEO_DB="$LAB/lab.mmdb" NETNS_CA_FILE="$LAB/ca/acme-root.pem" "$@" "$REPO/deploy/hooks/netns/$hook.sh"
}

# ns_stop NAME / ns_start NAME [PACKAGE]: the nameserver's server stopped (as its machine dying would), and
# started again as its provision hook starts it (with the package it has, or PACKAGE), from the files bootstrap wrote.
ns_stop() {
  local file=$LAB/edges/$1/geodns.pid pid
  [ -f "$file" ] || return 0
  pid=$(cat "$file")
  kill "$pid" 2>/dev/null && for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}
ns_start() {
  local n=$1 i
  i=$([ "$n" = ns1 ] && echo 2 || echo 3)
  netns_hook provision-nameserver EDGE_NAME="$n" EDGE_IPV4="$(edge_address "$n")" EDGE_TUNNEL="10.77.0.$i" \
    NS_FILES="$LAB/home/sidecar/fleet/$n" NS_WG_CONF="$LAB/home/wireguard/nameservers/$n/wg0.conf" NS_PACKAGE="${2:-$(package)}"
}

# edge_address NAME / edge_name ADDRESS / live_edges: the edges the provider made.
edge_address() { sed -n 's/.*"ipv4": "\([^"]*\)".*/\1/p' "$LAB/edges/$1.json" 2>/dev/null; }
live_edges() {
  local f n
  for f in "$LAB"/edges/*.json; do
    n=$(basename "$f" .json)
    # ns1 and ns2 are bought by the same hooks, into the same directory: not edges.
    [ -f "$f" ] && case " $NAMESERVERS" in *" $n="*) ;; *) echo "$n" ;; esac
  done
}
edge_name() {
  local e
  for e in $(live_edges); do [ "$(edge_address "$e")" = "$1" ] && { echo "$e"; return; }; done
  echo "$1"
}

# answer NAMESERVER SUBNET: the pool's A records from one nameserver for a client in SUBNET (ECS).
answer() { ip netns exec gl-client-3 dig +short +norec +time=1 +tries=1 "@$1" "$POOL" A "+subnet=$2" | sort | paste -sd ' '; }

# admin_edges 1|2: "NAME STATE IN_ANSWERS" per edge, from that nameserver's admin API (through the tunnel).
admin_edges() {
  ip netns exec gl-home curl -sf --max-time 2 -H "Authorization: Bearer $(cat "$LAB/admin.token")" "http://10.77.0.$(($1 + 1)):8053/v1/edges" |
    python3 -c '
import json, sys
d = json.load(sys.stdin)
d = d.get("edges", d) if isinstance(d, dict) else d
for e in d:
    states = "/".join(sorted({str(a["state"]).capitalize() for a in e["addresses"]}))
    print(e["name"], states, str(e["inAnswers"]).lower())'
}

# all_up: every live edge Up and in the answers on both nameservers.
all_up() {
  local n e
  for n in 1 2; do
    local list
    list=$(admin_edges "$n") || return 1
    for e in $(live_edges); do echo "$list" | grep -q "^$e Up true$" || return 1; done
  done
}
