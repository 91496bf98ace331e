// The near-duplicate detector as an analysis stage: clusters the stored
// documents (neardup::FindNearDuplicates) and writes the clusters, the
// verified pairs that justify them and the LSH index (tables
// neardup_members, neardup_pairs and neardup_index, docs/schema.md). When
// the latest ok run had the same parameters and left an index, only the
// documents added since are read and clustered against it
// (neardup::ExtendNearDuplicates), with the same result; options.neardup_full
// forces a full run. The run's summary says which ("mode") and why.
#ifndef ECHOTRACE_ANALYZE_NEARDUP_STAGE_H_
#define ECHOTRACE_ANALYZE_NEARDUP_STAGE_H_

#include "echotrace/analyze.h"
#include "echotrace/store.h"

namespace echotrace {

Status RunNearDupStage(Store* store, const AnalyzeOptions& options, StageSummary* summary);

}  // namespace echotrace

#endif  // ECHOTRACE_ANALYZE_NEARDUP_STAGE_H_
