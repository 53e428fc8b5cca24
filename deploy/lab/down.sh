#!/usr/bin/env bash
# Removes what up.sh (and the sidecar's netns hooks) made: the processes in $LAB/pid, every
# process in a gl-* namespace, the namespaces, /etc/netns/gl-*, and our WireGuard sockets.
# Idempotent: safe to run when nothing is up.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || die "the lab needs root"
for file in "$LAB"/pid/*.pid; do
  [ -f "$file" ] && gl_stop "$(basename "$file" .pid)"
done
namespaces=$(ip netns list | awk '{print $1}' | grep '^gl-' || true)
for ns in $namespaces; do
  pids=$(ip netns pids "$ns" 2>/dev/null || true)
  [ -z "$pids" ] || kill $pids 2>/dev/null || true
done
for ns in $namespaces; do
  for _ in $(seq 30); do [ -z "$(ip netns pids "$ns" 2>/dev/null)" ] && break; sleep 0.1; done
  pids=$(ip netns pids "$ns" 2>/dev/null || true)
  [ -z "$pids" ] || kill -9 $pids 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
done
for ns in $namespaces; do rm -rf "/etc/netns/$ns"; done
rm -rf /etc/netns/gl-client-* /etc/netns/gl-home 2>/dev/null || true
# wireguard-go's control sockets of our interfaces (glhome, gln-NAME of the nameservers, glw-N of the edges).
rm -f /var/run/wireguard/glhome.sock /var/run/wireguard/gln-*.sock /var/run/wireguard/glw-*.sock
[ -n "$namespaces" ] && say "down: removed $(echo $namespaces | wc -w) namespaces" || true
exit 0
