// Checks an ingested demo corpus against its ground truth: every planted
// span must be found in the store at its stated byte offsets. This tests the
// whole path (generator, readers, field mapping, store) end to end, and is
// the first line of the demo's planted-vs-found scorecard.
#ifndef ECHOTRACE_DEMO_VERIFY_H_
#define ECHOTRACE_DEMO_VERIFY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "echotrace/demo.h"
#include "echotrace/store.h"

namespace echotrace {

struct DemoIngestCheck {
  uint64_t spans = 0;           // planted spans (reuse occurrences + mentions)
  uint64_t spans_at_offset = 0; // found with the exact text at [start, end)
  uint64_t docs_missing = 0;    // span documents not in the store
  std::vector<std::string> examples;  // a few mismatches, for the message
};

struct DemoNearDupScore {
  uint64_t groups = 0;            // planted near-duplicate groups
  uint64_t groups_recovered = 0;  // all of whose documents share one found cluster
  uint64_t pairs = 0;             // document pairs inside planted groups
  uint64_t pairs_found = 0;       // of those, in the same found cluster
  uint64_t found_clusters = 0;    // clusters the detector reported (planted or not)
};

// Scores the latest near-duplicate result in `store` against the planted
// groups. NotFound when no near-duplicate analysis has run.
Result<DemoNearDupScore> ScoreNearDup(Store* store, const GroundTruth& truth);

// Looks up every span's document by ext_id (article ids are stored relative
// to the corpus folder) and compares bytes. Errors come only from the store.
Result<DemoIngestCheck> CheckIngestedDemo(Store* store, const GroundTruth& truth);

}  // namespace echotrace

#endif  // ECHOTRACE_DEMO_VERIFY_H_
