// The near-duplicate detector as an analysis stage: reads every document's
// text and normalised-text hash from the store, clusters them with
// neardup::FindNearDuplicates, and writes the clusters and the verified
// pairs that justify them (tables neardup_members and neardup_pairs,
// docs/schema.md).
#ifndef ECHOTRACE_ANALYZE_NEARDUP_STAGE_H_
#define ECHOTRACE_ANALYZE_NEARDUP_STAGE_H_

#include "echotrace/analyze.h"
#include "echotrace/store.h"

namespace echotrace {

Status RunNearDupStage(Store* store, const AnalyzeOptions& options, StageSummary* summary);

}  // namespace echotrace

#endif  // ECHOTRACE_ANALYZE_NEARDUP_STAGE_H_
