// Ingest: input files → readers → field mapping → normalizer → store.
//
// The pipeline streams: a reader thread cuts the input into batches, worker
// threads map and normalise them, and the calling thread writes them to the
// store in input order, one transaction per batch. Memory is bounded by the
// queue depth times the batch size, not by the input. Killing the process at
// any point loses at most the batches not yet committed; rerunning the same
// command stores each record exactly once (duplicates are recognised by
// their ext_id, see docs/schema.md).
#ifndef ECHOTRACE_INGEST_H_
#define ECHOTRACE_INGEST_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "echotrace/progress.h"
#include "echotrace/status.h"
#include "echotrace/store.h"

namespace echotrace {

struct IngestOptions {
  // "auto", "jsonl", "csv", "tsv", "text", "html".
  std::string format = "auto";
  // --map values: "field=column" or "field=col1+col2" (joined with a blank
  // line). Fields: id text author time source url parent title lang.
  std::vector<std::string> map;
  // CSV/TSV column names when the file has no header row.
  std::vector<std::string> columns;
  // When non-empty, the source of every record (overrides any source field).
  // Otherwise a record's source field, or else the input file's name without
  // directories and extensions.
  std::string source;
  // When non-empty, the time of every document read in this command whose
  // own time is missing or unreadable (undated articles): ISO 8601 or unix
  // seconds, as docs/formats.md lists; InvalidArgument otherwise. Recorded as
  // "time_from": "--time" in the document's extra. It does not enter
  // content-hash ids, and documents already stored keep their time.
  std::string time;
  // Stop at the first rejected record: Status BadInput naming the file, the
  // line and what to fix (exit code 2). Batches before it stay committed.
  bool strict = false;
  // Read, map and normalise every input but write nothing: `store` may be
  // null, no run is recorded, `ingested` counts what would be stored (ids
  // are not checked against a store) and each reject is reported through
  // on_warning. For checking a new input before ingesting it, and for
  // measuring the pipeline without the store.
  bool check_only = false;
  int threads = 0;               // worker threads; 0 = number of cores
  size_t batch_records = 16384;  // records per transaction
  bool progress = true;          // progress on stderr
  ProgressSink on_progress;      // with progress: the lines go here instead
  // Set to true (for example from a SIGINT handler) to stop after the batch
  // being written; the run is then recorded as "interrupted".
  const std::atomic<bool>* cancel = nullptr;
  // Called for each warning (file:line: message); default prints the first
  // 20 to stderr.
  std::function<void(const std::string&)> on_warning;
};

struct IngestSummary {
  int64_t run_id = 0;
  uint64_t files = 0;
  uint64_t bytes = 0;         // decompressed bytes read
  uint64_t read = 0;          // records read (ingested + duplicates + rejected)
  uint64_t ingested = 0;      // new documents stored
  uint64_t duplicates = 0;    // records already in the store (same ext_id)
  uint64_t rejected = 0;      // records stored in `rejects` instead
  uint64_t warnings = 0;      // e.g. unparseable times (the record is kept)
  uint64_t invalid_utf8 = 0;  // invalid sequences replaced with U+FFFD
  // NUL bytes dropped from records (each record with any is also a warning);
  // NUL is never text, so it costs no record, in any format.
  uint64_t nul_bytes = 0;
  // Entries of the named directories that were not read (hidden, unknown
  // extension, not a regular file), each reported as a warning.
  uint64_t skipped_files = 0;
  double seconds = 0;
  bool interrupted = false;

  // One JSON object with every figure above.
  std::string ToJson() const;
};

// Ingests `paths` (files, directories, "-" for stdin) into `store` (which
// may be null only with check_only).
// Returns BadInput under --strict at the first reject, InvalidArgument for a
// bad option (unknown format, malformed --map, a --map column missing from a
// CSV/TSV header: the message names it and the header's columns), NotFound
// for a missing path and when nothing was stored (or, with check_only, would
// be) from an input that was not empty — every record rejected, or files
// without records — while no record was already stored either, IOError when
// a file cannot be read, Cancelled when interrupted. Each file that gave no
// records (empty, header only) and each entry of a named directory that was
// not read is reported through on_warning and counted in `warnings` /
// `skipped_files`. *summary is filled in every case with what was done.
Status Ingest(Store* store, const std::vector<std::string>& paths, const IngestOptions& options,
              IngestSummary* summary);

}  // namespace echotrace

#endif  // ECHOTRACE_INGEST_H_
