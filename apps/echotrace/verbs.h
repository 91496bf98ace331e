// Verbs that live in their own file register themselves here, each with its
// own option storage, so that a new capability adds a file rather than
// editing main.cc. main.cc runs the verb whose subcommand was given.
#ifndef ECHOTRACE_APPS_VERBS_H_
#define ECHOTRACE_APPS_VERBS_H_

#include <CLI/CLI.hpp>
#include <atomic>
#include <functional>
#include <vector>

#include "echotrace/status.h"
#include "echotrace/web.h"

namespace echotrace::cli {

struct Verb {
  CLI::App* command = nullptr;
  std::function<Status()> run;
  bool stops_on_signal = false;  // install the graceful Ctrl-C handler
};

// Each takes the parent app, appends its verbs, and may keep `cancel` (set
// by Ctrl-C) for long work. Option storage must outlive parsing: keep it in
// a shared_ptr captured by `run`.
void AddClaimVerbs(CLI::App& app, std::vector<Verb>& verbs, const std::atomic<bool>* cancel);
void AddWebVerbs(CLI::App& app, std::vector<Verb>& verbs, const std::atomic<bool>* cancel);
void AddCompareVerbs(CLI::App& app, std::vector<Verb>& verbs, const std::atomic<bool>* cancel);
void AddStoreVerbs(CLI::App& app, std::vector<Verb>& verbs);

// The front end embedded in this binary, or NotFound (exit code 1) saying
// that this build has none (configured with -DECHOTRACE_BUILD_WEB=OFF) and
// how to get one. Used by report, serve and demo.
Result<const WebAssets*> FrontEnd();

}  // namespace echotrace::cli

#endif  // ECHOTRACE_APPS_VERBS_H_
