// Analysis: the detectors that read the corpus from the store and write their
// results back into it, each as a run (the `runs` table) with its own result
// tables (docs/schema.md).
//
// Available detectors, in their default order: "neardup" (near-duplicate
// clusters, MinHash/LSH with exact verification), "reuse" (passages
// shared between documents: rare n-gram anchors, banded local alignment,
// clusters of occurrences with their likely origin) and "coordination"
// (accounts that co-post, co-link, co-reply, co-repost, co-hashtag or post
// near-duplicates within time windows; Leiden communities). Coordination's
// co-similar behaviour reads the near-duplicate result, so neardup runs
// first. docs/algorithms.md. Narratives are planned and refused by name.
#ifndef ECHOTRACE_ANALYZE_H_
#define ECHOTRACE_ANALYZE_H_

#include <atomic>
#include <string>
#include <vector>

#include "echotrace/status.h"
#include "echotrace/store.h"

namespace echotrace {

struct AnalyzeOptions {
  // Detectors to run, in this order; empty runs every available one.
  std::vector<std::string> only;
  // Near-duplicates: Jaccard threshold in (0, 1] over word 3-shingles (token
  // sets for posts under 11 words).
  double neardup_threshold = 0.8;
  // Near-duplicates: pairs of an LSH bucket are tried only with its first
  // max_bucket members (>= 2; docs/algorithms.md, "Near-duplicates").
  uint32_t neardup_max_bucket = 256;
  // Near-duplicates: recluster every document even when the latest run can
  // be extended. Without it, a run whose parameters equal the latest ok
  // run's processes only the documents added since (the result is the
  // same: docs/algorithms.md, "Incremental runs").
  bool neardup_full = false;
  // Passage reuse: recompute everything even when the latest run can be
  // extended. Without it, a run whose parameters equal the latest ok full
  // run's processes only the documents added since (the same result:
  // docs/algorithms.md, "Incremental reuse").
  bool reuse_full = false;
  // Passage reuse (docs/algorithms.md, "Passage reuse across a corpus").
  // Shortest passage reported, in tokens (>= 1).
  int reuse_min_tokens = 10;
  // Anchor word n-gram order (1..32).
  int reuse_ngram = 5;
  // An n-gram in more documents than this does not anchor (>= 2).
  int reuse_max_df = 10000;
  // Distinct anchor n-grams a document pair must share to be aligned (>= 1).
  int reuse_min_anchors = 2;
  // Corpus A vs B: when either list is set, only passages shared between a
  // document of a source in A and one of a source in B are found; an empty
  // list then means every other source. A source may not be on both sides;
  // a named source no document has is an error.
  std::vector<std::string> reuse_sources_a;
  std::vector<std::string> reuse_sources_b;
  // Coordination (docs/schema.md, "Coordination"): time windows in seconds
  // (each edge records the tightest it holds in; windows below the data's
  // time resolution are widened with a warning) and the minimum number of
  // co-actions for an edge.
  std::vector<int64_t> coord_windows = {60, 3600};
  uint32_t coord_min_weight = 2;
  // Behaviours by name (co-post, co-similar, co-link, co-reply, co-repost,
  // co-hashtag); empty = all six.
  std::vector<std::string> coord_behaviours;
  // Burst cap: a document with more than this many documents (any account)
  // on its key within the window is a broadcast, not a co-action; 0 = no cap.
  uint32_t coord_burst_cap = 100;
  // Post pairs kept as evidence per edge.
  uint32_t coord_evidence_per_edge = 20;
  // Leiden resolution (> 0; higher gives more, smaller groups) and seed.
  double coord_resolution = 1.0;
  uint64_t coord_seed = 42;
  // co-similar also links posts whose reused passage spans at least this
  // share of their text (in [0, 1]; 0 = near-duplicate clusters only).
  double coord_passage_containment = 0.5;
  int threads = 0;  // 0 = number of cores
  // Where passage reuse writes its scratch files (its n-gram index and pair
  // links, which grow with the corpus; removed when it ends). Empty: the
  // directory of the store.
  std::string scratch_dir;
  bool progress = true;
};

struct StageSummary {
  std::string detector;
  int64_t run_id = 0;
  double seconds = 0;
  std::string figures_json;  // the detector's own figures, one JSON object
};

struct AnalyzeSummary {
  std::vector<StageSummary> stages;
  // {"stages":[{"detector":..,"run_id":..,"seconds":..,"figures":{..}}]}
  std::string ToJson() const;
};

// The detectors this build can run.
const std::vector<std::string>& AvailableDetectors();

// Runs the chosen detectors over every document in `store`. Each detector's
// results replace that detector's earlier results in one transaction, so an
// interrupted analysis leaves the previous results intact and a rerun
// recomputes. InvalidArgument for an unknown detector or a bad parameter;
// errors of the store otherwise.
Status Analyze(Store* store, const AnalyzeOptions& options, AnalyzeSummary* summary);

}  // namespace echotrace

#endif  // ECHOTRACE_ANALYZE_H_
