// Claim search over a store: "who else says this?"
//
// Recall is the store's BM25 over FTS5 (as Store::Search: text and title, terms
// OR-ed), `recall` candidates deep, with the query's terms taken rarest first
// up to a budget of 20,000 postings (search.cc, BoundRecallQuery): very
// common words cost FTS5 the most and BM25 the least. The candidates are then re-ranked with
// the similarity engine (include/echotrace/similarity.h) fitted on the
// candidates themselves, so idf reflects what distinguishes them:
//   score = 0.4 · bm25 / max bm25 + 0.6 · similarity,
//   similarity = 0.35 words + 0.35 chars + 0.1 names + 0.1 numbers
//                + 0.1 shared tag/handle/host   (no LSA: 100 texts are too
//                few to learn a space from).
// The weights are set by hand, not fitted (no labelled search data); the
// matcher (matcher.h) is the fitted model for claim collections. Each hit
// carries the span of its text that holds the most query evidence, and the
// signals behind its score.
#ifndef ECHOTRACE_CLAIMS_SEARCH_H_
#define ECHOTRACE_CLAIMS_SEARCH_H_

#include <cstdint>
#include <string>
#include <vector>

#include "echotrace/similarity.h"
#include "echotrace/status.h"
#include "echotrace/store.h"

namespace echotrace::claims {

struct ClaimSearchOptions {
  int k = 10;        // 1..10000
  int recall = 100;  // BM25 candidates re-ranked, >= k, <= 10000
};

struct ClaimSearchHit {
  SearchHit hit;    // as Store::Search gives it; score = the final score
  double bm25 = 0;  // the FTS5 BM25 score
  SimilaritySignals signals;
  // The matching span: byte offsets [start, end) into the document's text of
  // the window (at most 40 words) holding the most query evidence; the
  // snippet is that window with matched words in [ and ].
  uint32_t span_start = 0, span_end = 0;
};

// Errors: those of Store::Search (InvalidArgument for a query without
// searchable words or k out of range) and of reading documents.
Result<std::vector<ClaimSearchHit>> SearchClaims(Store* store, const std::string& query,
                                                 const ClaimSearchOptions& options);

// {"query":..,"hits":[{rank, doc_id, ext_id, source, author, time, title,
// score, bm25, similarity, span:[start,end], snippet[, evidence]}]}
std::string ClaimSearchToJson(const std::string& query, const std::vector<ClaimSearchHit>& hits,
                              bool explain);

}  // namespace echotrace::claims

#endif  // ECHOTRACE_CLAIMS_SEARCH_H_
