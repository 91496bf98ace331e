// Claim search over a store: "who else says this?"
//
// The query is read with the search operators of store/fts_query.h
// ("phrase", -word, OR, prefix*; docs/claims.md). Recall is BM25 over FTS5
// (text and title; plain words OR-ed), restricted by the filters (time,
// author, source, language), `recall` candidates deep, with the optional
// words taken rarest first up to a budget of 20,000 postings (search.cc,
// BoundRecallQuery): very common words cost FTS5 the most and BM25 the
// least. The candidates are then re-ranked with the similarity engine
// (include/echotrace/similarity.h) fitted on the candidates themselves, so
// idf reflects what distinguishes them:
//   score = 0.4 · bm25 / max bm25 + 0.6 · similarity,
//   similarity = 0.35 words + 0.35 chars + 0.1 names + 0.1 numbers
//                + 0.1 shared tag/handle/host   (no LSA: 100 texts are too
//                few to learn a space from).
// Hits are ordered by coverage first — the share of the query's distinct
// (stemmed) words that the hit holds — then by score: a hit covering more
// of the query ranks higher, whatever its length (coordination-level
// ranking; a one-word post otherwise wins on character similarity).
// The weights are set by hand, not fitted (no labelled search data); the
// matcher (matcher.h) is the fitted model for claim collections. Each hit
// carries the span of its text that holds the most query evidence, and the
// signals behind its score.
//
// Bounds: only the first kMaxScoredBytes of a document's text are read,
// compared and searched for the span (a 50 MB document costs what a 64 KiB
// one does); BM25 recall still sees the whole text. A deadline or a cancel
// flag stops the work between steps (Cancelled).
#ifndef ECHOTRACE_CLAIMS_SEARCH_H_
#define ECHOTRACE_CLAIMS_SEARCH_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "echotrace/similarity.h"
#include "echotrace/status.h"
#include "echotrace/store.h"

namespace echotrace::claims {

// Bytes of a document's text the re-ranker reads (a prefix cut at a UTF-8
// boundary): 64 KiB hold every post and nearly every article whole (a
// long news article is 10-30 KB), and keep the fit over 100 candidates
// within the serve deadline when many documents are long.
inline constexpr size_t kMaxScoredBytes = size_t{64} * 1024;

// Hits must satisfy every filter that is set.
struct SearchFilters {
  std::optional<int64_t> from, to;   // unix seconds, inclusive; dated documents only
  std::string author, source, lang;  // exact values; empty: any
  bool any() const { return from || to || !author.empty() || !source.empty() || !lang.empty(); }
};

struct ClaimSearchOptions {
  int k = 10;        // 1..10000
  int recall = 100;  // BM25 candidates re-ranked, >= k, <= 10000
  SearchFilters filters;
  // When set, the search gives up with Cancelled once the deadline has
  // passed or *cancel is true (checked between steps: SQL statements,
  // candidate reads, the fit, each comparison and span).
  std::optional<std::chrono::steady_clock::time_point> deadline;
  const std::atomic<bool>* cancel = nullptr;
  size_t max_scored_bytes = kMaxScoredBytes;  // tests lower it
};

struct ClaimSearchHit {
  SearchHit hit;    // as Store::Search gives it; score = the final score
  double bm25 = 0;  // the FTS5 BM25 score
  SimilaritySignals signals;
  // The matching span: byte offsets [start, end) into the document's text of
  // the window (at most 40 words) holding the most query evidence; the
  // snippet is that window with matched words in [ and ].
  uint32_t span_start = 0, span_end = 0;
  double coverage = 0;  // share of the query's distinct words in the hit
};

// Errors: InvalidArgument for a query with nothing to look for (see
// ParseSearchQuery) or k out of range; NotFound while a first load is
// still building the full-text index; Cancelled past the deadline; store
// errors. *total (may be null) receives the number of documents matching
// the query and filters (all of them, not only the k shown).
Result<std::vector<ClaimSearchHit>> SearchClaims(Store* store, const std::string& query,
                                                 const ClaimSearchOptions& options,
                                                 uint64_t* total = nullptr);

// {"query":..,"total":..,"hits":[{rank, doc_id, ext_id, source, author,
// time, title, score, coverage, bm25, similarity, span:[start,end],
// snippet[, evidence]}]}
std::string ClaimSearchToJson(const std::string& query, const std::vector<ClaimSearchHit>& hits,
                              bool explain, uint64_t total);
// One row per hit, with a header row for CSV:
// rank,doc_id,source,author,time,score,coverage,bm25,similarity,start,end,snippet
// (doc_id is the ext_id, time ISO 8601 or empty); JSONL: one JSON object
// per hit with the keys of ClaimSearchToJson's hits.
std::string ClaimSearchToCsv(const std::vector<ClaimSearchHit>& hits);
std::string ClaimSearchToJsonl(const std::vector<ClaimSearchHit>& hits, bool explain);

}  // namespace echotrace::claims

#endif  // ECHOTRACE_CLAIMS_SEARCH_H_
