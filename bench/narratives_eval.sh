#!/usr/bin/env bash
# Talking-point quality for BENCHMARKS.md ("Talking points", issue 15).
# Usage: bash bench/narratives_eval.sh BUILD_DIR [test BASELINE_THRESHOLD]
#   Without "test": B-cubed P/R/F1 on the CheckThat! 2022 train families, every
#   setting chosen on the choice slice (4/5 of the claims) and shown with its
#   figures on the held-back fifth; the TF-IDF kNN baseline in the same run.
#   With "test": the held-out test split scored at the library's defaults and
#   the baseline at the threshold the train run chose. Score it once, at the
#   end of a round of choices, and write the result down (BENCHMARKS.md).
# BUILD_DIR must be configured with -DECHOTRACE_BUILD_BENCHMARKS=ON.
set -euo pipefail
B=${1:?usage: narratives_eval.sh BUILD_DIR [test BASELINE_THRESHOLD]}
D=$(cd "$(dirname "$0")/../../shared/data/checkthat2022" && pwd)
split=${2:-train}
extra=()
if [ "$split" = test ]; then extra=(--baseline-threshold "${3:?the baseline threshold train chose}"); fi
uptime
/usr/bin/time -f "%e s wall, %U s user, %M KB peak" "$B/src/narratives/narratives_eval" "$D" "$split" \
  --vectors "$B/echotrace-vectors.bin" --threads 2 "${extra[@]}"
