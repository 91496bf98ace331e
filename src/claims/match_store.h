// `match` over a store: the posts to match read from the store (with the
// filters of search), and the matches written back into it (table
// claim_matches, docs/schema.md), so that later views can show which posts
// repeat which fact-checked claims.
#ifndef ECHOTRACE_CLAIMS_MATCH_STORE_H_
#define ECHOTRACE_CLAIMS_MATCH_STORE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "claims/records.h"
#include "claims/search.h"
#include "echotrace/status.h"
#include "echotrace/store.h"

namespace echotrace::claims {

// A stored post as a match query: id = ext_id, text, title, day from time.
struct StorePost {
  int64_t doc_id = 0;
  MatchRecord record;
};

// Calls `fn` with the stored documents that pass `filters`, in docs.id
// order, `batch` at a time (the last batch may be shorter). Documents
// without text are skipped. Stops at the first error `fn` returns.
Status ForEachStorePost(Store* store, const SearchFilters& filters, size_t batch,
                        const std::function<Status(std::vector<StorePost>&)>& fn);

struct StoredMatch {
  int64_t doc_id = 0;
  int rank = 0;  // 1 = best
  std::string claim_id, claim_text;
  double probability = 0;  // calibrated (matcher.h MatchCalibration)
  double score = 0;        // the ranker's score
};

// Writes one match run: creates claim_matches when absent, then in one
// transaction replaces the rows of earlier match runs with `matches`.
// `run_id` comes from Store::BeginRun("match", ...).
Status WriteMatches(Store* store, int64_t run_id, const std::vector<StoredMatch>& matches);

}  // namespace echotrace::claims

#endif  // ECHOTRACE_CLAIMS_MATCH_STORE_H_
