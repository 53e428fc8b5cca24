#!/usr/bin/env bash
# Vultr, tighten: the same over SSH through the tunnel for every provider (../edge-tighten.sh).
exec "$(dirname "$0")/../edge-tighten.sh"
