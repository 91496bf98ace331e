#!/usr/bin/env bash
# The demo's planted talking points against `analyze --only narratives`
# (BENCHMARKS.md, "Talking points"). Usage: bash bench/narratives_demo.sh
# BUILD_DIR [analyze flags...]
set -euo pipefail
B=${1:?usage: narratives_demo.sh BUILD_DIR [analyze flags...]}
shift
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$B/echotrace" demo --out "$out/demo" > /dev/null 2>&1
/usr/bin/time -f "%e s wall, %U s user, %M KB peak" \
  "$B/echotrace" analyze --db "$out/demo/demo.db" --only narratives "$@" 2>&1 | tail -2
"$B/echotrace" export --db "$out/demo/demo.db" --what narrative-units --format jsonl \
  -o "$out/units.jsonl" 2> /dev/null
python3 "$(dirname "$0")/narratives_demo_score.py" "$out/demo/ground_truth.json" "$out/units.jsonl"
