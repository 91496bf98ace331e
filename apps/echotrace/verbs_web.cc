// Report and local web UI verbs (issue #6).
#include "verbs.h"

namespace echotrace::cli {

void AddWebVerbs(CLI::App& /*app*/, std::vector<Verb>& /*verbs*/,
                 const std::atomic<bool>* /*cancel*/) {}

}  // namespace echotrace::cli
