#!/usr/bin/env bash
# Profiles the hub during one benchmark scenario: runs the benchmark with that scenario only and samples the hub's
# process on-CPU with `perf record` (499 Hz, call graphs) inside the measured window. The hub writes a perf map
# (DOTNET_PerfMapEnabled=1) so JIT-compiled .NET frames are named. Prints the hub's on-CPU samples by thread, by
# library and by the hub's own frame (profile-top.py).
# Usage: tests/CreditExchange.Bench/profile.sh SCENARIO [SECONDS]    e.g. profile.sh noop 20
# RECORDS (default 1000000) sets the seeded size, ROWS (25) the lines of each view. Needs python3 and perf (Debian: linux-perf) and permission to sample a process
# (root, or kernel.perf_event_paranoid <= 1). The recording stays in TestResults/bench/profile-SCENARIO/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
scenario="${1:?usage: profile.sh SCENARIO [SECONDS]}"
seconds="${2:-20}"
records="${RECORDS:-1000000}"
out="TestResults/bench/profile-$scenario"
mkdir -p "$out"
command -v perf >/dev/null || { echo "profile.sh needs perf (apt-get install linux-perf)" >&2; exit 1; }
dotnet build tests/CreditExchange.Bench -c Release -v quiet -nologo >/dev/null
bench=tests/CreditExchange.Bench/bin/Release/net10.0/CreditExchange.Bench
# inherited by the hub the bench starts; without W^X double mapping, perf can match JIT code to the map
export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0
"$bench" --records "$records" --scenarios "$scenario" --quiet-wait 0 --warmup 10 --duration $((seconds + 10)) --out "$out" >"$out/bench.md" 2>"$out/bench.err" &
bench_pid=$!
until grep -q "scenario $scenario" "$out/bench.err" 2>/dev/null; do
  kill -0 "$bench_pid" 2>/dev/null || { cat "$out/bench.err"; exit 1; }
  sleep 1
done
hub_pid="$(sed -n 's/.*hub started as process \([0-9]*\).*/\1/p' "$out/bench.err")"
sleep "${PROFILE_DELAY:-8}" # into the warm-up: JIT and tiering settle (PROFILE_DELAY: less for scenarios of a few long calls)
perf record -F 499 -g -p "$hub_pid" -o "$out/perf.data" -- sleep "$seconds" 2>"$out/perf.err"
wait "$bench_pid" || true # the hub ends with the bench; perf then stops too
cat "$out/bench.md"
perf script -i "$out/perf.data" >"$out/perf.script" 2>/dev/null
python3 tests/CreditExchange.Bench/profile-top.py "$out/perf.script" "${ROWS:-25}"
