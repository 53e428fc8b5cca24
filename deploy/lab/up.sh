#!/usr/bin/env bash
# The lab: the whole GeoDns deployment in Linux network namespaces on this machine (root).
#   gl-parent    Knot serving example.com, taking the delegation of edge.example.com (NS + glue) from
#                bootstrap's RFC 2136 delegate hook (Cloudflare DNS-only in a real deployment); pebble, the lab's ACME CA
#   gl-resolver  three unbound resolvers (one per region: DE, SG, US), which reach our zone only
#                through the parent (a stub for example.com) and cache as resolvers do
#   gl-home      web app, home nginx, WireGuard (dialled out), geodns-sidecar; no inbound at all
#   gl-ns1/ns2   bought and installed by the sidecar's bootstrap through deploy/hooks/netns (create,
#                provision-nameserver: the geodns .deb, its files, WireGuard, firewall); admin API on the tunnel only
#   gl-edge-N    bought by the sidecar through deploy/hooks/netns (create, provision, destroy)
#   gl-client-N  curl loops through their region's resolver
# Usage: deploy/lab/up.sh   (then deploy/lab/run.sh NAME, deploy/lab/down.sh)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || die "the lab needs root (network namespaces)"
for tool in ip nft wg wg-quick wireguard-go knotd unbound pebble nginx certbot curl dig nsupdate openssl python3 flock dpkg-deb; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || die "$tool is missing (see docs/deployment.md, the lab)"
done
[ -d /usr/lib/python3/dist-packages/aiosmtpd ] || die "python3-aiosmtpd is missing (the home's alert receiver, deploy/lab/alert_receiver.py)"
export PATH=$PATH:/usr/sbin
"$REPO/deploy/lab/down.sh" >/dev/null 2>&1 || true
# A fresh state each time; the published programs are kept for GL_REUSE_BUILD=1.
find "$LAB" -mindepth 1 -maxdepth 1 ! -name bin -exec rm -rf {} + 2>/dev/null || true
mkdir -p "$LAB"/{bin,pid,log,ca,parent,resolver,home,edges}
# Traversable (not readable) by the home nginx workers, which serve the ACME webroot as nobody.
chmod 711 "$LAB" "$LAB/home"
started=$(date +%s)

if [ "${GL_REUSE_BUILD:-}" = 1 ] && [ -x "$SERVER" ] && [ -x "$SIDECAR" ] && [ -n "$(package)" ] && [ -x "$LAB/bin/tools/LabTools" ]; then
  say "reusing the programs in $LAB/bin (GL_REUSE_BUILD=1)"
else
  say "building the packages (deploy/package/build-deb.sh: GeoDns.Server and GeoDns.Sidecar, self-contained) (guide §1)"
  # A new build: the ns-upgrade scenario's 0.9.1 build of the old sources goes too.
  rm -rf "$LAB/bin/debs" "$LAB/bin/next"
  "$REPO/deploy/package/build-deb.sh" --rid "$RID" "$LAB/bin/debs" >"$LAB/log/publish.log" 2>&1 || { tail -n 20 "$LAB/log/publish.log"; die "build-deb.sh failed"; }
  dotnet publish "$REPO/deploy/lab/tools/LabTools" -c Release -o "$LAB/bin/tools" >>"$LAB/log/publish.log" 2>&1 || die "LabTools publish failed"
fi

say "network: bridge gl-br0 in gl-net, namespaces"
ip netns add gl-net
ip -n gl-net link add gl-br0 type bridge
ip -n gl-net link set gl-br0 up
ip -n gl-net link set lo up
gl_netns parent "$PARENT"
gl_netns resolver "${RESOLVERS[@]}"
gl_netns home "$HOME_ADDR"
for i in 0 1 2; do
  gl_netns "client-$((i + 1))" "${CLIENTS[$i]}"
  mkdir -p "/etc/netns/gl-client-$((i + 1))"
  echo "nameserver ${RESOLVERS[$i]}" >"/etc/netns/gl-client-$((i + 1))/resolv.conf"
done

say "parent: Knot for example.com, taking the delegation's NS and glue by RFC 2136 with a TSIG key (guide §3)"
cat >"$LAB/parent/example.com.zone" <<ZONE
\$ORIGIN example.com.
\$TTL 300
@         IN SOA ns.example.com. hostmaster.example.com. 1 3600 600 1209600 60
@         IN NS  ns
ns        IN A   $PARENT
; no delegation of edge.example.com yet: bootstrap's delegate hook adds it (NS + glue)
ZONE
mkdir -p "$LAB/parent/db"  # the journal the updates go to
umask 077
secret=$(head -c 32 /dev/urandom | base64)
printf 'key "delegate" {\n\talgorithm hmac-sha256;\n\tsecret "%s";\n};\n' "$secret" >"$LAB/parent/delegate.key"
umask 022
cat >"$LAB/parent/knot.conf" <<CONF
server:
    rundir: "$LAB/parent"
    listen: $PARENT@53
database:
    storage: "$LAB/parent/db"
log:
  - target: stderr
    any: warning
key:
  - id: delegate
    algorithm: hmac-sha256
    secret: $secret
acl:
  - id: delegate
    key: delegate
    action: update
zone:
  - domain: example.com
    storage: "$LAB/parent"
    file: "example.com.zone"
    # Updates live in the journal; the file stays as written here.
    zonefile-sync: -1
    journal-content: changes
    acl: delegate
CONF
gl_start parent knot knotd -c "$LAB/parent/knot.conf"

say "parent: pebble (ACME CA)"
# pebble's own HTTPS certificate, from a throwaway lab CA that certbot is told to trust.
openssl req -x509 -newkey rsa:2048 -nodes -days 7 -subj "/CN=gl-lab pebble CA" \
  -keyout "$LAB/ca/tls-ca.key" -out "$LAB/ca/tls-ca.pem" >/dev/null 2>&1
openssl req -newkey rsa:2048 -nodes -subj "/CN=$PARENT" -keyout "$LAB/ca/pebble.key" -out "$LAB/ca/pebble.csr" >/dev/null 2>&1
openssl x509 -req -in "$LAB/ca/pebble.csr" -CA "$LAB/ca/tls-ca.pem" -CAkey "$LAB/ca/tls-ca.key" -CAcreateserial -days 7 \
  -extfile <(echo "subjectAltName=IP:$PARENT") -out "$LAB/ca/pebble.pem" >/dev/null 2>&1
cat >"$LAB/parent/pebble.json" <<CONF
{ "pebble": { "listenAddress": "$PARENT:14000", "managementListenAddress": "$PARENT:15000",
  "certificate": "$LAB/ca/pebble.pem", "privateKey": "$LAB/ca/pebble.key",
  "httpPort": 80, "tlsPort": 443, "ocspResponderURL": "", "externalAccountBindingRequired": false } }
CONF
PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=0 gl_start parent pebble pebble -config "$LAB/parent/pebble.json" -dnsserver "${RESOLVERS[2]}:53"

say "resolver: unbound x3 (stub for example.com at the parent)"
for i in 0 1 2; do
  r=${RESOLVERS[$i]}
  cat >"$LAB/resolver/unbound-$i.conf" <<CONF
server:
    interface: $r
    outgoing-interface: $r
    port: 53
    access-control: 0.0.0.0/0 allow
    do-ip6: no
    username: ""
    chroot: ""
    directory: "$LAB/resolver"
    pidfile: "$LAB/resolver/unbound-$i.pid"
    use-syslog: no
    verbosity: 1
    num-threads: 1
    module-config: "iterator"
    do-not-query-localhost: yes
remote-control:
    control-enable: no
stub-zone:
    name: "example.com"
    stub-addr: $PARENT
CONF
  unbound-checkconf "$LAB/resolver/unbound-$i.conf" >/dev/null || die "unbound config $i"
  gl_start resolver "unbound-$i" unbound -d -c "$LAB/resolver/unbound-$i.conf"
done

say "geo: lab mmdb (192.0.2.0/24 DE, 203.0.113.0/24 SG, 198.51.100.0/24 US) (guide §6)"
"$LAB/bin/tools/LabTools" mmdb "$LAB/lab.mmdb" 192.0.2.0/24=DE/EU 203.0.113.0/24=SG/AS 198.51.100.0/24=US/NA

say "tokens (guide §2)"
umask 077
head -c 32 /dev/urandom | base64 | tr -d '/+=' >"$LAB/admin.token"
head -c 32 /dev/urandom | base64 | tr -d '/+=' >"$LAB/sidecar.token"
head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$LAB/smtp.password"
umask 022

PACKAGE=$(package)
say "home: sidecar config, keys (the nameservers' tunnel configs too) (guide §3, §4)"
mkdir -p "$LAB/home/webroot" "$LAB/home/letsencrypt"
cat >"$LAB/home/sidecar.json" <<CONF
{
  // The lab's sidecar: the whole fleet from here. Nameservers and edges bought through the netns hooks,
  // nameservers reached over WireGuard (no port open at home), the delegation made at the Knot parent.
  "fleet": {
    "zone": "edge.example.com",
    "package": "$PACKAGE",
    "nameservers": [ { "name": "ns1", "country": "US" }, { "name": "ns2", "country": "SG" } ],
    // emergency: what geodns-sidecar emergency on makes both nameservers answer (a proxied or tunnelled name, say).
    "pool": { "ttl": 20, "answers": 2, "emergency": [ "CNAME maintenance.example.net." ],
              "probe": { "type": "https", "port": 443, "path": "/healthz", "host": "$POOL", "interval": "2s", "timeout": "1s" } }
  },
  "adminTokenFile": "$LAB/admin.token",
  "pool": "$POOL",
  "tunnelNetwork": "10.77.0.0/24",
  "interface": "glhome",
  "wireguardDir": "$LAB/home/wireguard",
  "hooks": {
    "create": "$REPO/deploy/hooks/netns/create.sh",
    "provision": "$REPO/deploy/hooks/netns/provision.sh",
    "provisionNameserver": "$REPO/deploy/hooks/netns/provision-nameserver.sh",
    "countries": "$REPO/deploy/hooks/netns/countries.sh",
    "certificate": "$REPO/deploy/hooks/netns/certificate.sh",
    "tighten": "$REPO/deploy/hooks/netns/tighten.sh",
    "destroy": "$REPO/deploy/hooks/netns/destroy.sh",
    "delegate": "$REPO/deploy/hooks/rfc2136/delegate.sh",
    "timeout": "1m",
    "environment": { "NETNS_STATE": "$LAB/edges", "NETNS_BRIDGE_NS": "gl-net", "NETNS_BRIDGE": "gl-br0",
                     "NETNS_PREFIX": "198.51.100.", "NETNS_FIRST": "21", "NETNS_ROUTES": "192.0.2.0/24 203.0.113.0/24",
                     // Reserved addresses for the nameservers (the parent's glue), the lab's geo database and ACME CA.
                     "NETNS_ADDRESSES": "$NAMESERVERS", "NETNS_GEO_DB": "$LAB/lab.mmdb", "NETNS_CA_FILE": "$LAB/ca/acme-root.pem",
                     "RFC2136_SERVER": "$PARENT", "RFC2136_KEY_FILE": "$LAB/parent/delegate.key" }
  },
  "rotation": { "downFor": "90s", "drainPeriod": "40s", "poolTtl": "20s", "drainMargin": "10s",
                "pollInterval": "1s", "upTimeout": "2m", "retries": 2, "retryDelay": "1s" },
  "nginx": { "mode": "tls", "domains": [ "$POOL" ], "certificateDir": "$LAB/home/letsencrypt/live/$POOL" },
  "listen": "127.0.0.1:8054",
  "tokenFile": "$LAB/sidecar.token",
  // The home's alert receivers (deploy/lab/alert_receiver.py): a webhook and a mail server with STARTTLS and login; and
  // a webhook "on the Internet" (in gl-parent) that the nameservers reach too: bootstrap gives them that one only (the
  // others are on the home's loopback), and they speak up on it when the home is silent for homeSilentAfter.
  "alerts": { "channels": [ { "type": "webhook", "url": "http://127.0.0.1:8099/hook" },
                            { "type": "email", "host": "127.0.0.1", "port": 8025, "username": "alerts@example.com",
                              "passwordFile": "$LAB/smtp.password", "from": "geodns@example.com", "to": [ "you@example.com" ] },
                            { "type": "webhook", "name": "world", "url": "http://$PARENT:8099/hook" } ],
              "unreachableAfter": "10s", "disagreeAfter": "15s", "homeSilentAfter": "15s" },
  // geodns-sidecar check asks the lab's resolvers, each with its clients' country (the parent it finds through them).
  "check": { "resolvers": [ { "address": "${RESOLVERS[0]}", "country": "DE" }, { "address": "${RESOLVERS[1]}", "country": "SG" },
                            { "address": "${RESOLVERS[2]}", "country": "US" } ] },
  "data": "$LAB/home/sidecar",
  // No addresses yet: bootstrap buys them through the create hook, in these countries.
  "edges": [ { "name": "edge-1", "country": "DE" }, { "name": "edge-2", "country": "SG" }, { "name": "edge-3", "country": "US" } ]
}
CONF
home_net "$SIDECAR" --config "$LAB/home/sidecar.json" keys >"$LAB/log/keys.log"

say "home: firewalls (nothing inbound from the bridge; the tunnel's), WireGuard, web app, home nginx (guide §4)"
ip netns exec gl-home nft -f - <<NFT
table inet gl_home {
  chain input {
    type filter hook input priority 0; policy accept;
    iifname "eth0" ct state established,related accept
    iifname "eth0" counter drop
  }
}
NFT
# As docs/deployment.md sets the home up: the tunnel's firewall (deploy/home/geodns-home.nft, for the lab's
# interface name) and root's interface config (deploy/home/wg0.conf), outside the sidecar's directory:
# wg-quick runs its PostUp as root; the sidecar's own file, glhome.peers, is read by `wg syncconf` only.
sed 's/^define geodns_wg = .*/define geodns_wg = "glhome"/' "$REPO/deploy/home/geodns-home.nft" | ip netns exec gl-home nft -f -
sed "s#/var/lib/geodns-sidecar/wireguard/#$LAB/home/wireguard/#" "$REPO/deploy/home/wg0.conf" >"$LAB/home/glhome.conf"
chmod 600 "$LAB/home/glhome.conf"
ip netns exec gl-home wg-quick up "$LAB/home/glhome.conf" >>"$LAB/log/wg-home.log" 2>&1
gl_start home app python3 "$REPO/deploy/lab/app.py" 8080
sed -e "s#/var/www/letsencrypt#$LAB/home/webroot#" -e "s#HOME_TUNNEL_RANGE#10.77.0.0/24#g" -e "s#HOME_TUNNEL_ADDRESS#10.77.0.1#g" "$REPO/deploy/home/nginx-home-tls.conf" >"$LAB/home/site.conf"
cat >"$LAB/home/nginx.conf" <<CONF
pid $LAB/home/nginx.pid;
error_log $LAB/log/home-nginx.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    include $LAB/home/site.conf;
}
CONF
ip netns exec gl-home nginx -t -q -c "$LAB/home/nginx.conf"
ip netns exec gl-home nginx -c "$LAB/home/nginx.conf"

# The nameservers trust the lab ACME CA's root for their HTTPS probes (OpenSSL's SSL_CERT_FILE),
# as they trust Let's Encrypt's through the system store in a real deployment.
gl_wait 20 "pebble" ip netns exec gl-home curl -sf --cacert "$LAB/ca/tls-ca.pem" "https://$PARENT:15000/roots/0" -o /dev/null
ip netns exec gl-home curl -sf --cacert "$LAB/ca/tls-ca.pem" "https://$PARENT:15000/roots/0" -o "$LAB/ca/acme-root.pem"

say "home: sidecar bootstrap: buys and installs ns1 and ns2, has the parent delegate to them, then buys, provisions and adds the three edges (guide §5)"
home_net "$SIDECAR" --config "$LAB/home/sidecar.json" bootstrap | tee -a "$LAB/log/bootstrap.log" >&2

say "home: certbot through pebble (HTTP-01 passed home by the edges; the deploy hook installs it on every edge) (guide §7)"
home_net env REQUESTS_CA_BUNDLE="$LAB/ca/tls-ca.pem" certbot certonly --non-interactive --agree-tos \
  -m lab@example.com --no-eff-email --server "https://$PARENT:14000/dir" \
  --config-dir "$LAB/home/letsencrypt" --work-dir "$LAB/home/certbot" --logs-dir "$LAB/log/certbot" \
  --webroot -w "$LAB/home/webroot" -d "$POOL" \
  --deploy-hook "$SIDECAR --config $LAB/home/sidecar.json certificates" >"$LAB/log/certbot.log" 2>&1 ||
  { tail -n 20 "$LAB/log/certbot.log"; die "certbot failed"; }

gl_wait 60 "every edge Up on ns1 and ns2" all_up
# Until then the pool answered all edges (allDown: all), and resolvers that asked (pebble's, for
# HTTP-01) cache that for the TTL: the lab is steady once those answers have expired.
say "waiting out the pool TTL (20 s) in the resolvers' caches"
sleep 21

say "home: alert receivers (a webhook, and SMTP with STARTTLS under the lab CA's certificate), the sidecar daemon (run) (guide §8)"
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$LAB/ca/smtp.key" -out "$LAB/ca/smtp.csr" >/dev/null 2>&1
openssl x509 -req -in "$LAB/ca/smtp.csr" -CA "$LAB/ca/tls-ca.pem" -CAkey "$LAB/ca/tls-ca.key" -CAcreateserial -days 7 \
  -extfile <(echo "subjectAltName=IP:127.0.0.1") -out "$LAB/ca/smtp.pem" >/dev/null 2>&1
gl_start home alerts /usr/bin/python3 "$REPO/deploy/lab/alert_receiver.py" 8099 8025 "$LAB/ca/smtp.pem" "$LAB/ca/smtp.key" \
  alerts@example.com "$LAB/smtp.password" "$LAB/alerts.log"
gl_start parent alerts-world /usr/bin/python3 "$REPO/deploy/lab/alert_receiver.py" 8099 8025 "$LAB/ca/smtp.pem" "$LAB/ca/smtp.key" \
  alerts@example.com "$LAB/smtp.password" "$LAB/alerts.log" "$PARENT" world
gl_wait 10 "the alert receivers" ip netns exec gl-home curl -s -o /dev/null http://127.0.0.1:8099/
gl_wait 10 "the world's alert receiver" ip netns exec gl-home curl -s -o /dev/null "http://$PARENT:8099/"
sidecar_run
gl_wait 20 "sidecar daemon" ip netns exec gl-home curl -sf -H "Authorization: Bearer $(cat "$LAB/sidecar.token")" http://127.0.0.1:8054/v1/rotations

say "up in $(($(date +%s) - started)) s: edges $(for e in $(live_edges); do printf '%s=%s ' "$e" "$(edge_address "$e")"; done)"
