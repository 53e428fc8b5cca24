#!/usr/bin/env bash
# Hetzner Cloud, provision a nameserver: what every provider's VPS gets once it answers on SSH (../nameserver-provision.sh
# says what it installs, which variables it reads, and how it pins the host key and closes public SSH).
exec "$(dirname "$0")/../nameserver-provision.sh"
