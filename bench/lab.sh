#!/usr/bin/env bash
# Every lab scenario (deploy/lab/run.sh all) on a fresh lab, then down: about 12 minutes, root.
# Prints each scenario's `figure NAME=VALUE` lines; bench/RESULTS.md records them with their date and commit.
set -uo pipefail
cd "$(dirname "$0")/.."
deploy/lab/up.sh || { deploy/lab/down.sh; exit 1; }
deploy/lab/run.sh all
status=$?
deploy/lab/down.sh
exit $status
