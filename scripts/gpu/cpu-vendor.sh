#!/usr/bin/env bash
# Runs on the GPU machine's host CPU (Intel Xeon; no .NET SDK there): the self-contained CPU publish
# (TorchSharp + the libtorch-cpu-linux-x64 package Repro builds with), made here by
#   dotnet publish src/Repro.Cli -c Release -r linux-x64 --self-contained -o .gpu/cpuapp
#   tar -cf - -C .gpu cpuapp | xz -T2 -6 | split -b 48M -d - .gpu/cpu.part.
# and carried in two calls (a transfer holds at most 64 MiB): the first copies .gpu/cpu.part.00 to /tmp.
# Checks the committed portable CPU baselines (approved on an AMD EPYC) on this vendor, then shows what
# the native profile does. Results land in $OUT.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${OUT:-$root/gpu-out}
mkdir -p "$out"
cd "$root"
if [ ! -x /tmp/cpuapp/Repro.Cli ]; then
  cat /tmp/cpu.part.00 .gpu/cpu.part.01 | xz -d | tar -xf - -C /tmp || { echo "could not unpack the CPU publish"; exit 4; }
fi
repro() { /tmp/cpuapp/Repro.Cli "$@"; }
export REPRO_SNAPSHOTS=$root/snapshots
unset REPRO_LIBTORCH_DIR DOTNET_PreferredVectorBitWidth MKL_CBWR
lscpu > "$out/lscpu.txt"
{
  echo "--- env (portable, the default)"; repro env --device cpu | grep -E "Key|CpuModel|CpuVendor|CpuProfile|MklBranch|ManagedVectorBits|LibTorch"
  echo "--- check small"; repro check --config small --device cpu; echo "exit=$?"
  echo "--- check small against the test's baseline"; repro check --config small --device cpu --test ReproducibilitySuite.SmallConfigOnCpu --no-rerun; echo "exit=$?"
  echo "--- small-fd004 fingerprint"; repro run --config small-fd004 --device cpu --out "$out/intel-small-fd004.json" | grep -E "Trained"
  echo "--- native profile"; REPRO_CPU_PROFILE=native repro run --config small --device cpu --out "$out/intel-small-native.json" | grep -E "Trained"
  echo "--- profile cost: small, three runs each, alternating"
  for round in 1 2 3; do
    for profile in portable native; do
      start=$(date +%s.%N); REPRO_CPU_PROFILE=$profile repro run --config small --device cpu > /dev/null; end=$(date +%s.%N)
      echo "$profile round $round: $(python3 -c "print(f'{$end - $start:.2f}')") s"
    done
  done
} 2>&1 | tee "$out/cpu-vendor.txt"
find snapshots -name '*.received.*' -newer /tmp/cpu.part.00 -print | tee -a "$out/cpu-vendor.txt"
