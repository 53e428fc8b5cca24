#!/usr/bin/env bash
# Coverage-guided fuzzing of one parser of untrusted input with AFL++ and SharpFuzz (fuzz/README.md).
# Usage: bench/fuzz.sh TARGET [seconds]      TARGET: zone, config, transfer or packet (default: 60 s)
# Builds the harness (fuzz/GeoDns.Fuzz) in Release, instruments the engine and the host in its output with the
# sharpfuzz tool (dotnet-tools.json), runs afl-fuzz for the time given from fuzz/corpus/TARGET, then prints the
# executions, paths and crashes, and replays each crash in process for its stack trace.
# One fuzzer at a time (a lock): each takes a core. Findings stay in $GEODNS_FUZZ_DIR (default /tmp/geodns-fuzz).
# Exits 1 when AFL++ saved a crash or a hang.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: bench/fuzz.sh zone|config|transfer|packet [seconds]}
seconds=${2:-60}
[ -d "fuzz/corpus/$target" ] || { echo "no corpus fuzz/corpus/$target: the targets are zone, config, transfer, packet" >&2; exit 2; }
root=${GEODNS_FUZZ_DIR:-/tmp/geodns-fuzz}
work="$root/$target"
mkdir -p "$root"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
command -v afl-fuzz >/dev/null || { as_root apt-get update -q >/dev/null; as_root apt-get install -y -q afl++ >/dev/null; }

exec 9>"$root/lock"
flock -n 9 || { echo "another fuzzer holds $root/lock: one at a time" >&2; exit 2; }

dotnet tool restore >/dev/null
rm -rf "$work/bin"
dotnet build fuzz/GeoDns.Fuzz -c Release -o "$work/bin" --nologo -v q >"$root/build.log" 2>&1 || { cat "$root/build.log" >&2; exit 1; }
# The code under test, not the harness nor the framework: AFL's map then measures the parsers.
for dll in GeoDns.dll GeoDns.Server.dll; do dotnet sharpfuzz "$work/bin/$dll" >/dev/null; done

rm -rf "$work/out"
# dotnet is not an AFL-compiled binary (SharpFuzz speaks the fork-server protocol from inside the process);
# no CPU governor or core_pattern changes on a shared machine. -t: a .NET start and first JIT take a while.
AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 \
  timeout $((seconds + 120)) afl-fuzz -V "$seconds" -t 5000 -m none -i "fuzz/corpus/$target" -o "$work/out" \
  -- dotnet "$work/bin/GeoDns.Fuzz.dll" "$target" >"$work/afl.log" 2>&1 || { tail -30 "$work/afl.log" >&2; exit 1; }

stats="$work/out/default/fuzzer_stats"
stat() { sed -n "s/^$1 *: *//p" "$stats"; }
crashes=$(stat saved_crashes); hangs=$(stat saved_hangs)
echo "target $target: $(stat execs_done) executions in $(stat run_time) s ($(stat execs_per_sec)/s), $(stat corpus_count) paths, $crashes crashes, $hangs hangs"
echo "findings: $work/out/default"
found=$(find "$work/out/default/crashes" "$work/out/default/hangs" -type f -name 'id:*' 2>/dev/null | sort || true)
if [ -n "$found" ]; then
  # Replayed uninstrumented: the stack trace to turn into a regression test.
  dotnet build fuzz/GeoDns.Fuzz -c Release -o "$work/replay" --nologo -v q >/dev/null
  # shellcheck disable=SC2086
  timeout 300 dotnet "$work/replay/GeoDns.Fuzz.dll" "$target" $found || true
  exit 1
fi
