#!/usr/bin/env bash
# Any ssh-reachable Debian or Ubuntu VPS, provision a nameserver: the provider hooks'
# provision-nameserver.sh (hetzner/, digitalocean/, vultr/, oracle/) all run this one, as their
# provision.sh runs edge-provision.sh. Installs the geodns package ($NS_PACKAGE: newer for an upgrade,
# older for a rollback), the files the sidecar rendered for this nameserver into /opt/geodns, WireGuard
# from $NS_WG_CONF as wg0, restarts GeoDns and, last, the firewall of docs/manual-install.md section 6
# with SSH, like the admin port, on wg0 only. Safe to run again (bootstrap retries it, upgrade and
# rollback run it again); it does not wait for the server to be ready (the sidecar reads /healthz).
#
# SSH: as edge-provision.sh (edge-ssh.sh): the first contact pins the host key under the nameserver's
# name; once the firewall is in, a run again reaches it through the tunnel.
#
# In:  EDGE_NAME (ns1), EDGE_IPV4, EDGE_TUNNEL, EDGE_KNOWN_HOSTS; EDGE_SSH_USER (default root);
#      NS_FILES (geodns.json, admin.token, xfr.key with transfers, alert-N.token / alert-N.password with
#      alert channels that name secret files, zones/ZONE.zone where it holds one),
#      NS_WG_CONF, NS_PACKAGE (geodns_V_ARCH.deb), NS_DNS_PORT (53), NS_ADMIN_PORT (8053).
set -euo pipefail
: "${EDGE_NAME:?}" "${EDGE_IPV4:?}" "${NS_FILES:?}" "${NS_WG_CONF:?}" "${NS_PACKAGE:?}"
dns_port=${NS_DNS_PORT:-53}
admin_port=${NS_ADMIN_PORT:-8053}
[[ $dns_port =~ ^[0-9]+$ && $admin_port =~ ^[0-9]+$ ]] || { echo "NS_DNS_PORT and NS_ADMIN_PORT must be port numbers" >&2; exit 1; }
deb=$(basename "$NS_PACKAGE")
[[ $deb =~ ^[A-Za-z0-9._+~-]+\.deb$ ]] || { echo "NS_PACKAGE must name a .deb file, not $deb" >&2; exit 1; }
[ -f "$NS_FILES/geodns.json" ] || { echo "$NS_FILES has no geodns.json" >&2; exit 1; }
. "$(dirname "$0")/edge-ssh.sh"

# Through the tunnel once public SSH is closed (a run again), else the public address.
edge_reach

# Everything goes to a directory only root reads (the files hold the admin token and the TSIG key).
stage=/var/tmp/geodns-provision
ssh "${ssh_opts[@]}" "$target" "rm -rf $stage && install -d -m 700 $stage"
scp "${ssh_opts[@]}" -q "$NS_PACKAGE" "$target:$stage/$deb"
scp "${ssh_opts[@]}" -q "$NS_WG_CONF" "$target:$stage/wg0.conf"
scp "${ssh_opts[@]}" -q -r "$NS_FILES" "$target:$stage/files"

# The package's geodns.json and example zone are conffiles, which this hook replaces and removes: dpkg
# keeps them as they are (confold) instead of asking at an upgrade or a rollback, where no one answers.
ssh "${ssh_opts[@]}" "$target" "export DEBIAN_FRONTEND=noninteractive
  apt-get update -q && apt-get install -y -q --allow-downgrades -o Dpkg::Options::=--force-confdef \
    -o Dpkg::Options::=--force-confold wireguard-tools nftables $stage/$deb >/dev/null"

# /opt/geodns holds what the bundle holds: a zone file it lacks is removed (the package's example
# must not be served, and a secondary holds none), and so is a key or an alert secret it no longer has.
ssh "${ssh_opts[@]}" "$target" "$(cat <<SH
set -e
cd $stage/files
install -m 644 geodns.json /opt/geodns/geodns.json
rm -f /opt/geodns/alert-*
for f in admin.token xfr.key alert-*; do
  if [ -f "\$f" ]; then install -m 640 -o root -g geodns "\$f" /opt/geodns/; else rm -f "/opt/geodns/\$f"; fi
done
install -d -m 755 /opt/geodns/zones
for f in /opt/geodns/zones/*; do [ ! -e "\$f" ] || [ -f "zones/\${f##*/}" ] || rm -rf "\$f"; done
for f in zones/*; do [ ! -f "\$f" ] || install -m 644 "\$f" /opt/geodns/zones/; done
install -d -m 700 /etc/wireguard
# Restarted only when it changed: a run again through the tunnel (upgrade, rollback) keeps its session.
if cmp -s $stage/wg0.conf /etc/wireguard/wg0.conf; then
  systemctl enable -q --now wg-quick@wg0
else
  install -m 600 $stage/wg0.conf /etc/wireguard/wg0.conf
  systemctl enable -q wg-quick@wg0 && systemctl restart wg-quick@wg0
fi
chmod 600 /etc/wireguard/wg0.conf
rm -rf $stage
systemctl enable -q geodns && systemctl restart geodns
SH
)"

# The firewall, last (docs/manual-install.md section 6): DNS for the world, 51820/udp for the home's
# tunnel, the admin endpoint and SSH only through the tunnel, whose one peer is the home. The session
# that loads it is established and stays; a failure before this line leaves public SSH open for a run
# again. A firewall the image brings (ufw; netfilter-persistent, whose saved rules on Oracle Cloud's
# Ubuntu reject all but SSH) would load its own rules at the next boot: it is switched off.
ssh "${ssh_opts[@]}" "$target" "$(cat <<SH
for unit in ufw netfilter-persistent; do systemctl disable -q --now "\$unit" 2>/dev/null || true; done
cat >/etc/nftables.conf <<'NFT'
#!/usr/sbin/nft -f
flush ruleset
table inet filter {
  chain input {
    type filter hook input priority 0; policy drop;
    iif lo accept
    ct state established,related accept
    meta l4proto { tcp, udp } th dport $dns_port accept
    udp dport 51820 accept
    iifname "wg0" tcp dport { 22, $admin_port } accept
    meta l4proto { icmp, ipv6-icmp } accept
  }
}
NFT
systemctl enable -q nftables && nft -f /etc/nftables.conf
SH
)"
echo "provisioned nameserver $EDGE_NAME ($EDGE_IPV4) with $deb" >&2
