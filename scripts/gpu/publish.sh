#!/usr/bin/env bash
# Builds the self-contained CUDA-backend publish that scripts/gpu/run.sh unpacks on a GPU machine.
# The suites with CUDA tests, the CLI and the bench share one folder (same runtime and dependency versions), packed as .tar.xz
# to stay under the device tool's 64 MiB transfer limit.
set -euo pipefail
cd "$(dirname "$0")/../.."
rm -rf .gpu/app
for project in tests/Repro.Tests tests/Repro.DualTask.Tests src/Repro.Cli bench/Repro.Bench; do
  dotnet publish "$project" -c Release -r linux-x64 --self-contained -p:ReproBackend=cuda -o .gpu/app
done
rm -rf .gpu/app/Microsoft.CodeCoverage
git rev-parse HEAD > .gpu/commit
tar -I 'xz -T2 -6' -C .gpu -cf .gpu/app.tar.xz app
ls -la .gpu/app.tar.xz
