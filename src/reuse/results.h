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

}  // namespace echotrace

#endif  // ECHOTRACE_REUSE_RESULTS_H_
