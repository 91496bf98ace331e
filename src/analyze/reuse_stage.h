// The passage-reuse detector as an analysis stage. A full run reads every
// document (text, time, source, author) from the store, finds reused
// passages with reuse::FindCorpusReuse, and replaces the previous reuse
// result with the clusters, their occurrences, the aligned pairs behind
// them, the boilerplate left out and the n-gram index (tables reuse_*;
// docs/schema.md). When the latest result can be extended, a run reads only
// the documents added since and extends it (reuse::ExtendCorpusReuse), with
// the same result as a full run.
#ifndef ECHOTRACE_ANALYZE_REUSE_STAGE_H_
#define ECHOTRACE_ANALYZE_REUSE_STAGE_H_

#include "echotrace/analyze.h"
#include "echotrace/store.h"

namespace echotrace {

// Runs the stage as one `reuse` run (full) or `reuse-increment` run.
// InvalidArgument for bad reuse options (out of range, a source on both
// sides, a named source no document has); store errors otherwise. On error
// the previous result is left intact and the run is recorded as failed.
Status RunReuseStage(Store* store, const AnalyzeOptions& options, StageSummary* summary);

}  // namespace echotrace

#endif  // ECHOTRACE_ANALYZE_REUSE_STAGE_H_
