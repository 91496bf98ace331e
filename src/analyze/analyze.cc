// Analyze: runs the chosen detectors in order (include/echotrace/analyze.h).
#include "echotrace/analyze.h"

#include <algorithm>

#include "analyze/neardup_stage.h"
#include "analyze/reuse_stage.h"
#include "coord/coord_stage.h"
#include "util/json.h"

namespace echotrace {

namespace {

// Detectors that are planned but not in this build: named so that a user
// who asks for one learns it is not there yet rather than that it is a typo.
const std::vector<std::string>& PlannedDetectors() {
  static const std::vector<std::string> kPlanned = {"narratives"};
  return kPlanned;
}

}  // namespace

const std::vector<std::string>& AvailableDetectors() {
  static const std::vector<std::string> kAvailable = {"neardup", "reuse", "coordination"};
  return kAvailable;
}

std::string AnalyzeSummary::ToJson() const {
  JsonWriter w;
  w.BeginObject().Key("stages").BeginArray();
  for (const StageSummary& s : stages) {
    w.BeginObject().Key("detector").String(s.detector).Key("run_id").Int(s.run_id);
    w.Key("seconds").Double(s.seconds).Key("figures");
    if (s.figures_json.empty()) {
      w.Null();
    } else {
      w.Raw(s.figures_json);
    }
    w.EndObject();
  }
  w.EndArray().EndObject();
  return w.Take();
}

Status Analyze(Store* store, const AnalyzeOptions& options, AnalyzeSummary* summary) {
  *summary = AnalyzeSummary();
  std::vector<std::string> chosen = options.only.empty() ? AvailableDetectors() : options.only;
  const auto& available = AvailableDetectors();
  for (const std::string& d : chosen) {
    if (std::find(available.begin(), available.end(), d) != available.end()) continue;
    const auto& planned = PlannedDetectors();
    if (std::find(planned.begin(), planned.end(), d) != planned.end()) {
      return Status::InvalidArgument("--only " + d + ": this detector is not in this version of "
                                     "echotrace yet; available: neardup, reuse, coordination");
    }
    return Status::InvalidArgument("--only " + d + ": unknown detector; available: neardup, reuse, coordination");
  }
  for (const std::string& d : chosen) {
    StageSummary stage;
    if (d == "neardup") ET_RETURN_IF_ERROR(RunNearDupStage(store, options, &stage));
    if (d == "reuse") ET_RETURN_IF_ERROR(RunReuseStage(store, options, &stage));
    if (d == "coordination") {
      CoordOptions co;
      co.windows = options.coord_windows;
      co.min_weight = options.coord_min_weight;
      co.max_posts_in_window = options.coord_burst_cap;
      co.evidence_per_edge = options.coord_evidence_per_edge;
      co.resolution = options.coord_resolution;
      co.seed = options.coord_seed;
      co.passage_containment = options.coord_passage_containment;
      for (const std::string& name : options.coord_behaviours) {
        bool found = false;
        for (int b = 0; b < coord::kNumBehaviours; ++b) {
          if (name == coord::BehaviourName(static_cast<coord::Behaviour>(b))) {
            co.behaviours.push_back(static_cast<coord::Behaviour>(b));
            found = true;
          }
        }
        if (!found) {
          return Status::InvalidArgument(
              "--behaviours " + name +
              ": unknown behaviour; known: co-post, co-similar, co-link, co-reply, co-repost, "
              "co-hashtag");
        }
      }
      co.threads = options.threads;
      co.progress = options.progress;
      ET_RETURN_IF_ERROR(RunCoordinationStage(store, co, &stage));
    }
    summary->stages.push_back(std::move(stage));
  }
  return Status::OK();
}

}  // namespace echotrace
