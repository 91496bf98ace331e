#!/usr/bin/env bash
# Refits the same-claim model (src/similarity/same_claim_model.txt) on the
# labelled pairs of ../shared/data (bench/fit_similarity.cc says which and
# how), then rebuild to compile it in. Usage, from the repository folder:
#   bash bench/fit_similarity.sh [BUILD_DIR]
set -euo pipefail
build="${1:-build}"
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ ! -x "$build/fit_similarity" ]; then
  echo "fit_similarity: $build/fit_similarity not built (cmake --build $build --target fit_similarity)" >&2
  exit 1
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -f "  (%e s wall, %U s user, %M KB peak)" \
  "$build/fit_similarity" --data "$root/../shared/data" -o "$root/src/similarity/same_claim_model.txt"
