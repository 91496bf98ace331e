// Exports of analysis results in standard formats (DESIGN.md, "Export
// columns" — a contract). CSV is RFC 4180 with a header row; JSONL is one
// object per line with the same names. Document ids are ext_ids.
#ifndef ECHOTRACE_EXPORT_H_
#define ECHOTRACE_EXPORT_H_

#include <cstdint>
#include <string>

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

}  // namespace echotrace

#endif  // ECHOTRACE_EXPORT_H_
