#!/usr/bin/env bash
# What the Python package costs (issue targets: the bindings add <= 5% to the
# C++ run time of ingest and analyze on the 200k IRA sample; reading 1M
# result rows into a DataFrame <= 2 s). BENCHMARKS.md records the figures.
#
# In one run, alternating, REPS times each:
#   cli     echotrace ingest + echotrace analyze --only neardup,coordination
#   python  the same two calls through `import echotrace`, in one process
# each timed from outside with /usr/bin/time (wall, user+sys CPU, peak RSS),
# each into a fresh store; then, on a store of FILE_BIG (default: all 2.46M
# IRA tweets), the seconds `store.documents()` takes to build its DataFrame
# (every document with its text), timed inside Python, as rows per second.
#
# Usage: bench/python_bindings.sh [BUILD] [REPS]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
REPS=${2:-2}
SAMPLE=../shared/data/ira/ira_sample_200k.csv.zst
FILE_BIG=${FILE_BIG:-../shared/data/ira/ira_tweets.csv.zst}
PY=/usr/bin/python3
[ -f "$SAMPLE" ] || { echo "no $SAMPLE (the shared data is needed)" >&2; exit 1; }
[ -x "$BUILD/echotrace" ] || { echo "build first: cmake --build $BUILD" >&2; exit 1; }
[ -d "$BUILD/python/echotrace" ] || { echo "no Python package in $BUILD/python" >&2; exit 1; }
export PYTHONPATH="$PWD/$BUILD/python"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"

timed() {  # timed NAME CMD... -> "NAME wall cpu rss_mb"
  local name=$1
  shift
  /usr/bin/time -f "%e %U %S %M" -o "$work/t" "$@" >/dev/null 2>"$work/err" ||
    { cat "$work/err" >&2; exit 1; }
  read -r wall user sys rss <"$work/t"
  printf '%-7s wall %6.2f s  cpu %6.2f s  peak RSS %5.0f MB\n' "$name" "$wall" \
    "$(echo "$user + $sys" | bc -l)" "$(echo "$rss/1024" | bc -l)"
}

cli_run() {
  rm -f "$work"/c.db*
  "$BUILD/echotrace" ingest --quiet --db "$work/c.db" "$SAMPLE" &&
    "$BUILD/echotrace" analyze --quiet --db "$work/c.db" --only neardup,coordination
}
export -f cli_run
export BUILD SAMPLE work

cat >"$work/py_run.py" <<EOF
import echotrace, os, glob
for f in glob.glob("$work/p.db*"):
    os.remove(f)
with echotrace.Store("$work/p.db") as s:
    s.ingest("$SAMPLE")
    s.analyze(["neardup", "coordination"])
EOF

for rep in $(seq "$REPS"); do
  timed cli bash -c cli_run | tee -a "$work/cli"
  timed python "$PY" "$work/py_run.py" | tee -a "$work/py"
done
sum_cpu() { awk '{s += $6} END {print s}' "$1"; }
sum_wall() { awk '{s += $3} END {print s}' "$1"; }
printf 'python / cli: wall %.3f, cpu %.3f (sums over %d runs each)\n' \
  "$(echo "$(sum_wall "$work/py") / $(sum_wall "$work/cli")" | bc -l)" \
  "$(echo "$(sum_cpu "$work/py") / $(sum_cpu "$work/cli")" | bc -l)" "$REPS"

if [ -f "$FILE_BIG" ]; then
  "$BUILD/echotrace" ingest --quiet --db "$work/big.db" "$FILE_BIG"
  "$PY" - <<EOF
import time, echotrace
with echotrace.Store("$work/big.db", readonly=True) as s:
    for rep in range(2):
        t, c = time.perf_counter(), time.process_time()
        docs = s.documents()
        dt, dc = time.perf_counter() - t, time.process_time() - c
        m = len(docs) / 1e6
        print(f"documents() {len(docs):,} rows x {docs.shape[1]} columns: wall {dt:.2f} s, "
              f"cpu {dc:.2f} s = per 1M rows wall {dt / m:.2f} s, cpu {dc / m:.2f} s")
        del docs
EOF
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
