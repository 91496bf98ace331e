#!/usr/bin/env bash
# Installs every build and test dependency of echotrace from Debian 12 packages.
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
  libcld2-dev                          # language identification
  libxxhash-dev                        # XXH3 hashing
  libzstd-dev zstd zlib1g-dev          # compressed input
  libcli11-dev                         # command-line flags
  libgumbo-dev                         # HTML to text
  libigraph-dev                        # Leiden communities (coordination groups)
  libgtest-dev libgmock-dev            # unit tests
  libbenchmark-dev                     # micro-benchmarks
  time bc gzip                         # bench/ scripts and tests
)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
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
