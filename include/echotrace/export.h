// Exports of analysis results in standard formats (DESIGN.md, "Export
// columns" — a contract). CSV is RFC 4180 with a header row; JSONL is one
// object per line with the same names. Document ids are ext_ids.
#ifndef ECHOTRACE_EXPORT_H_
#define ECHOTRACE_EXPORT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "echotrace/status.h"
#include "echotrace/store.h"

namespace echotrace {

struct ExportOptions {
  // neardup: cluster_id, doc_id — one row per document in a cluster of two
  // or more, ordered by cluster then document. cluster_id is docs.id of the
  // cluster's earliest-ingested member.
  // reuse: cluster_id, doc_id, start, end, text — one row per passage
  // occurrence, ordered by cluster, document (ingest order), start; start
  // and end are byte offsets into the stored text, text the bytes between.
  // reuse-clusters: cluster_id, occurrences, documents, sources, authors,
  // first_time, last_time, origin_doc_id, origin_time, undated_documents,
  // origin_certain — one row per reuse cluster; times ISO 8601 UTC, empty
  // (CSV) or null (JSONL) when unknown; origin_certain is 1 only when no
  // document of the cluster is undated (else an undated one may be older).
  // Reuse cluster ids are 1, 2, ... in order of first occurrence.
  // coordination: account_a, account_b, behaviour, weight, first_time,
  // last_time, window, weight_<W>s per window W of the run — one row per
  // (account pair, behaviour); weight counts co-actions at any window,
  // window is the tightest window (s) the edge holds in, weight_<W>s the
  // co-actions counted at W. Also as gexf / graphml (the same attributes):
  // the account network with groups, for Gephi (docs/formats.md, Exports).
  // groups: account, group_id — Leiden communities of the account network.
  // documents: doc_id, source, author, time, lang, input_lang, title, url,
  // parent, text — every stored document in ingest order (no analysis run
  // needed; run_id is 0).
  std::string what = "neardup";
  std::string format = "csv";  // csv | jsonl | gexf | graphml (coordination)
  std::string out_path;        // "" or "-": standard output
};

struct ExportSummary {
  uint64_t rows = 0;
  int64_t run_id = 0;  // the analysis run the rows come from
};

// Writes the latest successful result of the detector behind `what`.
// InvalidArgument for an unknown `what` or format, or one not available in
// this version; NotFound (saying which `analyze` to run) when the store has
// no such result; IOError when the output cannot be written.
Status Export(Store* store, const ExportOptions& options, ExportSummary* summary);

// A result held in memory as typed columns, for programs that want the rows
// rather than a file (the Python API turns it into a pandas DataFrame). The
// same names, columns and row order as Export's CSV and JSONL.
struct ResultColumns {
  enum class Type {
    kInt,   // ints
    kText,  // texts
    kTime,  // ints as unix seconds (UTC); valid[i] == 0 where unknown
  };
  struct Column {
    std::string name;
    Type type = Type::kInt;
    std::vector<int64_t> ints;
    std::vector<std::string> texts;
    std::vector<uint8_t> valid;  // kTime only
  };
  int64_t run_id = 0;  // the analysis run the rows come from; 0 for documents
  uint64_t rows = 0;
  std::vector<Column> columns;
};

// Reads the latest successful result behind `what` (the names of
// ExportOptions::what) into memory: it holds every row, so its size grows
// with the result (Export streams instead). Errors as Export.
Result<ResultColumns> ReadResult(Store* store, const std::string& what);

// The names ReadResult and Export (csv, jsonl) accept, in a stable order.
std::vector<std::string> ResultNames();

}  // namespace echotrace

#endif  // ECHOTRACE_EXPORT_H_
