// Analyze: orders and runs the registered detectors
// (include/echotrace/analyze.h). It knows nothing of what a detector does:
// each is one line of the registry below (its name, the detectors whose
// results it reads, and how to make it from the options), and the run
// lifecycle is RunDetector's (detector.h).
#include "echotrace/analyze.h"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <memory>

#include "analyze/detector.h"
#include "coord/coord_stage.h"
#include "narratives/stage.h"
#include "neardup/stage.h"
#include "reuse/stage.h"
#include "util/json.h"

namespace echotrace {

namespace {

struct Registration {
  const char* name;
  // Detectors whose results this one reads: when both are chosen, those
  // run first.
  std::vector<std::string> inputs;
  std::function<std::unique_ptr<Detector>(const AnalyzeOptions&)> make;
  // Run by a plain `analyze` (no --only); otherwise only when named.
  bool by_default = true;
};

// The registry, in the default order. Adding a detector adds one line here
// (docs/adding-a-detector.md).
const std::vector<Registration>& Registry() {
  static const std::vector<Registration> kRegistry = {
      {kNearDupDetector,
       {},
       [](const AnalyzeOptions& o) { return MakeNearDupDetector(o.neardup); }},
      {kReuseDetector, {}, [](const AnalyzeOptions& o) { return MakeReuseDetector(o.reuse); }},
      {kCoordinationDetector,
       {kNearDupDetector, kReuseDetector},
       [](const AnalyzeOptions& o) { return MakeCoordinationDetector(o.coordination); }},
      // Talking points read the near-duplicate clusters (copies collapse to
      // one unit). Opt-in while they are new: a plain analyze keeps its
      // outputs and its cost.
      {kNarrativesDetector,
       {kNearDupDetector},
       [](const AnalyzeOptions& o) { return MakeNarrativesDetector(o.narratives); },
       false},
  };
  return kRegistry;
}

// Detectors that are planned but not in this build: named so that a user
// who asks for one learns it is not there yet rather than that it is a typo.
const std::vector<std::string>& PlannedDetectors() {
  static const std::vector<std::string> kPlanned = {};
  return kPlanned;
}

const Registration* Find(const std::string& name) {
  for (const Registration& r : Registry()) {
    if (name == r.name) return &r;
  }
  return nullptr;
}

std::string AvailableList() {
  std::string out;
  for (const std::string& d : AvailableDetectors()) out += (out.empty() ? "" : ", ") + d;
  return out;
}

// The chosen detectors in the order they run: as chosen (without repeats),
// each moved after the chosen detectors it reads. InvalidArgument for a
// name that is not registered.
Result<std::vector<const Registration*>> Order(const std::vector<std::string>& chosen) {
  std::vector<const Registration*> wanted;
  for (const std::string& d : chosen) {
    const Registration* r = Find(d);
    if (r == nullptr) {
      const auto& planned = PlannedDetectors();
      if (std::find(planned.begin(), planned.end(), d) != planned.end()) {
        return Status::InvalidArgument("--only " + d +
                                       ": this detector is not in this version of echotrace "
                                       "yet; available: " +
                                       AvailableList());
      }
      return Status::InvalidArgument("--only " + d +
                                     ": unknown detector; available: " + AvailableList());
    }
    if (std::find(wanted.begin(), wanted.end(), r) == wanted.end()) wanted.push_back(r);
  }
  std::vector<const Registration*> order;
  std::function<void(const Registration*)> place = [&](const Registration* r) {
    if (std::find(order.begin(), order.end(), r) != order.end()) return;
    for (const std::string& in : r->inputs) {
      const Registration* dep = Find(in);
      if (std::find(wanted.begin(), wanted.end(), dep) != wanted.end()) place(dep);
    }
    order.push_back(r);
  };
  for (const Registration* r : wanted) place(r);
  return order;
}

}  // namespace

const std::vector<std::string>& AvailableDetectors() {
  static const std::vector<std::string> kAvailable = [] {
    std::vector<std::string> names;
    for (const Registration& r : Registry()) names.emplace_back(r.name);
    return names;
  }();
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
    // The one human line of ToText, for programs that show it (a notebook).
    w.Key("headline").String(s.headline);
    w.EndObject();
  }
  w.EndArray().EndObject();
  return w.Take();
}

std::string AnalyzeSummary::ToText() const {
  std::string out;
  double total = 0;
  for (const StageSummary& s : stages) {
    char head[96];
    std::snprintf(head, sizeof head, "  %-13s %7.1f s  run %-5lld ", s.detector.c_str(), s.seconds,
                  static_cast<long long>(s.run_id));
    out += head + s.headline + "\n";
    total += s.seconds;
  }
  char tail[64];
  std::snprintf(tail, sizeof tail, "analyze: %zu detector%s in %.1f s\n", stages.size(),
                stages.size() == 1 ? "" : "s", total);
  return tail + out;
}

Status Analyze(Store* store, const AnalyzeOptions& options, AnalyzeSummary* summary) {
  *summary = AnalyzeSummary();
  std::vector<std::string> defaults;
  for (const Registration& r : Registry()) {
    if (r.by_default) defaults.emplace_back(r.name);
  }
  ET_ASSIGN_OR_RETURN(std::vector<const Registration*> order,
                      Order(options.only.empty() ? defaults : options.only));
  DetectorContext ctx;
  ctx.store = store;
  ctx.threads = options.threads;
  ctx.scratch_dir = options.scratch_dir;
  ctx.progress = options.progress;
  ctx.on_progress = options.on_progress;
  ctx.cancel = options.cancel;
  for (const Registration* r : order) {
    std::unique_ptr<Detector> detector = r->make(options);
    StageSummary stage;
    ET_RETURN_IF_ERROR(RunDetector(r->name, *detector, ctx, &stage));
    summary->stages.push_back(std::move(stage));
  }
  return Status::OK();
}

}  // namespace echotrace
