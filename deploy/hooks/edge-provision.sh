#!/usr/bin/env bash
# Any ssh-reachable Debian or Ubuntu VPS, provision: the provider hooks' provision.sh (hetzner/,
# digitalocean/, vultr/, oracle/) all run this one, since once a VPS answers on SSH they differ in
# nothing. Installs WireGuard and nginx on the new edge and starts them with the configs the sidecar
# rendered, the edge guard (deploy/edge/geodns-edge-guard) and the edge signals
# (deploy/edge/geodns-edge-signals), and installs deploy/edge/geodns-edge-tighten for the tighten hook
# (edge-tighten.sh). Safe to run again (the sidecar retries it, and resumes it after a crash).
#
# SSH: the first contact pins the VPS's host key under its name in the sidecar's known_hosts
# (edge-ssh.sh); every connection checks it. The last step closes public SSH: from then on the
# edge takes SSH only through the tunnel, so a run again reaches it there (once the home has the
# edge's peer: a rotation adds it right after this hook).
#
# In:  EDGE_NAME, EDGE_IPV4, EDGE_TUNNEL, EDGE_KNOWN_HOSTS, EDGE_WG_CONF, EDGE_NGINX_CONF; EDGE_SSH_USER (default root);
#      EDGE_CERT_DIR (TLS mode: the sidecar's nginx.certificateDir, copied to where the rendered
#      nginx.conf's ssl_certificate points; certbot runs once at home, answering HTTP-01 through the
#      edges). Before the first certificate exists the edge gets a self-signed stand-in, so nginx
#      starts and passes HTTP-01 home; the nameservers' HTTPS probe keeps it out of the answers
#      until certificate.sh installs the real one.
set -euo pipefail
: "${EDGE_NAME:?}" "${EDGE_IPV4:?}" "${EDGE_WG_CONF:?}" "${EDGE_NGINX_CONF:?}"
. "$(dirname "$0")/edge-ssh.sh"

# Through the tunnel once public SSH is closed (a run again), else the public address.
edge_reach

ssh "${ssh_opts[@]}" "$target" 'export DEBIAN_FRONTEND=noninteractive
  apt-get update -q && apt-get install -y -q wireguard-tools nginx libnginx-mod-stream >/dev/null
  install -d -m 700 /etc/wireguard'
scp "${ssh_opts[@]}" -q "$EDGE_WG_CONF" "$target:/etc/wireguard/wg0.conf"
scp "${ssh_opts[@]}" -q "$EDGE_NGINX_CONF" "$target:/etc/nginx/nginx.conf"
# TLS mode: the certificate goes where the rendered nginx.conf looks for it.
dest=$(sed -n 's#^\s*ssl_certificate\s\+\(.*\)/[^/]*;#\1#p' "$EDGE_NGINX_CONF" | head -n 1)
if [ -n "$dest" ]; then
  ssh "${ssh_opts[@]}" "$target" "install -d -m 700 '$dest'"
  if [ -n "${EDGE_CERT_DIR:-}" ] && [ -f "$EDGE_CERT_DIR/fullchain.pem" ]; then
    scp "${ssh_opts[@]}" -q "$EDGE_CERT_DIR/fullchain.pem" "$EDGE_CERT_DIR/privkey.pem" "$target:$dest/"
  else
    ssh "${ssh_opts[@]}" "$target" "[ -f '$dest/fullchain.pem' ] || openssl req -x509 -newkey rsa:2048 -nodes -days 2 \
      -subj /CN=$EDGE_NAME.invalid -keyout '$dest/privkey.pem' -out '$dest/fullchain.pem' 2>/dev/null"
  fi
fi
# The edge guard: refuses 80/443 while the home is unreachable through the tunnel (see its header);
# the edge signals: what nginx and the kernel see, for the home to read through the tunnel.
edge=$(dirname "$0")/../edge
for unit in geodns-edge-guard geodns-edge-signals; do
  scp "${ssh_opts[@]}" -q "$edge/$unit" "$target:/usr/local/sbin/$unit"
  scp "${ssh_opts[@]}" -q "$edge/$unit.service" "$target:/etc/systemd/system/$unit.service"
done
# Tightening under a flood (the tighten hook runs it): the script, the directory nginx.conf includes its
# stricter limits from, and the one for the country lists (XX.cidr) you provide.
scp "${ssh_opts[@]}" -q "$edge/geodns-edge-tighten" "$target:/usr/local/sbin/geodns-edge-tighten"
ssh "${ssh_opts[@]}" "$target" 'chmod 600 /etc/wireguard/wg0.conf
  install -d -m 755 /etc/nginx/geodns-tighten /etc/geodns-edge/countries
  systemctl enable -q wg-quick@wg0 && (systemctl restart wg-quick@wg0)
  nginx -t -q && systemctl enable -q nginx && systemctl reload-or-restart nginx
  chmod 755 /usr/local/sbin/geodns-edge-guard /usr/local/sbin/geodns-edge-signals /usr/local/sbin/geodns-edge-tighten && systemctl daemon-reload
  systemctl enable -q geodns-edge-guard geodns-edge-signals && systemctl restart geodns-edge-guard geodns-edge-signals'
# The firewall, last: 80/443 for users, 51820/udp for the home's tunnel, and everything else
# (SSH for these hooks included) only through the tunnel, whose one peer is the home (WireGuard
# admits only its AllowedIPs, the home's tunnel address). The session that loads it is established
# and stays; any failure before this line leaves public SSH open for a run again. A firewall the
# image brings (ufw; netfilter-persistent, whose saved rules on Oracle Cloud's Ubuntu reject all but
# SSH) would load its own rules again at the next boot: it is switched off.
ssh "${ssh_opts[@]}" "$target" 'command -v nft >/dev/null || apt-get install -y -q nftables >/dev/null
  for unit in ufw netfilter-persistent; do systemctl disable -q --now "$unit" 2>/dev/null || true; done
  cat >/etc/nftables.conf <<NFT
#!/usr/sbin/nft -f
flush ruleset
table inet filter {
  chain input {
    type filter hook input priority 0; policy drop;
    iif lo accept
    ct state established,related accept
    tcp dport { 80, 443 } accept
    udp dport 51820 accept
    iifname "wg0" accept
    meta l4proto { icmp, ipv6-icmp } accept
  }
}
NFT
  systemctl enable -q nftables && nft -f /etc/nftables.conf'
echo "provisioned $EDGE_NAME ($EDGE_IPV4)" >&2
