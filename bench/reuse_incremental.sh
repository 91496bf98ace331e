#!/usr/bin/env bash
# Incremental passage reuse on the real IRA tweets (BENCHMARKS.md records the
# figures).
#
# The CSV is cut in two at row CUT (default: 90% of the rows) with Python's
# csv module (fields hold newlines, so lines cannot be counted). Then, in
# one store:
#   1. ingest the first part; analyze --only reuse   (full run)
#   2. ingest the second part
#   3. analyze --only reuse                           (incremental: new rows only)
#   4. analyze --only reuse --full                    (the baseline: a full rebuild)
# and the reuse tables after 3 and after 4 are compared row for row. Prints
# wall time and peak RSS of 3 and 4 and their ratio.
#
# Usage: bench/reuse_incremental.sh [FILE] [SHARE] [BINARY]
#   FILE   default ../shared/data/ira/ira_tweets.csv.zst
#   SHARE  share of rows in the first part, default 0.9
#   BINARY default build/echotrace
set -euo pipefail
cd "$(dirname "$0")/.."
FILE=${1:-../shared/data/ira/ira_tweets.csv.zst}
SHARE=${2:-0.9}
BIN=${3:-build/echotrace}
[ -f "$FILE" ] || { echo "no such file: $FILE (the shared data is needed)" >&2; exit 1; }
[ -x "$BIN" ] || { echo "build first: cmake --build build" >&2; exit 1; }
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/echotrace-reuse-incr.XXXXXX")
trap 'rm -rf "$work"' EXIT

zstd -dc "$FILE" | python3 -c '
import csv, sys
csv.field_size_limit(1 << 30)
share = float(sys.argv[1]); out = sys.argv[2]
rows = list(csv.reader(sys.stdin))
head, body = rows[0], rows[1:]
cut = int(len(body) * share)
for name, part in (("a.csv", body[:cut]), ("b.csv", body[cut:])):
    with open(out + "/" + name, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(head)
        w.writerows(part)
print(f"rows: {cut} then {len(body) - cut}", file=sys.stderr)
' "$SHARE" "$work"

db="$work/ira.db"
"$BIN" ingest --quiet --db "$db" "$work/a.csv" >/dev/null
"$BIN" analyze --db "$db" --only reuse >/dev/null 2>&1
"$BIN" ingest --quiet --db "$db" "$work/b.csv" >/dev/null

dump() {
  sqlite3 "$db" "SELECT cluster_id, origin_doc_id, origin_start, occurrences, documents, sources,
      authors, first_time, last_time FROM reuse_clusters ORDER BY cluster_id;
    SELECT cluster_id, doc_id, start, end, tok_begin, tok_end, centre FROM reuse_occurrences
      ORDER BY 1, 2, 3, 4;
    SELECT doc_a, a_start, a_end, doc_b, b_start, b_end, identity, containment FROM reuse_pairs
      ORDER BY 1, 2, 3, 4, 5, 6;
    SELECT source, ngram_hash, docs, example_doc_id FROM reuse_boilerplate ORDER BY 1, 2;" | md5sum
}

/usr/bin/time -f "%e %M" -o "$work/t_incr" "$BIN" analyze --db "$db" --only reuse \
  >"$work/incr.out" 2>&1
incr_sum=$(dump)
/usr/bin/time -f "%e %M" -o "$work/t_full" "$BIN" analyze --db "$db" --only reuse --full \
  >"$work/full.out" 2>&1
full_sum=$(dump)
read -r wi ri <"$work/t_incr"
read -r wf rf <"$work/t_full"

grep -o '"mode":"[a-z]*"' "$work/incr.out" | head -1
grep -o '"new_documents":[0-9]*' "$work/incr.out" | head -1
printf 'incremental run  %.1f s, peak RSS %.0f MB\n' "$wi" "$(echo "$ri/1024" | bc -l)"
printf 'full rebuild     %.1f s, peak RSS %.0f MB\n' "$wf" "$(echo "$rf/1024" | bc -l)"
printf 'ratio            full / incremental = %.1fx\n' "$(echo "$wf/$wi" | bc -l)"
if [ "$incr_sum" = "$full_sum" ]; then
  echo "tables           identical after both (md5 ${incr_sum%% *})"
else
  echo "tables           DIFFER: incremental ${incr_sum%% *}, full ${full_sum%% *}" >&2
  exit 1
fi
