#!/usr/bin/env bash
# Golden tests as data (in the spirit of DuckDB's sqllogictest): each folder
# tests/golden/CASE/ holds a small corpus (any files), a file `commands` (one
# shell command a line, as a user would type it; `#` lines are comments)
# and a file `expected`: the transcript of running them. The runner copies
# the folder into a fresh temporary directory, runs each command there with
# bash (echotrace on the PATH, TZ=UTC, LC_ALL=C) and writes
#     $ COMMAND
#     its standard output
#     stderr: each line of its standard error
#     [exit N]            (only when N is not 0)
# then normalises what varies between runs (see normalise() below) and
# compares the transcript with `expected`, printing a unified diff when they
# differ.
#
# Usage: tests/golden/run.sh --echotrace BUILD/echotrace [--update] [CASE...]
#   --update  rewrites each case's `expected` with what it printed now; review
#             the change (git diff tests/golden) before committing it.
# Exit code: 0 when every case matches, 1 otherwise, 2 on bad usage.
# Registered with ctest as golden_test (tests/CMakeLists.txt).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
bin=""
update=0
cases=()
while [ $# -gt 0 ]; do
  case "$1" in
    --echotrace) bin=${2:-}; shift 2 ;;
    --update) update=1; shift ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    -*) echo "run.sh: unknown flag $1" >&2; exit 2 ;;
    *) cases+=("$1"); shift ;;
  esac
done
if [ -z "$bin" ] || [ ! -x "$bin" ]; then
  echo "run.sh: --echotrace BUILD/echotrace (an executable) is required" >&2
  exit 2
fi
bindir=$(cd "$(dirname "$bin")" && pwd)
if [ "${#cases[@]}" -eq 0 ]; then
  for d in "$here"/*/; do
    [ -f "$d/commands" ] && cases+=("$(basename "$d")")
  done
fi

# What varies between runs or machines, replaced by a fixed marker: the
# temporary directory, wall-clock durations (JSON "seconds"/"*_seconds"
# fields, numbers or objects of per-phase numbers, and "1.2 s"/"1.2s" in
# messages) and rates ("/s").
normalise() {
  local work=$1
  sed -E \
    -e "s#${work}#\$WORK#g" \
    -e 's/("([a-z_]*_)?seconds"):\{[^{}]*\}/\1:{*}/g' \
    -e 's/("([a-z_]*_)?seconds"):[0-9.eE+-]+/\1:*/g' \
    -e 's/\b[0-9]+(\.[0-9]+)? ?s\b/* s/g' \
    -e 's#[0-9.]+(k|M)? ?([a-z]+)/s\b#* \2/s#g'
}

# run_case CASE WORK: the transcript of CASE's commands run in WORK.
run_case() {
  local dir="$here/$1" work=$2 line out err code
  cp -R "$dir/." "$work/"
  rm -f "$work/commands" "$work/expected"
  out=$(mktemp)
  err=$(mktemp)
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in ''|'#'*) continue ;; esac
    echo "\$ $line"
    (cd "$work" && PATH="$bindir:$PATH" TZ=UTC LC_ALL=C bash -c "$line" >"$out" 2>"$err" </dev/null)
    code=$?
    cat "$out"
    [ -s "$out" ] && [ "$(tail -c1 "$out" | od -An -c | tr -d ' ')" != '\n' ] && echo
    sed 's/^/stderr: /' "$err"
    [ "$code" -ne 0 ] && echo "[exit $code]"
  done <"$dir/commands"
  rm -f "$out" "$err"
}

failed=0
for name in "${cases[@]}"; do
  if [ ! -f "$here/$name/commands" ]; then
    echo "run.sh: no case $name (tests/golden/$name/commands)" >&2
    failed=$((failed + 1))
    continue
  fi
  actual=$(mktemp)
  work=$(mktemp -d "${TMPDIR:-/tmp}/echotrace_golden.XXXXXX")
  run_case "$name" "$work" | normalise "$work" >"$actual"
  rm -rf "$work"
  if [ "$update" -eq 1 ]; then
    cp "$actual" "$here/$name/expected"
    echo "updated $name"
  elif diff -u --label "$name/expected" --label "$name (this build)" "$here/$name/expected" "$actual"; then
    echo "ok $name"
  else
    echo "FAILED $name (tests/golden/run.sh --update rewrites expected; review the diff)"
    failed=$((failed + 1))
  fi
  rm -f "$actual"
done
echo "golden: $(( ${#cases[@]} - failed )) passed, $failed failed"
[ "$failed" -eq 0 ]
