// The passage-reuse detector as an analysis stage: reads every document
// (text, time, source, author) from the store, finds reused passages with
// reuse::FindCorpusReuse, and replaces the previous reuse result with the
// clusters, their occurrences, the aligned pairs behind them and the
// boilerplate left out (tables reuse_clusters, reuse_occurrences,
// reuse_pairs, reuse_boilerplate; docs/schema.md).
#ifndef ECHOTRACE_ANALYZE_REUSE_STAGE_H_
#define ECHOTRACE_ANALYZE_REUSE_STAGE_H_

#include "echotrace/analyze.h"
#include "echotrace/store.h"

namespace echotrace {

// Runs the stage as one `reuse` run. InvalidArgument for bad reuse options
// (out of range, a source on both sides, a named source no document has);
// store errors otherwise. On error the previous result is left intact and
// the run is recorded as failed.
Status RunReuseStage(Store* store, const AnalyzeOptions& options, StageSummary* summary);

}  // namespace echotrace

#endif  // ECHOTRACE_ANALYZE_REUSE_STAGE_H_
