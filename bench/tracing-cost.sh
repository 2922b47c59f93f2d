#!/usr/bin/env bash
# Does the doctor's tracing cost anything when it is off? Builds Repro.Bench twice - with the hooks
# compiled in (the normal build) and compiled out (-p:ReproTracingHooks=false) - then alternates the
# two builds' untraced trainings and prints both medians and their ratio.
# Usage: bash bench/tracing-cost.sh [rounds] [extra Repro.Bench tracing args, e.g. --device cuda]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}; shift || true
out=artifacts/tracing-cost
rm -rf "$out"
dotnet build bench/Repro.Bench -c Release -o "$out/hooks" >/dev/null
dotnet build bench/Repro.Bench -c Release -p:ReproTracingHooks=false -o "$out/nohooks" >/dev/null
# Leave the normal build as it was.
dotnet build bench/Repro.Bench -c Release >/dev/null
: > "$out/results.txt"
for round in $(seq "$rounds"); do
  for build in hooks nohooks; do
    dotnet "$out/$build/Repro.Bench.dll" tracing "$@" | tee -a "$out/results.txt"
  done
done
python3 - "$out/results.txt" <<'PY'
import statistics, sys
values = {"compiled-in": [], "compiled-out": []}
for line in open(sys.argv[1]):
    fields = dict(f.split("=") for f in line.split())
    values[fields["hooks"]].append(float(fields["median_epoch_ms"]))
on, off = statistics.median(values["compiled-in"]), statistics.median(values["compiled-out"])
print(f"median epoch: hooks compiled in but off {on:.2f} ms, compiled out {off:.2f} ms, ratio {on / off:.3f} "
      f"(rounds: {len(values['compiled-in'])}; spread in: {min(values['compiled-in']):.2f}-{max(values['compiled-in']):.2f}, "
      f"out: {min(values['compiled-out']):.2f}-{max(values['compiled-out']):.2f})")
PY
