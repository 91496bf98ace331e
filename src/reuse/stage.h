// The passage-reuse detector as an analysis stage. A full run reads every
// document (text, time, source, author) from the store, finds reused
// passages with reuse::FindCorpusReuse, and replaces the previous reuse
// result with the clusters, their occurrences, the aligned pairs behind
// them, the boilerplate left out and the n-gram index (tables reuse_*;
// docs/schema.md). When the latest result can be extended, a run reads only
// the documents added since and extends it (reuse::ExtendCorpusReuse), with
// the same result as a full run.
#ifndef ECHOTRACE_REUSE_STAGE_H_
#define ECHOTRACE_REUSE_STAGE_H_

#include <memory>

#include "analyze/detector.h"
#include "echotrace/detector_params.h"

namespace echotrace {

// The detector's name (the kind of its full runs, its name for `analyze
// --only`) and the kind of its incremental runs, whose rows carry the id of
// the full run they extend (reuse/results.h reads the latest full run).
inline constexpr char kReuseDetector[] = "reuse";
inline constexpr char kReuseIncrementKind[] = "reuse-increment";

// The detector for analyze's registry (analyze.cc): runs as one `reuse`
// run (full) or `reuse-increment` run. Its Plan reports InvalidArgument for
// bad parameters (out of range); its Execute for a source on both sides or
// a named source no document has. On error the previous result is left
// intact and the run is recorded as failed.
std::unique_ptr<Detector> MakeReuseDetector(const ReuseParams& params);

}  // namespace echotrace

#endif  // ECHOTRACE_REUSE_STAGE_H_
