#!/usr/bin/env bash
# Claim matching and similarity figures for BENCHMARKS.md (issue #4).
# Usage: bash bench/claims_eval.sh BUILD_DIR [STORE.db]
#   CheckThat! 2022 2A English MAP@5 on dev-test and test, with every signal and
#   without dates; match time; STS Benchmark dev Pearson; MSRP 10-fold accuracy;
#   with STORE.db (the full IRA store), search latency over 1,000 queries.
set -euo pipefail
B=${1:?usage: claims_eval.sh BUILD_DIR [STORE.db]}
S=$(cd "$(dirname "$0")/../../shared/data" && pwd)
D=$S/checkthat2022
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for split in dev-test test; do
  for flag in "" --no-dates; do
    /usr/bin/time -f "%e s wall, %M KB peak" "$B/echotrace" match --claims "$D/vclaims.jsonl" \
      --queries "$D/$split.queries.tsv" $flag -o "$out/run.tsv" 2> "$out/err" || { cat "$out/err"; exit 1; }
    printf '%-9s %-11s %s   (%s)\n' "$split" "${flag:-all-signals}" \
      "$("$B/echotrace" eval-match --json --run "$out/run.tsv" --qrels "$D/$split.qrels.tsv")" \
      "$(tail -2 "$out/err" | tr '\n' ' ')"
  done
done
"$B/src/claims/claims_bench" sts "$S/sts/sts-train.csv" "$S/sts/sts-dev.csv"
"$B/src/claims/claims_bench" msrp "$S/msrp/msr_paraphrase_train.txt"
if [ $# -ge 2 ]; then "$B/src/claims/claims_bench" search "$2" 1000; fi
