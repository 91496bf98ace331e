#!/usr/bin/env bash
# Runs clang-tidy (the checks in .clang-tidy) over the given files, or over
# every .cc file changed since origin/main (or HEAD~1) when none are given.
# Needs a configured build/ (compile_commands.json). Not part of check.sh:
# on two cores a whole-tree run takes many minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f build/compile_commands.json ] || cmake -S . -B build -G Ninja >/dev/null
files=("$@")
if [ "${#files[@]}" -eq 0 ]; then
  base=$(git rev-parse --verify -q origin/main || git rev-parse HEAD~1)
  mapfile -t files < <(git diff --name-only "$base" -- '*.cc' | grep -v '^fuzz/' || true)
fi
[ "${#files[@]}" -eq 0 ] && { echo "tidy: nothing to check"; exit 0; }
clang-tidy-14 -p build --quiet "${files[@]}"
