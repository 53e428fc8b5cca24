# Sourced by the provider hooks (bash): how they reach an edge over SSH, its host key, and its end.
#
# The host key is pinned in the sidecar's own known_hosts ($EDGE_KNOWN_HOSTS, DATA/known_hosts),
# never the user's, one line per key under the edge's NAME (HostKeyAlias), not its address: the key
# pinned at the first provision, through the public address, then also holds through the tunnel
# address, and an address the provider hands to a new VPS later never meets a stale key. Every
# connection checks it strictly; only edge_pin adds a key, and destroy removes the edge's lines.
#
# In: EDGE_NAME, EDGE_KNOWN_HOSTS; EDGE_SSH_USER (default root); edge_reach also EDGE_IPV4, EDGE_TUNNEL.
: "${EDGE_NAME:?}" "${EDGE_KNOWN_HOSTS:?is set by the sidecar: its known_hosts file}"
known_hosts=$EDGE_KNOWN_HOSTS
ssh_user=${EDGE_SSH_USER:-root}
ssh_opts=(-o StrictHostKeyChecking=yes -o "UserKnownHostsFile=$known_hosts" -o GlobalKnownHostsFile=/dev/null
  -o "HostKeyAlias=$EDGE_NAME" -o CheckHostIP=no -o ConnectTimeout=10 -o BatchMode=yes)

# True when a host key is pinned for this edge.
edge_pinned() {
  [ -f "$known_hosts" ] && awk -v n="$EDGE_NAME" '$1 == n { found = 1 } END { exit !found }' "$known_hosts"
}

# First contact with a new VPS: pins the host keys its sshd offers at ADDRESS. This trusts the
# network once, at the one moment the VPS is minutes old; none of the providers' APIs (Hetzner,
# DigitalOcean, Vultr, Oracle Cloud) tells a server's host key, or it would be taken from there.
edge_pin() {
  local keys
  keys=$(ssh-keyscan -T 10 "$1" 2>/dev/null | awk -v n="$EDGE_NAME" '!/^#/ && NF >= 3 { print n, $2, $3 }')
  [ -n "$keys" ] || return 1
  (umask 077 && printf '%s\n' "$keys" >>"$known_hosts")
}

# Sets $target (user@address) for provision: the tunnel address once the key is pinned and the VPS
# answers there (provision's firewall closes public SSH), else the public address, pinning the host
# key at the first contact. A fresh server takes a while to boot and start sshd: up to 30 tries, 5 s apart.
edge_reach() {
  if edge_pinned && [ -n "${EDGE_TUNNEL:-}" ] && ssh -o ConnectTimeout=5 "${ssh_opts[@]}" "$ssh_user@$EDGE_TUNNEL" true 2>/dev/null; then
    target=$ssh_user@$EDGE_TUNNEL
    return
  fi
  target=$ssh_user@${EDGE_IPV4:?}
  for _ in $(seq 1 30); do
    { edge_pinned || edge_pin "$EDGE_IPV4"; } && ssh "${ssh_opts[@]}" "$target" true 2>/dev/null && return
    sleep 5
  done
}

# Removes the edge's pinned keys (destroy): written aside and renamed, so a reader never sees half a file.
edge_forget() {
  [ -f "$known_hosts" ] || return 0
  local rest
  rest=$(mktemp "$known_hosts.XXXXXX")
  awk -v n="$EDGE_NAME" '$1 != n' "$known_hosts" >"$rest" && mv -f "$rest" "$known_hosts"
}

# destroy.sh's steps around the provider's delete: edge_destroy ACTUAL_IPV4 DELETE-COMMAND...
# ACTUAL_IPV4 is the public address of the VPS named $EDGE_NAME, empty when there is none: then it
# is gone already (a run again) and that succeeds. A VPS at another address than $EDGE_IPV4 is
# refused, so a reused name never deletes the wrong server.
edge_destroy() {
  local actual=$1
  shift
  if [ -z "$actual" ]; then
    echo "$EDGE_NAME is gone already" >&2
  elif [ -n "${EDGE_IPV4:-}" ] && [ "$actual" != "$EDGE_IPV4" ]; then
    echo "refusing: $EDGE_NAME has $actual, not $EDGE_IPV4" >&2
    return 1
  else
    "$@" >&2
  fi
  edge_forget
}
