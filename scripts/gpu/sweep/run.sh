#!/usr/bin/env bash
# Sizing sweep for a chapter-model configuration with the learning options (issue 11) on CUDA: the
# variants of make.py, each trained with `repro run` from the self-contained publish (scripts/gpu/publish.sh).
set -uo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
app=/tmp/repro-app
if [ ! -x "$app/Repro.Cli" ]; then tar -xJf "$root/.gpu/app.tar.xz" -C /tmp && mv /tmp/app "$app"; fi
export REPRO_LIBTORCH_DIR=$(python3 -c "import os, torch; print(os.path.join(os.path.dirname(torch.__file__), 'lib'))")
export CUBLAS_WORKSPACE_CONFIG=:4096:8
"$app/Repro.Cli" run --config chapter --print-config > /tmp/chapter.json && python3 "$root/scripts/gpu/sweep/make.py" /tmp/chapter.json /tmp/sweep-configs
# An optional glob picks variants by name (default: all).
for f in /tmp/sweep-configs/${1:-*}.json; do
  n=$(basename "$f" .json)
  echo "=== $n"
  SECONDS=0
  "$app/Repro.Cli" run --config "$f" --device cuda 2>&1
  echo "wall ${SECONDS} s"
done
