#!/usr/bin/env bash
# Hetzner Cloud, certificate: the same over SSH through the tunnel for every provider (../edge-certificate.sh).
exec "$(dirname "$0")/../edge-certificate.sh"
