// The talking-point detector as an analysis stage: splits the stored
// documents into units, collapses near-duplicate copies (the latest neardup
// result, when there is one) into one weighted unit, clusters the units
// (narratives::FindNarratives) and writes the talking points and their
// units (tables narratives and narrative_units, docs/schema.md) in one
// transaction, replacing the previous result. Always a full run (incremental
// runs are not built yet). Read through narratives/results.h.
#ifndef ECHOTRACE_NARRATIVES_STAGE_H_
#define ECHOTRACE_NARRATIVES_STAGE_H_

#include <memory>

#include "analyze/detector.h"
#include "echotrace/detector_params.h"

namespace echotrace {

// The detector's name: its runs' kind and its name for `analyze --only`.
inline constexpr char kNarrativesDetector[] = "narratives";

// The detector for analyze's registry. Bad parameters are reported by its
// Plan (InvalidArgument naming the flag).
std::unique_ptr<Detector> MakeNarrativesDetector(const NarrativesParams& params);

}  // namespace echotrace

#endif  // ECHOTRACE_NARRATIVES_STAGE_H_
