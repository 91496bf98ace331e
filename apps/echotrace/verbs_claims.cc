// Claim search and fact-checked claim matching verbs (issue #4).
#include "verbs.h"

namespace echotrace::cli {

void AddClaimVerbs(CLI::App& /*app*/, std::vector<Verb>& /*verbs*/,
                   const std::atomic<bool>* /*cancel*/) {}

}  // namespace echotrace::cli
