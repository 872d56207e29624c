#!/usr/bin/env bash
# Profiles the hub during one benchmark scenario: runs the benchmark with that scenario only, attaches dotnet-trace
# (sampled thread stacks, ~100 Hz) to the hub's process inside the measured window, and prints where the hub's busy
# threads spend their time (profile-top.py; waiting threads are left out).
# Usage: tests/CreditExchange.Bench/profile.sh SCENARIO [SECONDS]    e.g. profile.sh noop 20
# RECORDS (default 1000000) sets the seeded size. Needs python3. The trace stays in TestResults/bench/profile-SCENARIO/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
scenario="${1:?usage: profile.sh SCENARIO [SECONDS]}"
seconds="${2:-20}"
records="${RECORDS:-1000000}"
tools="TestResults/tools"
out="TestResults/bench/profile-$scenario"
mkdir -p "$out"
if [[ ! -x "$tools/dotnet-trace" ]]; then
  dotnet tool install --tool-path "$tools" dotnet-trace --version 10.0.750501 >/dev/null
fi
dotnet build tests/CreditExchange.Bench -c Release -v quiet -nologo >/dev/null
bench=tests/CreditExchange.Bench/bin/Release/net10.0/CreditExchange.Bench
"$bench" --records "$records" --scenarios "$scenario" --quiet-wait 0 --warmup 10 --duration $((seconds + 10)) --out "$out" >"$out/bench.md" 2>"$out/bench.err" &
bench_pid=$!
until grep -q "scenario $scenario" "$out/bench.err" 2>/dev/null; do
  kill -0 "$bench_pid" 2>/dev/null || { cat "$out/bench.err"; exit 1; }
  sleep 1
done
hub_pid="$(sed -n 's/.*hub started as process \([0-9]*\).*/\1/p' "$out/bench.err")"
sleep 8 # into the warm-up: JIT and tiering settle
"$tools/dotnet-trace" collect -p "$hub_pid" --profile dotnet-sampled-thread-time --duration "00:00:$(printf '%02d' "$seconds")" \
  --format Speedscope -o "$out/hub.nettrace" >/dev/null
wait "$bench_pid"
cat "$out/bench.md"
python3 tests/CreditExchange.Bench/profile-top.py "$out/hub.speedscope.json"
