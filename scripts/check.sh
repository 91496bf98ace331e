#!/usr/bin/env bash
# The test command: builds echotrace three ways and runs every test.
#   0. style: clang-format and clang-tidy on the C++ files changed since main
#      (scripts/lint.sh; any finding fails)
#   1. optimised build (RelWithDebInfo), warnings as errors: all tests (unit,
#      CLI, golden, install), then the browser tests of the report and web UI
#      (web/tests/run.mjs, chromium), then the Python package's tests
#      (pytest over python/tests, with Debian's python3)
#   2. AddressSanitizer + UndefinedBehaviorSanitizer build: all tests
#   3. clang libFuzzer build: each fuzzer for FUZZ_SECONDS (default 20) on
#      its seed corpus
# Tests that need ../shared/data skip with a message when it is absent.
# Usage: scripts/check.sh [--fast]   (--fast: step 1 only)
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-$(nproc)}
FUZZ_SECONDS=${FUZZ_SECONDS:-20}
FAST=0
[ "${1:-}" = "--fast" ] && FAST=1

step() { echo "== $*" >&2; }
passed=0
failed=0
run_ctest() {
  local dir=$1 log line total bad
  log=$(mktemp)
  ctest --test-dir "$dir" --output-on-failure -j "$JOBS" 2>&1 | tee "$log" || true
  # ctest closes with "NN% tests passed, F tests failed out of T".
  line=$(grep -E 'tests failed out of [0-9]+' "$log" | tail -1 || true)
  rm -f "$log"
  if [ -z "$line" ]; then
    echo "ctest in $dir did not finish" >&2
    failed=$((failed + 1))
    return
  fi
  total=$(echo "$line" | grep -oE '[0-9]+$')
  bad=$(echo "$line" | grep -oE '[0-9]+ tests failed' | grep -oE '^[0-9]+')
  passed=$((passed + total - bad))
  failed=$((failed + bad))
}

# The browser tests close with "N passed, N failed" (web/tests/run.mjs).
run_web_tests() {
  local dir=$1 log line
  log=$(mktemp)
  node web/tests/run.mjs --echotrace "$dir/echotrace" --shots "$dir/web-screenshots" 2>&1 | tee "$log" || true
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -1 || true)
  rm -f "$log"
  if [ -z "$line" ]; then
    echo "browser tests did not finish" >&2
    failed=$((failed + 1))
    return
  fi
  passed=$((passed + $(echo "$line" | cut -d' ' -f1)))
  failed=$((failed + $(echo "$line" | cut -d' ' -f3)))
}

# pytest closes with "== 12 passed, 1 skipped in 3.2s ==" (or "N failed, ...").
run_pytest() {
  local dir=$1 log line n
  log=$(mktemp)
  ECHOTRACE_BUILD="$PWD/$dir" /usr/bin/python3 -m pytest -q -p no:cacheprovider python/tests 2>&1 | tee "$log" || true
  line=$(grep -E '^=+ .*(passed|failed|error).* in [0-9.]+s' "$log" | tail -1 || true)
  [ -z "$line" ] && line=$(grep -E '^[0-9]+ (passed|failed).* in [0-9.]+s' "$log" | tail -1 || true)
  rm -f "$log"
  if [ -z "$line" ]; then
    echo "pytest did not finish" >&2
    failed=$((failed + 1))
    return
  fi
  n=$(echo "$line" | grep -oE '[0-9]+ passed' | grep -oE '^[0-9]+' || echo 0)
  passed=$((passed + n))
  for kind in failed error errors; do
    n=$(echo "$line" | grep -oE "[0-9]+ $kind\b" | grep -oE '^[0-9]+' || echo 0)
    failed=$((failed + n))
  done
}

# Warnings are errors here (ECHOTRACE_WERROR), not in users' builds.
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DECHOTRACE_WERROR=ON >/dev/null
step "style (clang-format, clang-tidy on changed files)"
if JOBS="$JOBS" scripts/lint.sh; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
fi
step "optimised build"
cmake --build build -j "$JOBS"
step "tests (optimised build)"
run_ctest build
step "browser tests (report, serve, XSS; chromium)"
run_web_tests build
step "Python tests (pytest)"
run_pytest build

if [ "$FAST" -eq 0 ]; then
  step "ASan/UBSan build"
  cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DECHOTRACE_SANITIZE=ON \
    -DECHOTRACE_WERROR=ON >/dev/null
  cmake --build build-asan -j "$JOBS"
  step "tests (ASan/UBSan build)"
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 run_ctest build-asan

  step "fuzz build (clang, libFuzzer)"
  CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DECHOTRACE_FUZZ=ON -DECHOTRACE_WERROR=ON -DECHOTRACE_BUILD_WEB=OFF -DECHOTRACE_BUILD_TESTS=OFF >/dev/null
  fuzzers=(jsonl_reader_fuzzer csv_reader_fuzzer html_reader_fuzzer time_parse_fuzzer tokenize_fuzzer
    http_request_fuzzer post_analyze_fuzzer search_query_fuzzer)
  cmake --build build-fuzz -j "$JOBS" --target "${fuzzers[@]}"
  for f in "${fuzzers[@]}"; do
    step "fuzzing $f for ${FUZZ_SECONDS}s"
    corpus=$(mktemp -d)
    seeds=fuzz/corpus/$f
    [ -d "$seeds" ] || seeds=""
    if ./build-fuzz/fuzz/$f -max_total_time="$FUZZ_SECONDS" -max_len=65536 -timeout=10 \
        -rss_limit_mb=4096 -print_final_stats=0 -artifact_prefix="$PWD/fuzz-crash-$f-" "$corpus" $seeds >"$corpus.log" 2>&1; then
      passed=$((passed + 1))
    else
      tail -n 40 "$corpus.log" >&2
      echo "FUZZER FAILED: $f (crash input under $PWD: crash-*)" >&2
      failed=$((failed + 1))
    fi
    rm -rf "$corpus" "$corpus.log"
  done
fi

echo "check: ${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
