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
// co-similar behaviour reads the near-duplicate and reuse results, so they
// run first. docs/algorithms.md. Talking points (narratives) run only when
// named in `only`. Each detector lives in its own folder (src/neardup, src/reuse,
// src/coord) behind one interface (src/analyze/detector.h);
// docs/adding-a-detector.md.
#ifndef ECHOTRACE_ANALYZE_H_
#define ECHOTRACE_ANALYZE_H_

#include <atomic>
#include <string>
#include <vector>

#include "echotrace/detector_params.h"
#include "echotrace/progress.h"
#include "echotrace/status.h"
#include "echotrace/store.h"

namespace echotrace {

struct AnalyzeOptions {
  // Detectors to run; empty runs every available one. They run in this
  // order, except that a detector runs after the chosen detectors whose
  // results it reads (coordination after neardup and reuse).
  std::vector<std::string> only;
  // Each detector's parameters, with their defaults (detector_params.h).
  NearDupParams neardup;
  ReuseParams reuse;
  CoordParams coordination;
  NarrativesParams narratives;
  int threads = 0;  // 0 = number of cores
  // Where passage reuse writes its scratch files (its n-gram index and pair
  // links, which grow with the corpus; removed when it ends). Empty: the
  // directory of the store.
  std::string scratch_dir;
  bool progress = true;
  // With progress: the lines go here instead of standard error.
  ProgressSink on_progress;
  // When set (e.g. by a signal handler), the running detector stops at its
  // next check, records its run as interrupted and leaves the previous
  // result intact; Analyze returns Cancelled. Not owned.
  const std::atomic<bool>* cancel = nullptr;
};

struct AnalyzeSummary {
  std::vector<StageSummary> stages;
  // {"stages":[{"detector":..,"run_id":..,"seconds":..,"figures":{..},"headline":..}]}
  std::string ToJson() const;
  // A few lines for a person: one per detector with its headline and time.
  std::string ToText() const;
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
