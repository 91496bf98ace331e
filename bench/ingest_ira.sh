#!/usr/bin/env bash
# Ingest benchmark on the real IRA tweets (BENCHMARKS.md records the figures).
#
# Measures, in one run on the same file:
#   baseline: one `zstd -dc FILE | wc -w` pass (decompress + count words)
#   echotrace ingest into a fresh store: parse CSV, map fields, repair UTF-8,
#   detect language, extract entities, hash, store with FTS5 index
# and prints wall times, docs/s, MB/s (of decompressed CSV), peak RSS, the
# ratio ingest/baseline, and for both the CPU time (user + system) and the
# ingest's bytes written (a shared machine stretches wall times; CPU time and
# bytes written say what the run itself cost), with the load average.
#
# Usage: bench/ingest_ira.sh [FILE] [BINARY]
#   FILE   default ../shared/data/ira/ira_tweets.csv.zst
#   BINARY default build/echotrace
set -euo pipefail
cd "$(dirname "$0")/.."
FILE=${1:-../shared/data/ira/ira_tweets.csv.zst}
BIN=${2:-build/echotrace}
[ -f "$FILE" ] || { echo "no such file: $FILE (the shared data is needed)" >&2; exit 1; }
[ -x "$BIN" ] || { echo "build first: cmake --build build" >&2; exit 1; }
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
now() { date +%s.%N; }

bytes=$(zstd -dc "$FILE" | wc -c)

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
t0=$(now)
/usr/bin/time -f "%U %S" -o "$work/base_time" bash -c "zstd -dc '$FILE' | wc -w" >"$work/words"
t1=$(now)
words=$(cat "$work/words")
base=$(echo "$t1 - $t0" | bc -l)
read -r base_user base_sys <"$work/base_time"

/usr/bin/time -f "%e %M %U %S %O" -o "$work/time" "$BIN" ingest --quiet --json --db "$work/ira.db" "$FILE" \
  >"$work/summary.json"
read -r wall rss_kb user sys written <"$work/time"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
docs=$(grep -oE '"read":[0-9]+' "$work/summary.json" | cut -d: -f2)
db_size=$(du -cb "$work"/ira.db* | tail -1 | cut -f1)

printf 'input            %s (%.1f MB decompressed, %s words)\n' "$FILE" "$(echo "$bytes/1048576" | bc -l)" "$words"
printf 'baseline         zstd -dc | wc -w: %.2f s\n' "$base"
printf 'echotrace ingest %.2f s, %d docs, %.0f docs/s, %.1f MB/s, peak RSS %.0f MB, store %.0f MB\n' \
  "$wall" "$docs" "$(echo "$docs/$wall" | bc -l)" "$(echo "$bytes/1048576/$wall" | bc -l)" \
  "$(echo "$rss_kb/1024" | bc -l)" "$(echo "$db_size/1048576" | bc -l)"
printf 'ratio            ingest / baseline = %.1fx\n' "$(echo "$wall/$base" | bc -l)"
printf 'cpu              baseline %.2f s, ingest %.2f s (user %.2f + sys %.2f): %.1fx\n' \
  "$(echo "$base_user + $base_sys" | bc -l)" "$(echo "$user + $sys" | bc -l)" "$user" "$sys" \
  "$(echo "($user + $sys) / ($base_user + $base_sys)" | bc -l)"
printf 'written          %.0f MB by the ingest (for a store of %.0f MB)\n' \
  "$(echo "$written * 512 / 1048576" | bc -l)" "$(echo "$db_size/1048576" | bc -l)"
echo "load average     $load_before before, $load_after after"
echo "summary          $(cat "$work/summary.json")"
