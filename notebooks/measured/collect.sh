#!/bin/bash
# Collects finished runs of the measured grids into notebooks/measured/ (metrics only, no checkpoints), writes their
# summaries (selfsim experiment --summarize-only) and regenerates the READMEs' result tables. Run from anywhere.
# Usage: notebooks/measured/collect.sh [RUNS_ROOT]   (default RUNS_ROOT: out/measured, where the README commands write)
cd "$(dirname "$0")/../.."
RUNS=${1:-out/measured}
S="dotnet run --project tools/selfsim -c Release --no-build --"
for pair in "fmnist-mlp:fashion-mnist-mlp" "fmnist-vit:fashion-mnist-vit" "fmnist-mlp60:fashion-mnist-mlp60" "fmnist-vit30:fashion-mnist-vit30"; do
  src=$RUNS/${pair%%:*}; name=${pair##*:}; dst=notebooks/measured/$name
  [ -d "$src" ] || continue
  for m in $(grep -ls '"status": "completed"' "$src"/*/*/seed*/metrics.json); do
    d=$(dirname "$m"); rel=${d#$src/}; mkdir -p "$dst/$rel"; cp "$d/metrics.json" "$d/metrics.csv" "$dst/$rel/"
  done
  # CKA needs the checkpoints, which stay in the runs folder: measure there, keep the table
  $S experiment --out "$src" --summarize-only --cka > "$src/cka.txt" 2>&1 && cp "$src/cka.csv" "$dst/"
  [ -d "$dst" ] || continue
  $S experiment --out "$dst" --summarize-only > "$dst/summary.txt" 2>&1
  /usr/bin/python3 notebooks/measured/readme.py "$name" "notebooks/measured/$name/README.head.md" "notebooks/measured/$name/README.foot.md"
done
true
