#!/usr/bin/env bash
# Checks that a restructuring left every analysis result identical (issue 13).
#
#   bench/compare_stores.sh exports BIN DB DIR   # writes DB's exports and views into DIR
#   bench/compare_stores.sh tables BASE.db NEW.db
#   bench/compare_stores.sh dirs BASE_DIR NEW_DIR
#   bench/compare_stores.sh report BASE.html NEW.html
#
# "tables": every table of either store (the full-text index's shadow tables,
# sqlite_stat1 and meta, which holds the store's creation time, aside) is compared as a set of rows with EXCEPT in both
# directions, without its run_id column; `runs` is compared by kind, params,
# status and every leaf of its JSON summary except timings (keys named
# seconds), keyed by the run's position among the runs of its kind, so run ids
# and timestamps do not matter. "exports" writes, with the binary BIN, every
# export (CSV, JSONL, GEXF, GraphML) and the `show reuse` / `show group` views
# of the first clusters and groups; "dirs" compares two such directories byte
# for byte. "report" compares two reports (the bundle of the report and the
# server) byte for byte once the times they record (generated_at,
# started_at, ended_at) are blanked. Exit status 1 on any difference, with the differing rows printed.
# Stores made from files (the demo) must be made from the same paths: docs
# and runs record them.
set -euo pipefail

die() { echo "compare_stores: $*" >&2; exit 2; }

# The columns of TABLE in the store attached as SCHEMA, without run_id.
columns() {
  sqlite3 "$1" "SELECT group_concat(quote(name), ', ') FROM pragma_table_info('$2') \
                WHERE name <> 'run_id'" | sed "s/'/\"/g"
}

runs_view() {
  local s=$1
  echo "SELECT r.kind, r.params, r.status,
          (SELECT count(*) FROM $s.runs r2 WHERE r2.kind = r.kind AND r2.id <= r.id) AS nth,
          j.fullkey, j.atom
        FROM $s.runs r, json_tree(CASE WHEN json_valid(r.summary) THEN r.summary ELSE '{}' END) j
        WHERE j.atom IS NOT NULL AND j.fullkey NOT LIKE '%seconds%'"
}

compare_tables() {
  local base=$1 new=$2 failed=0
  [[ -f $base && -f $new ]] || die "no such store: $base or $new"
  local q="SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'docs_fts%' \
           AND name NOT LIKE 'sqlite_%' AND name <> 'meta'"
  local tables
  tables=$( (sqlite3 "$base" "$q"; sqlite3 "$new" "$q") | sort -u)
  for t in $tables; do
    local in_base in_new
    in_base=$(sqlite3 "$base" "SELECT count(*) FROM sqlite_master WHERE name = '$t'")
    in_new=$(sqlite3 "$new" "SELECT count(*) FROM sqlite_master WHERE name = '$t'")
    if [[ $in_base != "$in_new" ]]; then
      echo "DIFF $t: only in $([[ $in_base == 1 ]] && echo base || echo new)"
      failed=1
      continue
    fi
    local a b
    if [[ $t == runs ]]; then
      a=$(runs_view b)
      b=$(runs_view n)
    else
      local cols
      cols=$(columns "$base" "$t")
      [[ $cols == "$(columns "$new" "$t")" ]] || { echo "DIFF $t: columns differ"; failed=1; continue; }
      a="SELECT $cols FROM b.\"$t\""
      b="SELECT $cols FROM n.\"$t\""
    fi
    local out rows
    out=$(sqlite3 :memory: "ATTACH '$base' AS b; ATTACH '$new' AS n;
      SELECT 'only in base', * FROM ($a EXCEPT $b) LIMIT 5;
      SELECT 'only in new', * FROM ($b EXCEPT $a) LIMIT 5;")
    rows=$(sqlite3 :memory: "ATTACH '$base' AS b; SELECT count(*) FROM ($a)")
    if [[ -n $out ]]; then
      echo "DIFF $t:"
      echo "$out" | cut -c1-300
      failed=1
    else
      echo "same $t ($rows rows)"
    fi
  done
  return $failed
}

write_exports() {
  local bin=$1 db=$2 dir=$3
  mkdir -p "$dir"
  for what in neardup reuse reuse-clusters coordination groups; do
    for fmt in csv jsonl; do
      "$bin" export --db "$db" --what "$what" --format "$fmt" --out "$dir/$what.$fmt" 2>/dev/null ||
        echo "(no $what result)" >"$dir/$what.$fmt"
    done
  done
  for fmt in gexf graphml; do
    "$bin" export --db "$db" --what coordination --format "$fmt" --out "$dir/coordination.$fmt" \
      2>/dev/null || echo "(no coordination result)" >"$dir/coordination.$fmt"
  done
  # The read side: the first reuse clusters and coordination groups as shown.
  for id in 1 2 3 5 8 13; do
    "$bin" show reuse "$id" --db "$db" >"$dir/show-reuse-$id.txt" 2>&1 || true
  done
  for id in 0 1 2 3; do
    "$bin" show group "$id" --db "$db" >"$dir/show-group-$id.txt" 2>&1 || true
  done
}

compare_dirs() {
  local failed=0
  for f in "$1"/*; do
    local g="$2/$(basename "$f")"
    if [[ ! -f $g ]]; then
      echo "DIFF $(basename "$f"): missing in $2"
      failed=1
    elif cmp -s "$f" "$g"; then
      echo "same $(basename "$f") ($(wc -c <"$f") bytes)"
    else
      echo "DIFF $(basename "$f")"
      failed=1
    fi
  done
  for g in "$2"/*; do
    [[ -f "$1/$(basename "$g")" ]] || { echo "DIFF $(basename "$g"): missing in $1"; failed=1; }
  done
  return $failed
}

compare_reports() {
  norm() {
    sed -e 's/"generated_at":[0-9]*/"generated_at":0/' -e 's/"started_at":[0-9]*/"started_at":0/g' \
      -e 's/"ended_at":[0-9]*/"ended_at":0/g' "$1"
  }
  if cmp -s <(norm "$1") <(norm "$2"); then
    echo "same report ($(wc -c <"$1") bytes)"
  else
    echo "DIFF report: $(cmp <(norm "$1") <(norm "$2"))"
    return 1
  fi
}

case "${1:-}" in
  tables) [[ $# == 3 ]] || die "usage: $0 tables BASE.db NEW.db"; compare_tables "$2" "$3" ;;
  exports) [[ $# == 4 ]] || die "usage: $0 exports BIN DB DIR"; write_exports "$2" "$3" "$4" ;;
  report) [[ $# == 3 ]] || die "usage: $0 report BASE.html NEW.html"; compare_reports "$2" "$3" ;;
  dirs) [[ $# == 3 ]] || die "usage: $0 dirs BASE_DIR NEW_DIR"; compare_dirs "$2" "$3" ;;
  *) die "usage: $0 tables BASE.db NEW.db | exports BIN DB DIR | dirs BASE_DIR NEW_DIR | report A B" ;;
esac
