// The read side of the passage-reuse detector: what the export, the demo
// scorecard and the views read of its result (tables reuse_*,
// docs/schema.md), so that no code outside src/reuse writes SQL against
// them. The result is that of the latest ok full run (kind `reuse`):
// incremental runs write their rows under its id (stage.h). How an
// occurrence differs from its origin is rendered by alignment.h.
#ifndef ECHOTRACE_REUSE_RESULTS_H_
#define ECHOTRACE_REUSE_RESULTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "analyze/detector.h"
#include "echotrace/status.h"
#include "echotrace/store.h"

namespace echotrace {

// The export tables: "reuse" (one row per occurrence) and "reuse-clusters".
const std::vector<ResultTable>& ReuseResultTables();

// One occurrence of a reused passage: the document's ext_id, the cluster,
// byte offsets into the stored text.
struct ReuseOccurrenceRow {
  std::string ext_id;
  int64_t cluster_id = 0;
  uint32_t start = 0;
  uint32_t end = 0;
};

// Every occurrence of the latest result, in storage order. NotFound when
// the store has no reuse result.
Result<std::vector<ReuseOccurrenceRow>> ReadReuseOccurrences(Store* store);

// A cluster's origin is its earliest dated occurrence (corpus_reuse.h), which
// is provably first only when every document of the cluster has a date: an
// undated one may be older (issue 17 item 4). These name the documents of
// cluster `cluster_id` of run `run_id` without a time; 0 means the origin is
// certain.
Result<uint64_t> CountUndatedReuseDocuments(Store* store, int64_t run_id, int64_t cluster_id);

// The wording every view uses where it would otherwise name an origin that
// is uncertain: "origin uncertain: 2 undated documents" (the web UI repeats
// it, web/src/views.ts). Empty when `undated` is 0.
std::string OriginUncertainNote(uint64_t undated);

// The SQL expression, over a reuse_clusters row aliased `c`, counting its
// undated documents (for the export and the web bundle, which select it
// beside the cluster's other columns).
extern const char kUndatedReuseDocumentsSql[];

}  // namespace echotrace

#endif  // ECHOTRACE_REUSE_RESULTS_H_
