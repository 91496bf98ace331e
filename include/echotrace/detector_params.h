// The parameters of each detector, with their one set of defaults: the
// command line maps its flags onto these structs and never restates a
// default. Each struct belongs to one detector (src/<detector>/stage.h); a
// run records the parameters that decide its result in runs.params
// (docs/schema.md), and a later run extends it only when they are equal.
// StageSummary is what a detector reports of one run. Plain types only, so
// that a detector's stage can use them without depending on analyze.h.
#ifndef ECHOTRACE_DETECTOR_PARAMS_H_
#define ECHOTRACE_DETECTOR_PARAMS_H_

#include <cstdint>
#include <string>
#include <vector>

namespace echotrace {

// Near-duplicates (docs/algorithms.md, "Near-duplicates").
struct NearDupParams {
  // Jaccard threshold in (0, 1] over word 3-shingles (token sets for posts
  // under 11 words).
  double threshold = 0.8;
  // Pairs of an LSH bucket are tried only with its first max_bucket members
  // (>= 2).
  uint32_t max_bucket = 256;
  // Recluster every document even when the latest run can be extended.
  // Without it, a run whose parameters equal the latest ok run's processes
  // only the documents added since (the result is the same:
  // docs/algorithms.md, "Incremental runs").
  bool full = false;
};

// Passage reuse (docs/algorithms.md, "Passage reuse across a corpus").
struct ReuseParams {
  // Recompute everything even when the latest run can be extended. Without
  // it, a run whose parameters equal the latest ok full run's processes only
  // the documents added since (the same result: docs/algorithms.md,
  // "Incremental reuse").
  bool full = false;
  // Shortest passage reported, in tokens (>= 1).
  int min_tokens = 10;
  // Anchor word n-gram order (1..32).
  int ngram = 5;
  // An n-gram in more documents than this does not anchor (>= 2).
  int max_df = 10000;
  // Distinct anchor n-grams a document pair must share to be aligned (>= 1).
  int min_anchors = 2;
  // Corpus A vs B: when either list is set, only passages shared between a
  // document of a source in A and one of a source in B are found; an empty
  // list then means every other source. A source may not be on both sides;
  // a named source no document has is an error.
  std::vector<std::string> sources_a;
  std::vector<std::string> sources_b;
};

// Coordination (docs/schema.md, "Coordination"; src/coord/coord_stage.h).
struct CoordParams {
  // Time windows in seconds (each edge records the tightest it holds in;
  // windows below the data's time resolution are widened with a warning).
  std::vector<int64_t> windows = {60, 3600};
  // Minimum number of co-actions for an edge.
  uint32_t min_weight = 2;
  // Behaviours by name (co-post, co-similar, co-link, co-reply, co-repost,
  // co-hashtag); empty = all six.
  std::vector<std::string> behaviours;
  // Burst cap: a document with more than this many documents (any account)
  // on its key within the window is a broadcast, not a co-action; 0 = no cap.
  uint32_t burst_cap = 100;
  // Post pairs kept as evidence per edge.
  uint32_t evidence_per_edge = 20;
  // Leiden resolution (> 0; higher gives more, smaller groups) and seed.
  double resolution = 1.0;
  uint64_t seed = 42;
  // co-similar also links posts whose reused passage spans at least this
  // share of their text (in [0, 1]; 0 = near-duplicate clusters only).
  double passage_containment = 0.5;
  // Shared items listed per group summary.
  uint32_t top_keys = 10;
};

// Talking points (docs/algorithms.md, "Talking points"; src/narratives).
// Run only when asked for (analyze --only narratives).
struct NarrativesParams {
  // Nearest neighbours per unit looked up by words and by uSIF (1..1000).
  uint32_t neighbours = 10;
  // An edge between two units is kept when its score (narratives.h,
  // DefaultEdgeScore) reaches this, in [0, 1].
  double threshold = 0.45;
  // ... and it is among the best max_edges kept edges of one of its units
  // (0: no limit). 1, each unit's best link only, measured best
  // (BENCHMARKS.md, "Talking points").
  uint32_t max_edges = 1;
  // An edge scoring at least this is kept whatever max_edges says (> 1:
  // never), so that large talking points hold together.
  double keep_above = 0.60;
  // "leiden" (communities at `resolution`) or "components".
  std::string method = "leiden";
  // Leiden's modularity resolution (> 0): higher splits into more, smaller
  // talking points.
  double resolution = 1.0;
  // Units in a talking point (>= 2); smaller groups are outliers.
  uint32_t min_size = 2;
  uint64_t seed = 42;
  // Documents longer than this (bytes) are split into passages.
  uint32_t max_unit_bytes = 400;
  // Near-duplicate copies (the latest neardup result, when there is one)
  // become one unit weighted by their number.
  bool collapse_copies = true;
};

// One detector's run, as analyze reports it.
struct StageSummary {
  std::string detector;
  int64_t run_id = 0;
  double seconds = 0;
  std::string figures_json;  // the detector's own figures, one JSON object
  std::string headline;      // one human line: what was found ("" if failed)
};

}  // namespace echotrace

#endif  // ECHOTRACE_DETECTOR_PARAMS_H_
