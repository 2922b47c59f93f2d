#!/usr/bin/env bash
# Issue 23's sweep from the command line, as a user runs it: each mistake in a user's check
# (tests/Support/Causes, compiled into Repro.Cli.Tests.dll) is checked against a baseline approved in
# an earlier process, then diagnosed with 'repro doctor --perturb', RUNS times (default 5). Prints, per
# mistake, the check's exit codes, the doctor's error codes with their counts, whether any output
# advised approving, and the doctor's median wall time.
#   dotnet build tests/Repro.Cli.Tests && bash scripts/doctor-sweep.sh [RUNS]
# On the GPU machine (scripts/gpu/run.sh doctor-sweep) REPRO_SWEEP_CLI names the published repro executable
# and REPRO_SWEEP_ASSEMBLY the published test assembly that holds the same user checks; REPRO_SWEEP_CHECKS picks rows.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-5}
cli=${REPRO_SWEEP_CLI:-$root/src/Repro.Cli/bin/Debug/net10.0/Repro.Cli.dll}
assembly=${REPRO_SWEEP_ASSEMBLY:-$root/tests/Repro.Cli.Tests/bin/Debug/net10.0/Repro.Cli.Tests.dll}
for file in "$cli" "$assembly"; do
  [ -f "$file" ] || { echo "doctor-sweep: $file is missing; run 'dotnet build tests/Repro.Cli.Tests' first" >&2; exit 4; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
repro() { if [ -n "${REPRO_SWEEP_CLI:-}" ]; then "$cli" "$@"; else dotnet "$cli" "$@"; fi; }

checks=${REPRO_SWEEP_CHECKS:-"RegressionCheck ClockSeededNoise FifteenSecondSeededNoise RandomSharedJitter GuidShuffle HashOrderedUnits ThreadsFromProcessorCount
  LockedParallelSum BatchesInCompletionOrder TickCountSeedEachEpoch StaticStepCounter SimdSummedStatistics"}
printf '%-26s %-12s %-58s %-7s %s\n' check "check exits" "doctor --perturb: error codes (count)" advice "median s"
for check in $checks; do
  snapshots=$work/$check
  repro check --assembly "$assembly" --check "$check" --snapshots "$snapshots" > /dev/null 2>&1
  repro approve --device cpu --snapshots "$snapshots" --test "$check" > /dev/null 2>&1
  exits=""; codes=""; advice=no; times=""
  for run in $(seq "$runs"); do
    repro check --assembly "$assembly" --check "$check" --snapshots "$snapshots" > "$work/check.txt" 2>&1
    exits="$exits$?"
    start=$(date +%s.%N)
    repro doctor --perturb --assembly "$assembly" --check "$check" --snapshots "$snapshots" > "$work/doctor.txt" 2>&1
    end=$(date +%s.%N)
    times="$times $(awk -v s="$start" -v e="$end" 'BEGIN { print e - s }')"
    found=$(grep -oE '^\[error\] [a-z0-9-]+' "$work/doctor.txt" | cut -d' ' -f2 | paste -sd+ -)
    codes="$codes ${found:-CLEAN}"
    grep -qiE "approve|accept it" "$work/check.txt" "$work/doctor.txt" && [ "$check" != RegressionCheck ] && advice=YES
  done
  summary=$(echo "$codes" | tr ' ' '\n' | grep -v '^$' | sort | uniq -c | awk '{ printf "%s%s(%d)", sep, $2, $1; sep=" " }')
  median=$(echo "$times" | tr ' ' '\n' | grep -v '^$' | sort -n | awk '{ a[NR] = $1 } END { printf "%.1f", a[int((NR + 1) / 2)] }')
  printf '%-26s %-12s %-58s %-7s %s\n' "$check" "$exits" "$summary" "$advice" "$median"
done
