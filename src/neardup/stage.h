// The near-duplicate detector as an analysis stage: clusters the stored
// documents (neardup::FindNearDuplicates) and writes the clusters, the
// verified pairs that justify them and the LSH index (tables
// neardup_members, neardup_pairs and neardup_index, docs/schema.md). When
// the latest ok run had the same parameters and left an index, only the
// documents added since are read and clustered against it
// (neardup::ExtendNearDuplicates), with the same result; params.full forces
// a full run. The run's summary says which ("mode") and why. The result is
// read through neardup/results.h.
#ifndef ECHOTRACE_NEARDUP_STAGE_H_
#define ECHOTRACE_NEARDUP_STAGE_H_

#include <memory>

#include "analyze/detector.h"
#include "echotrace/detector_params.h"

namespace echotrace {

// The detector's name: its runs' kind and its name for `analyze --only`.
inline constexpr char kNearDupDetector[] = "neardup";

// The detector for analyze's registry (analyze.cc). Bad parameters are
// reported by its Plan (InvalidArgument naming --threshold).
std::unique_ptr<Detector> MakeNearDupDetector(const NearDupParams& params);

}  // namespace echotrace

#endif  // ECHOTRACE_NEARDUP_STAGE_H_
