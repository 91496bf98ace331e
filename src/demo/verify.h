// Checks an ingested demo corpus against its ground truth: every planted
// span must be found in the store at its stated byte offsets. This tests the
// whole path (generator, readers, field mapping, store) end to end, and is
// the first line of the demo's planted-vs-found scorecard.
#ifndef ECHOTRACE_DEMO_VERIFY_H_
#define ECHOTRACE_DEMO_VERIFY_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "echotrace/demo.h"
#include "echotrace/store.h"

namespace echotrace {

struct DemoIngestCheck {
  uint64_t spans = 0;                 // planted spans (reuse occurrences + mentions)
  uint64_t spans_at_offset = 0;       // found with the exact text at [start, end)
  uint64_t docs_missing = 0;          // span documents not in the store
  std::vector<std::string> examples;  // a few mismatches, for the message
};

struct DemoNearDupScore {
  uint64_t groups = 0;            // planted near-duplicate groups
  uint64_t groups_recovered = 0;  // all of whose documents share one found cluster
  uint64_t pairs = 0;             // document pairs inside planted groups
  uint64_t pairs_found = 0;       // of those, in the same found cluster
  uint64_t found_clusters = 0;    // clusters the detector reported (planted or not)
  // The generator's heavier edits take some copies below the detector's
  // threshold: such a copy is not a near-duplicate by the definition the
  // detector is asked to apply. These figures count only what is within
  // it, measured exactly with the detector's own sets (neardup/shingle.h):
  double threshold = 0;       // of the latest neardup run
  uint64_t close_groups = 0;  // groups connected by pairs with similarity >= threshold
  uint64_t close_groups_recovered = 0;
  uint64_t close_pairs = 0;        // planted pairs with similarity >= threshold
  uint64_t close_pairs_found = 0;  // of those, in the same found cluster
};

struct DemoReuseScore {
  uint64_t passages = 0;            // planted reused passages
  uint64_t passages_recovered = 0;  // every occurrence recovered
  uint64_t occurrences = 0;         // planted occurrences (origins included)
  uint64_t occurrences_recovered = 0;
  uint64_t found_clusters = 0;  // clusters the detector reported
  // By passage kind ("quote", "syndication", "edited"): occurrences planted
  // and recovered.
  std::vector<std::pair<std::string, std::pair<uint64_t, uint64_t>>> by_kind;
};

// Scores the latest reuse result against the planted passages. A planted
// occurrence is recovered when a found occurrence in its document covers
// at least half of its bytes and belongs to a cluster that also covers
// half of the origin's span (the origin itself: any such cluster).
// NotFound when no reuse analysis has run.
Result<DemoReuseScore> ScoreReuse(Store* store, const GroundTruth& truth);

// Scores the latest near-duplicate result in `store` against the planted
// groups. NotFound when no near-duplicate analysis has run.
Result<DemoNearDupScore> ScoreNearDup(Store* store, const GroundTruth& truth);

struct DemoCoordScore {
  uint64_t groups = 0;             // planted coordinated groups
  uint64_t groups_recovered = 0;   // found as exactly one community, nothing added
  uint64_t accounts = 0;           // accounts in planted groups
  uint64_t accounts_together = 0;  // in the community holding most of their group
  uint64_t found_groups = 0;       // communities reported (planted or not)
};

// Scores the latest coordination result's communities against the planted
// groups. NotFound when no coordination analysis has run.
Result<DemoCoordScore> ScoreCoordination(Store* store, const GroundTruth& truth);

struct DemoNarrativeScore {
  uint64_t talking_points = 0;  // planted
  uint64_t mentions = 0;        // planted mentions
  uint64_t found = 0;           // talking points found holding a mention
  uint64_t outliers = 0;        // mentions whose unit is an outlier (or missing)
  // B-cubed over the mentions (each taking the talking point of the unit
  // overlapping it most; an outlier is its own cluster), gold = planted.
  double precision = 0, recall = 0, f1 = 0;
};

// Scores the latest talking-point result against the planted talking
// points. NotFound when no narratives analysis has run.
Result<DemoNarrativeScore> ScoreNarratives(Store* store, const GroundTruth& truth);

// Looks up every span's document by ext_id (article ids are stored relative
// to the corpus folder) and compares bytes. Errors come only from the store.
Result<DemoIngestCheck> CheckIngestedDemo(Store* store, const GroundTruth& truth);

}  // namespace echotrace

#endif  // ECHOTRACE_DEMO_VERIFY_H_
