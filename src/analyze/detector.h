// The detector interface: what every analysis detector is to `analyze`, and
// the run lifecycle they share (RunDetector).
//
// A detector reads the store and writes its result back as one run (the
// `runs` table) with its own result tables, which it owns: only its folder
// (src/<detector>/) writes SQL against them, readers included
// (src/<detector>/results.h). A run goes
//
//   Plan     validate the parameters, find the prior run (Store::LatestRun)
//            and decide full or incremental: the kind and params to record;
//   BeginRun the store records the run as running;
//   Execute  compute, then write the result of the run inside one
//            store_internal::Transaction, so that a failed or cancelled run
//            leaves the previous result as it was;
//   EndRun   ok with the figures, failed, or interrupted (cancelled).
//
// Adding a detector: docs/adding-a-detector.md.
#ifndef ECHOTRACE_ANALYZE_DETECTOR_H_
#define ECHOTRACE_ANALYZE_DETECTOR_H_

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "echotrace/detector_params.h"
#include "echotrace/progress.h"
#include "echotrace/status.h"
#include "echotrace/store.h"

namespace echotrace {

// What a detector is given besides its own parameters. Not owned.
struct DetectorContext {
  Store* store = nullptr;
  int threads = 0;  // 0 = number of cores
  // Where a detector writes scratch files; empty: the directory of the store.
  std::string scratch_dir;
  bool progress = true;  // progress lines on stderr (or to on_progress)
  ProgressSink on_progress;
  const std::atomic<bool>* cancel = nullptr;

  // A progress line (printf format, no newline) when progress is on: to
  // on_progress when set, else to stderr. Detectors say everything they
  // report along the way through this.
  void Say(const char* format, ...) const __attribute__((format(printf, 2, 3)));

  // Cancelled ("analysis interrupted") once *cancel is set. Detectors check
  // it between their steps and just before they commit.
  Status CheckCancelled() const;
};

// What Plan decided: the run to record.
struct RunPlan {
  std::string kind;    // runs.kind, e.g. "reuse" or "reuse-increment"
  std::string params;  // runs.params: a JSON object of everything deciding the result
  bool incremental = false;
  std::string full_reason;  // why not incremental ("no earlier run", "--full", ...)
};

class Detector {
 public:
  virtual ~Detector() = default;

  // Validates the parameters and looks at the prior run. InvalidArgument
  // (naming the flag) for bad parameters; nothing is written.
  virtual Result<RunPlan> Plan(const DetectorContext& ctx) = 0;

  // Computes and writes the result as run `run_id` in one transaction
  // (checking ctx.CheckCancelled() before committing). Returns the run's
  // figures as one JSON object. On error nothing of the run is stored.
  virtual Result<std::string> Execute(const DetectorContext& ctx, const RunPlan& plan,
                                      int64_t run_id) = 0;

  // One human line summarising a run from its figures ("1,234 clusters of
  // 5,678 documents").
  virtual std::string Headline(const std::string& figures_json) const = 0;
};

// A table of a detector's result as exports read it (DESIGN.md, "Export
// columns"): declared in the detector's results.h, so that the export
// writes no SQL against the detector's tables.
// Strings rather than literals: a table whose columns depend on the run (the
// coordination edges' weight per window) is built when it is exported.
struct ResultTable {
  enum class Column { kInt, kText, kTime };  // kTime: unix seconds, exported as ISO 8601
  std::string what;                          // its name for `export --what`
  std::string kind;                          // runs.kind of the run the rows come from
  std::vector<std::pair<std::string, Column>> columns;
  std::string sql;  // ?1 = the run id; selects the columns in order
};

// Says "<name>: <what> in <seconds> s" (DetectorContext::Say), timing the
// steps of a run from its construction. `ctx` must outlive it.
class StepTimer {
 public:
  StepTimer(const char* name, const DetectorContext& ctx)
      : name_(name), ctx_(&ctx), last_(std::chrono::steady_clock::now()) {}
  void Lap(const char* what);

 private:
  const char* name_;
  const DetectorContext* ctx_;
  std::chrono::steady_clock::time_point last_;
};

// Runs `detector` as one run named `name`: Plan, BeginRun, Execute, EndRun.
// The run ends "ok" with the figures, "interrupted" when cancelled, "failed"
// on any other error (whose status is returned; the previous result stays).
// Fills *summary (name, run id, seconds, figures, headline).
Status RunDetector(const std::string& name, Detector& detector, const DetectorContext& ctx,
                   StageSummary* summary);

// Formats an integer with thousands separators ("1,234,567") for headlines.
std::string Thousands(int64_t n);

}  // namespace echotrace

#endif  // ECHOTRACE_ANALYZE_DETECTOR_H_
