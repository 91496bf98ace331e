#!/usr/bin/env bash
# Style gate run by scripts/check.sh: clang-format (.clang-format) and
# clang-tidy (.clang-tidy) on the C++ files changed on this branch; fails on
# any formatting difference and on any finding of the clang-tidy checks that
# .clang-tidy makes errors (WarningsAsErrors: bugprone-*, performance-*).
#
# Which files: those given; else, with --all, every tracked .cc/.h; else the
# .cc/.h files that differ (committed or not) from the merge-base with main
# (or origin/main), or from HEAD~1 when HEAD is main itself: clang-tidy
# takes about 15 s per file on two cores (an hour for the tree), so it sees
# only those; each branch fixes the files it changes, so the tree converges.
# clang-format always checks every tracked file (seconds).
# clang-tidy reads $BUILD_DIR/compile_commands.json (default build/,
# configured if missing) and
# skips fuzz/ (built with clang-only flags) and headers (checked through the
# .cc files that include them: HeaderFilterRegex).
# Usage: scripts/lint.sh [--all | FILE...]   (JOBS=N parallel clang-tidy runs)
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-$(nproc)}
FORMAT=${CLANG_FORMAT:-clang-format-14}
TIDY=${CLANG_TIDY:-clang-tidy-14}
BUILD_DIR=${BUILD_DIR:-build}

files=()
if [ "${1:-}" = "--all" ]; then
  mapfile -t files < <(git ls-files '*.cc' '*.h')
elif [ $# -gt 0 ]; then
  files=("$@")
else
  base=""
  for ref in main origin/main; do
    if git rev-parse --verify -q "$ref" >/dev/null; then
      base=$(git merge-base HEAD "$ref")
      break
    fi
  done
  if [ -z "$base" ] || [ "$base" = "$(git rev-parse HEAD)" ]; then
    base=$(git rev-parse -q --verify HEAD~1 || true)
  fi
  if [ -n "$base" ]; then
    mapfile -t files < <({ git diff --name-only --diff-filter=d "$base" -- '*.cc' '*.h'
      git ls-files --others --exclude-standard -- '*.cc' '*.h'; } | sort -u)
  fi
fi
status=0
# clang-format takes seconds for the whole tree (formatted whole since
# 2026-12-07), so every tracked file is checked, whatever clang-tidy covers.
mapfile -t all_files < <(git ls-files '*.cc' '*.h')
if ! "$FORMAT" --dry-run --Werror "${all_files[@]}"; then
  echo "lint: clang-format findings above; fix with: $FORMAT -i FILE" >&2
  status=1
fi
if [ "${#files[@]}" -eq 0 ]; then
  [ "$status" -eq 0 ] && echo "lint: formatting clean; no changed C++ files for clang-tidy"
  exit "$status"
fi
echo "lint: clang-tidy on ${#files[@]} files (${files[*]:0:8}$([ "${#files[@]}" -gt 8 ] && echo ' ...'))" >&2

[ -f "$BUILD_DIR/compile_commands.json" ] || cmake -S . -B "$BUILD_DIR" -G Ninja >/dev/null
tidy=()
for f in "${files[@]}"; do
  case "$f" in fuzz/*|*.h) ;; *) tidy+=("$f") ;; esac
done
if [ "${#tidy[@]}" -gt 0 ]; then
  log=$(mktemp)
  # One clang-tidy per file, JOBS at a time. Findings of the checks listed
  # under WarningsAsErrors in .clang-tidy (bugprone-*, performance-*) fail;
  # the others (readability-braces-around-statements: one-line ifs are the
  # house style) are advice and are not printed.
  if ! printf '%s\n' "${tidy[@]}" |
      xargs -P "$JOBS" -n 1 "$TIDY" -p "$BUILD_DIR" --quiet >"$log" 2>&1; then
    grep -E -A3 'error:' "$log" >&2 || cat "$log" >&2
    echo "lint: clang-tidy findings above" >&2
    status=1
  fi
  rm -f "$log"
fi
[ "$status" -eq 0 ] && echo "lint: clean (${#files[@]} files)"
exit "$status"
