#!/usr/bin/env bash
# Coverage-guided fuzzing of the parsers of untrusted input with AFL++ and SharpFuzz (fuzz/README.md).
# Usage: bench/fuzz.sh TARGET [seconds]    TARGET: zone, config, transfer, packet, or all (each in turn); default 60 s
# Builds the harness (fuzz/GeoDns.Fuzz) in Release, instruments the engine and the host in its output with the
# sharpfuzz tool (dotnet-tools.json), runs afl-fuzz for the time given from fuzz/corpus/TARGET, then prints the
# executions, paths and crashes, and replays each crash in process for its stack trace.
# One fuzzer at a time (a lock): each takes a core. Findings stay in $GEODNS_FUZZ_DIR (default /tmp/geodns-fuzz).
# Exits 1 when AFL++ saved a crash or a hang.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: bench/fuzz.sh zone|config|transfer|packet|all [seconds]}
seconds=${2:-60}
targets=("$target")
[ "$target" = all ] && targets=(zone config transfer packet)
for t in "${targets[@]}"; do
  [ -d "fuzz/corpus/$t" ] || { echo "no corpus fuzz/corpus/$t: the targets are zone, config, transfer, packet" >&2; exit 2; }
done
root=${GEODNS_FUZZ_DIR:-/tmp/geodns-fuzz}
mkdir -p "$root"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
command -v afl-fuzz >/dev/null || { as_root apt-get update -q >/dev/null; as_root apt-get install -y -q afl++ >/dev/null; }

exec 9>"$root/lock"
flock -n 9 || { echo "another fuzzer holds $root/lock: one at a time" >&2; exit 2; }

dotnet tool restore >/dev/null
rm -rf "$root/bin" "$root/replay"
dotnet build fuzz/GeoDns.Fuzz -c Release -o "$root/bin" --nologo -v q >"$root/build.log" 2>&1 || { cat "$root/build.log" >&2; exit 1; }
# The code under test, not the harness nor the framework: AFL's map then measures the parsers.
for dll in GeoDns.dll GeoDns.Server.dll; do dotnet sharpfuzz "$root/bin/$dll" >/dev/null; done

status=0
for t in "${targets[@]}"; do
  out="$root/$t"
  rm -rf "$out"
  # dotnet is not an AFL-compiled binary (SharpFuzz speaks the fork-server protocol from inside the process);
  # no CPU governor or core_pattern changes on a shared machine. -t: a .NET start and first JIT take a while.
  AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 \
    timeout $((seconds + 120)) afl-fuzz -V "$seconds" -t 5000 -m none -i "fuzz/corpus/$t" -o "$out" \
    -- dotnet "$root/bin/GeoDns.Fuzz.dll" "$t" >"$root/$t.log" 2>&1 || { tail -30 "$root/$t.log" >&2; exit 1; }

  stats="$out/default/fuzzer_stats"
  stat() { sed -n "s/^$1 *: *//p" "$stats"; }
  echo "target $t: $(stat execs_done) executions in $(stat run_time) s ($(stat execs_per_sec)/s), $(stat corpus_count) paths, $(stat saved_crashes) crashes, $(stat saved_hangs) hangs"
  found=$(find "$out/default/crashes" "$out/default/hangs" -type f -name 'id:*' 2>/dev/null | sort || true)
  [ -z "$found" ] && continue
  status=1
  echo "findings: $out/default (copy each into tests/GeoDns.Tests/Fuzzing/Findings/$t/ once fixed)"
  # Replayed uninstrumented: the stack trace to turn into a regression test.
  [ -d "$root/replay" ] || dotnet build fuzz/GeoDns.Fuzz -c Release -o "$root/replay" --nologo -v q >/dev/null
  # shellcheck disable=SC2086
  timeout 300 dotnet "$root/replay/GeoDns.Fuzz.dll" "$t" $found || true
done
exit $status
