#!/usr/bin/env bash
# Runs on the GPU machine (no .NET SDK there): unpacks the self-contained publish made by
# scripts/gpu/publish.sh, points Repro at PyTorch's CUDA libtorch and runs the given steps.
# Usage: bash scripts/gpu/run.sh STEP... ; results land in $OUT (or ./gpu-out).
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${OUT:-$root/gpu-out}
mkdir -p "$out"
app=/tmp/repro-app
if [ ! -x "$app/Repro.Tests" ] || [ ! -x "$app/Repro.DualTask.Tests" ]; then
  mkdir -p /tmp && tar -xJf "$root/.gpu/app.tar.xz" -C /tmp && mv /tmp/app "$app"
fi
export REPRO_LIBTORCH_DIR=${REPRO_LIBTORCH_DIR:-$(python3 -c "import os, torch; print(os.path.join(os.path.dirname(torch.__file__), 'lib'))")}
export CUBLAS_WORKSPACE_CONFIG=${CUBLAS_WORKSPACE_CONFIG:-:4096:8}
# What the runsettings of dotnet test give a test run (build/Repro.TestEnvironment.targets): the portable SIMD width.
export DOTNET_PreferredVectorBitWidth=${DOTNET_PreferredVectorBitWidth:-256}
export REPRO_SNAPSHOTS=$root/snapshots
export REPRO_COMMIT=${REPRO_COMMIT:-$(cat "$root/.gpu/commit" 2>/dev/null || echo unknown)}
cd "$root"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | tee "$out/nvidia-smi.txt"
repro() { "$app/Repro.Cli" "$@"; }
# The suites with CUDA tests (the core's and the reference model's), run one after the other with the same
# filters; a suite in which no test matches a filter prints that and goes on.
suites() { local status=0; for suite in Repro.Tests Repro.DualTask.Tests; do echo "--- $suite"; "$app/$suite" "$@" || status=$?; done; return $status; }

for step in "$@"; do
  echo "=== $step"
  case "$step" in
    env) repro env --device cuda | tee "$out/env.txt" ;;
    tests) suites -trait "Category=GPU" -reporter verbose 2>&1 | tee "$out/gpu-tests.txt" ;;
    resume)
      # Checkpoint/resume on CUDA: generator round trips, the doctor's CUDA generator hash, the chapter
      # config and the tiny CNN interrupted and resumed in a fresh process (docs/checkpoints.md).
      suites -trait "Category=GPU" -namespace Repro.Tests.Checkpoints -reporter verbose 2>&1 | tee "$out/resume-tests.txt"
      rm -rf /tmp/repro-ckpt
      { repro run --config chapter --device cuda --checkpoint-dir /tmp/repro-ckpt --stop-after 3:5 \
          && repro run --resume /tmp/repro-ckpt --out "$out/chapter-resumed.json"; echo "resume exit=$?"; } 2>&1 | tee "$out/resume-cli.txt" ;;
    tests-accept) REPRO_ACCEPT=true suites -trait "Category=GPU" -reporter verbose 2>&1 | tee "$out/gpu-tests-accept.txt" ;;
    cpu-tests) REPRO_DEVICE=cpu suites -trait- "Category=GPU" -trait- "Category=MsBuild" 2>&1 | tail -5 | tee "$out/cpu-tests.txt" ;;
    check) repro check --config chapter --device cuda 2>&1 | tee "$out/check-chapter.txt"; echo "exit=${PIPESTATUS[0]}" | tee -a "$out/check-chapter.txt" ;;
    check-small) repro check --device cuda 2>&1 | tee "$out/check-small.txt"; echo "exit=${PIPESTATUS[0]}" | tee -a "$out/check-small.txt" ;;
    approve) repro approve --device cuda | tee "$out/approve.txt" ;;
    snapshots) tar -czf "$out/snapshots.tgz" -C "$root" snapshots ;;
    doctor-sweep) { lscpu | grep -E "Vendor|Model name|^CPU\(s\)"; REPRO_SWEEP_CLI=$app/Repro.Cli REPRO_SWEEP_ASSEMBLY=$app/Repro.Tests.dll bash scripts/doctor-sweep.sh 5; } 2>&1 | tee "$out/doctor-sweep.txt" ;;
    doctor) repro doctor --device cuda 2>&1 | tee "$out/doctor.txt"; echo "exit=${PIPESTATUS[0]}" | tee -a "$out/doctor.txt" ;;
    replay-cpu|replay-cuda)
      device=${step#replay-}; config=small; [ "$device" = cuda ] && config=chapter
      rm -rf "/tmp/export-$device"
      { repro export --config "$config" --device "$device" --out "/tmp/export-$device" \
          && python3 interop/pytorch/replay.py "/tmp/export-$device"; echo "replay exit=$?"; \
        python3 interop/pytorch/compare.py "/tmp/export-$device/torchsharp.json" "/tmp/export-$device/pytorch.json"; } 2>&1 | tee "$out/replay-$device.txt" ;;
    replay-fused)
      # The chapter with SDPA attention, cuDNN batch norm and fused AdamW (config chapter-fused), replayed by
      # the PyTorch mirror, which follows the exported config's kernel options: exit 0 = bit-identical.
      rm -rf /tmp/export-fused
      { repro export --config chapter-fused --device cuda --out /tmp/export-fused \
          && python3 interop/pytorch/replay.py /tmp/export-fused; echo "replay exit=$?"; \
        python3 interop/pytorch/compare.py /tmp/export-fused/torchsharp.json /tmp/export-fused/pytorch.json; } 2>&1 | tee "$out/replay-fused.txt" ;;
    replay-learning)
      # The learning options (EMA warm-up, averaged BatchNorm statistics, linear RUL head: small's defaults; FD004-like
      # data) replayed by the PyTorch mirror on the CPU and on CUDA: exit 0 = bit-identical.
      for target in small:cpu small:cuda small-fd004:cuda; do
        config=${target%%:*}; device=${target##*:}; dir=/tmp/export-$config-$device; rm -rf "$dir"
        { echo "--- $config on $device"; repro export --config "$config" --device "$device" --out "$dir" \
            && python3 interop/pytorch/replay.py "$dir"; echo "replay exit=$?"; \
          python3 interop/pytorch/compare.py "$dir/torchsharp.json" "$dir/pytorch.json"; } 2>&1 | tee -a "$out/replay-learning.txt"
      done ;;
    reapprove)
      # Every baseline of this GPU through the approval flow, in the order the tests read them: the CLI's
      # checks (received file -> repro approve), then the xunit baselines with REPRO_ACCEPT, then status.
      { repro check --device cuda --no-rerun; echo "small exit=$?"
        repro check --config chapter --device cuda --no-rerun; echo "chapter exit=$?"
        repro check --config chapter-fused --device cuda --no-rerun; echo "chapter-fused exit=$?"
        repro approve --device cuda
        REPRO_ACCEPT=true suites -trait "Category=GPU" -method "*ConfigOnCuda" -reporter verbose
        repro status --snapshots "$root/snapshots"; } 2>&1 | tee "$out/reapprove.txt" ;;
    approve-fused)
      # The chapter-fused baselines of this GPU through the approval flow: the xunit test with REPRO_ACCEPT
      # (only that test), the CLI's received file with 'repro approve', then both verified again.
      { REPRO_ACCEPT=true suites -trait "Category=GPU" -method "*ChapterFusedConfigOnCuda" -reporter verbose
        repro check --config chapter-fused --device cuda --no-rerun; echo "first check exit=$?"
        repro approve --device cuda --test dualtask-chapter-fused
        suites -trait "Category=GPU" -method "*ChapterFusedConfigOnCuda" -reporter verbose
        repro check --config chapter-fused --device cuda; echo "check exit=$?"; } 2>&1 | tee "$out/approve-fused.txt" ;;
    bench-fused)
      # Step time of chapter-fused next to chapter and PyTorch (mirror and stock), in one command.
      { "$app/Repro.Bench" step --device cuda --config chapter-fused --scaling no
        "$app/Repro.Bench" step --device cuda --config chapter --scaling no
        python3 interop/pytorch/bench_step.py --device cuda --scaling no; } 2>&1 | tee "$out/bench-fused.txt" ;;
    fused)
      # The fused kernels' GPU tests (tolerance and twice-alike checks, then the chapter-fused baseline, which
      # reports "No baseline" until approved), the CLI check of the same config, and its step time next to
      # the chapter's and PyTorch's (bench_step.py: mirror and stock).
      { suites -trait "Category=GPU" -class "*Fused*" -class Repro.Tests.Ops.ATenOpsTests -class Repro.DualTask.Tests.Model.KernelOptionTests -reporter verbose
        suites -trait "Category=GPU" -method "*ChapterFusedConfigOnCuda" -reporter verbose
        repro check --config chapter-fused --device cuda; echo "check exit=$?"
        "$app/Repro.Bench" step --device cuda --config chapter-fused --scaling no
        "$app/Repro.Bench" step --device cuda --config chapter --scaling no
        python3 interop/pytorch/bench_step.py --device cuda; } 2>&1 | tee "$out/fused.txt" ;;
    bench)
      { "$app/Repro.Bench" step --device cuda --config chapter
        python3 interop/pytorch/bench_step.py --device cuda
        "$app/Repro.Bench" hash --device cuda
        "$app/Repro.Bench" epoch --device cuda --config chapter
        "$app/Repro.Bench" data; } 2>&1 | tee "$out/bench-gpu.txt" ;;
    no-fill)
      # Same chapter run with fill-uninitialised-memory off, compared with the committed baseline
      # (trained with it on): identical numbers show the model never reads uninitialised memory.
      repro check --config scripts/gpu/chapter-no-fill.json --test dualtask-chapter --device cuda --no-rerun 2>&1 | tee "$out/no-fill.txt"; echo "exit=${PIPESTATUS[0]}" | tee -a "$out/no-fill.txt"
      { "$app/Repro.Bench" step --device cuda --config chapter --rounds 12 --steps 30 --scaling no
        python3 interop/pytorch/bench_step.py --device cuda --rounds 12 --steps 30; } 2>&1 | tee "$out/bench-step-12rounds.txt" ;;
    capture)
      # CUDA graph capture of the training step (the CUDA default): the exported symbols it calls, its GPU
      # tests (a user model and the chapter check, replayed vs eager, bit for bit), the chapter check eager
      # and with graphs against the committed baseline, and whole epochs timed eager and with graphs.
      { nm -D --defined-only "$REPRO_LIBTORCH_DIR/libtorch_cuda.so" | grep -E "CUDAGraph(C1Eb|D1Ev|13capture_begin|11capture_end|6replayEv)"
        nm -D --defined-only "$REPRO_LIBTORCH_DIR/libc10_cuda.so" | grep -E "getStreamFromPoolEba|getCurrentCUDAStreamEa|setCurrentCUDAStreamE"
        suites -trait "Category=GPU" -namespace Repro.Tests.Capture -reporter verbose
        REPRO_STEP_CAPTURE=eager repro check --config chapter --device cuda --no-rerun; echo "eager check exit=$?"
        REPRO_STEP_CAPTURE=cuda-graph repro check --config chapter --device cuda --no-rerun; echo "graph check exit=$?"
        REPRO_STEP_CAPTURE=eager "$app/Repro.Bench" epoch --device cuda --config chapter
        REPRO_STEP_CAPTURE=cuda-graph "$app/Repro.Bench" epoch --device cuda --config chapter; } 2>&1 | tee "$out/capture.txt" ;;
    chapter-learns)
      # The chapter check learns (issue 22): its GPU test and a CLI run with its curves.
      { suites -trait "Category=GPU" -method "*Chapter_learns_on_cuda" -reporter verbose
        repro run --config chapter --device cuda; echo "run exit=$?"; } 2>&1 | tee "$out/chapter-learns.txt" ;;
    hash) "$app/Repro.Bench" hash --device cuda 2>&1 | tee "$out/bench-hash.txt" ;;
    flat)
      # Flat vs per-tensor parameters on CUDA: each AdamW/EMA op and 10 training steps compared bit for
      # bit, step time side by side; then the chapter check with the flat layout forced against the
      # committed CUDA baseline (trained per tensor).
      { "$app/Repro.Bench" flat --device cuda --config chapter
        REPRO_PARAMETER_LAYOUT=flat suites -trait "Category=GPU" -method "*Flat*" -reporter verbose
        REPRO_PARAMETER_LAYOUT=flat repro check --config chapter --test dualtask-chapter --device cuda --no-rerun; echo "flat check exit=$?"; } 2>&1 | tee "$out/flat.txt" ;;
    figures)
      # Repro vs PyTorch (stock deterministic, stock non-deterministic, the mirror in a CUDA graph),
      # the cost of determinism, batch scaling: alternating rounds in one command; then the fingerprint.
      { python3 interop/pytorch/figures.py --bench "$app/Repro.Bench" --out "$out" --rounds 3
        "$app/Repro.Bench" hash --device cuda; } 2>&1 | tee "$out/figures.txt" ;;
    nccl-smoke)
      # Data parallelism on one GPU through real NCCL (issue 25; world size 1, since ncclCommInitRank with nranks=1
      # works on one GPU): where libnccl is, the GPU tests (the collectives; the data-parallel check over NCCL
      # against the same check without it, invariant and all-reduce modes, and against simulated worlds of 2; the
      # launcher starting one rank in a fresh process that joins NCCL through the unique id it was handed), the CPU
      # proofs again on this machine, 'repro run --gpus 1', and '--gpus 2' refused on one GPU (exit 4 expected).
      { ls -l "$REPRO_LIBTORCH_DIR"/libnccl* "$REPRO_LIBTORCH_DIR"/../../nvidia/nccl/lib/libnccl* 2>/dev/null
        suites -trait "Category=GPU" -namespace Repro.Tests.Distributed -reporter verbose
        suites -trait- "Category=GPU" -namespace Repro.Tests.Distributed -reporter verbose
        repro run --assembly "$app/Repro.Tests.dll" --check Repro.Tests.Distributed.DataParallelCheck --gpus 1 --out "$out/dataparallel-gpus1.json"; echo "gpus 1 exit=$?"
        repro run --assembly "$app/Repro.Tests.dll" --check Repro.Tests.Distributed.DataParallelCheck --gpus 2; echo "gpus 2 exit=$? (4 expected on one GPU)"
        "$app/Repro.Bench" distributed --config chapter; } 2>&1 | tee "$out/nccl-smoke.txt" ;;
    bench-cpu)
      { "$app/Repro.Bench" step --device cpu --config small --steps 10 --scaling no
      } 2>&1 | tee "$out/bench-cpu.txt" ;;
    *) echo "unknown step $step" ;;
  esac
done
