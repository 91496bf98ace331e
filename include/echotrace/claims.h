// Claims: matching posts against fact-checked claims, claim search over a
// store, TREC runs and their evaluation (issues 4 and 14). The public API
// of src/claims, in sections by the source file that implements them:
//   records     reading claims and posts from any input (records.cc)
//   eval        TREC runs, qrels and the CheckThat! metrics (eval.cc)
//   matcher     the two-stage matcher and its calibrated probability (matcher.cc)
//   search      "who else says this?" over a store (search.cc)
//   match_store posts to match read from a store, matches written back
//               (match_store.cc; table claim_matches, docs/schema.md)
// docs/claims.md describes the design and the measurements.
#ifndef ECHOTRACE_CLAIMS_H_
#define ECHOTRACE_CLAIMS_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "echotrace/document.h"
#include "echotrace/similarity.h"
#include "echotrace/status.h"
#include "echotrace/store.h"

namespace echotrace::claims {

// ---- records (was src/claims/records.h) ----
// Reading claims and posts to match from any input the readers accept.
//
// Each input record becomes a MatchRecord through the ingest readers
// (src/ingest, any format, compressed or not) and the field map
// (pipeline/field_map.h), with the names the CheckThat! data uses added:
// vclaim_id → id, vclaim → text, and subtitle / date kept. A CSV or TSV file
// whose first row names no id or text column is read without a header as
// id, text[, title, ...]: the CheckThat! query files are "id<TAB>text".
// ("-", standard input, is read once, so there the first row is a header.)
// An `embedding` field holding a JSON array of numbers is a user-supplied
// vector (similarity.h).

struct MatchRecord {
  std::string id;
  std::string text;
  std::string title;
  std::string subtitle;
  std::optional<int64_t> day;  // days since 1970-01-01 from the time/date field
  std::vector<float> embedding;
  std::string file;
  uint64_t line = 0;
};

struct ReadResult {
  std::vector<MatchRecord> records;
  // Records that could not be used (malformed line, no id, no text, bad
  // embedding), each with file, line and reason. They are skipped.
  std::vector<Reject> rejects;
  size_t ids_from_lines = 0;  // records named by their line (ReadMatchOptions)
};

struct ReadMatchOptions {
  // ingest's --map flags ("text=content", "id=tweet_id"): an explicit map
  // wins over the default names (pipeline/field_map.h).
  std::vector<std::string> map;
  // A record without an id is named by its line ("line:12") instead of
  // being rejected: posts to match often have no id column (the IRA CSV).
  bool ids_from_lines = false;
};

// Reads every record of `path`. Errors: NotFound / IOError when the file
// cannot be opened or read; InvalidArgument for a bad --map. Malformed
// records are rejects, not errors.
Result<ReadResult> ReadMatchRecords(const std::string& path, const ReadMatchOptions& options);
inline Result<ReadResult> ReadMatchRecords(const std::string& path) {
  return ReadMatchRecords(path, ReadMatchOptions{});
}

// Parses "[0.1, -2, 3e-1]" into floats; nullopt unless it is a JSON array
// of finite numbers.
std::optional<std::vector<float>> ParseEmbedding(const std::string& json);

// ---- eval (was src/claims/eval.h) ----
// TREC runs and qrels, and the ranking metrics of CLEF CheckThat! 2A.
//
// Run lines: "qid Q0 doc_id rank score tag" (white-space separated).
// Qrels lines: "qid 0 doc_id relevance" (relevance > 0 is relevant).
// Metrics, per query, over the ranking by the run's rank column (score
// descending breaks ties, then doc id), cut at depth k, then averaged over
// the queries of the qrels that have at least one relevant document
// (a query the run misses scores 0):
//   AP@k     = Σ_{i ≤ k, d_i relevant} P@i / |relevant|   (the CheckThat!
//              scorer's definition: the denominator is every relevant claim)
//   RR@k     = 1 / rank of the first relevant document within k, else 0
//   recall@k = |relevant in top k| / |relevant|

struct RunEntry {
  std::string qid;
  std::string doc;
  int rank = 0;
  double score = 0;
};

using Qrels = std::map<std::string, std::set<std::string>>;         // qid → relevant docs
using RankedRun = std::map<std::string, std::vector<std::string>>;  // qid → docs, best first

// Errors: IOError when unreadable; BadInput naming file:line for a malformed
// line (wrong field count, non-numeric rank/score/relevance).
Result<Qrels> ReadQrels(const std::string& path);
Result<RankedRun> ReadRun(const std::string& path);

// One line "qid Q0 doc rank score tag\n".
std::string FormatRunLine(const std::string& qid, const std::string& doc, int rank, double score,
                          const std::string& tag);

struct Metrics {
  size_t queries = 0;  // queries with a relevant document in the qrels
  double map1 = 0, map3 = 0, map5 = 0, mrr5 = 0;
  std::vector<int> recall_depths;  // e.g. 1, 5, 10, 20, 50, 100
  std::vector<double> recall;
};

// Average precision of one ranking at depth k (definition above).
double AveragePrecisionAt(const std::vector<std::string>& ranking,
                          const std::set<std::string>& relevant, size_t k);
Metrics Evaluate(const RankedRun& run, const Qrels& qrels,
                 const std::vector<int>& recall_depths = {1, 5, 10, 20, 50, 100});

// {"queries":..,"map@1":..,...,"recall@10":..}
std::string MetricsToJson(const Metrics& m);

// ---- matcher (was src/claims/matcher.h) ----
// Matching posts against a collection of (fact-checked) claims.
//
// Two stages, as in most learning-to-rank systems:
//  1. Recall: BM25 over each claim's text + title + subtitle ("all"), with
//     three queries per post — its cleaned body, the body with its author
//     attribution, and the author's name and handle alone (claims often
//     name who said something: "Elon Musk said Starlink…"). The union of
//     their top lists is the candidate set.
//  2. Re-ranking: every candidate gets the features of FeatureNames() —
//     per-field BM25 (claim, title, subtitle), character n-gram and word
//     TF-IDF cosines, LSA cosine, entity overlap, rank in the recall list,
//     a translation language model over word translations learned from the
//     claims' own claim/title/subtitle wordings (translation.h) and, when
//     both sides carry dates, the time between the post and the
//     fact-check — and a linear model over the standardised features
//     (logistic regression, fitted by fit_matcher.cc on the CheckThat! 2022
//     training queries) orders them. Two models ship: one with the date
//     features and one fitted without them, for collections without
//     reliable dates.
// docs/claims.md has the reasoning and the measured effect of each part.

// Names of the re-ranking features, in the order of Candidate::features.
const std::vector<std::string>& FeatureNames();
// True for the features that use dates (zero when dates are off).
bool IsDateFeature(size_t i);

// score = bias + Σ weights[i] · (x[i] − mean[i]) / scale[i]
struct LinearModel {
  std::vector<double> mean, scale, weights;
  double bias = 0;
  double Score(const std::vector<double>& x) const;
  bool Valid() const;  // sizes agree with FeatureNames()
};

// The shipped models (matcher_weights.inc), with and without date features.
// With `vectors`, the models for a matcher built with word vectors (their
// features usif, align and same_claim_logit); without, the models that give
// those features no weight.
const LinearModel& ShippedModel(bool use_dates, bool vectors = false);

struct MatchOptions {
  size_t recall_depth = 100;  // candidates from the body query
  bool use_dates = true;
  // Claims left out of recall (indexes, sorted or not): how the calibration
  // is fitted and checked on posts whose claim is not in the collection.
  std::vector<uint32_t> exclude;
};

// The calibrated probability that a candidate is the post's claim, from
// absolute evidence — the ranker's score alone is relative to the post's
// other candidates (its features are normalised by the best one), so an
// unrelated post's best candidate can score like a true match:
//   p = σ(bias + w · [ranker score, logit of the same-claim probability,
//                     log(1 + BM25), query coverage, claim coverage,
//                     margin: score minus the best other candidate's])
// fitted by fit_matcher --calibration on the CheckThat! 2022 train queries,
// each once as it is and once with its relevant claims left out of the
// collection (a post with no known claim); docs/claims.md gives the
// precision and recall of each threshold on dev-test.
struct MatchCalibration {
  double bias = 0;
  std::vector<double> weights;  // 6, in the order above
  double Probability(double ranker_score, const std::vector<double>& features, double same_claim,
                     double margin) const;
};
// Names of the calibration's inputs, in order.
const std::vector<std::string>& CalibrationInputs();
// The shipped calibrations (match_calibration.inc), for the two models.
const MatchCalibration& ShippedCalibration(bool use_dates, bool vectors = false);

// Weight of the cosine of user-supplied embeddings (when the post and the
// claim both carry one of the same length), added to the model's score. Set
// by hand, not fitted: the training data has no embeddings. 2.0 in logit
// units puts a cosine gap of 0.3 on a par with a one-SD gap in the strongest
// fitted feature.
inline constexpr double kEmbeddingWeight = 2.0;

struct Candidate {
  uint32_t claim = 0;  // index into the claims the Matcher was built with
  std::vector<double> features;
  bool has_embedding = false;
  double embedding_cosine = 0;  // when has_embedding
  double same_claim = 0;        // SameClaimProbability of post body and claim (lexical)
  double score = 0;             // the ranker's score (Rank)
  double margin = 0;            // score minus the best other candidate's (Rank)
  double probability = 0;       // calibrated (Rank, ShippedCalibration)
};

class Matcher {
 public:
  // Indexes `claims` (their text, title and subtitle). InvalidArgument when
  // there are none.
  // With `vectors` (LoadWordVectors) the candidates also get the semantic
  // features usif, align and same_claim_logit (zero without).
  static Result<std::unique_ptr<Matcher>> Build(
      std::vector<MatchRecord> claims, std::shared_ptr<const WordVectors> vectors = nullptr);
  bool has_vectors() const;
  ~Matcher();

  // The candidates for `post` with their features, in recall order.
  // Thread-safe.
  std::vector<Candidate> Candidates(const MatchRecord& post, const MatchOptions& options) const;
  // The best k candidates under `model`, best first (ties: lower claim
  // index), each with its calibrated probability under `calibration`
  // (ShippedCalibration(options.use_dates, has_vectors()) when null).
  // Thread-safe.
  std::vector<Candidate> Rank(const MatchRecord& post, const LinearModel& model, size_t k,
                              const MatchOptions& options,
                              const MatchCalibration* calibration = nullptr) const;
  // Why `c` matched `post`: the features with their contributions, the
  // shared stems and the shared entities. Several lines of text.
  std::string Explain(const MatchRecord& post, const Candidate& c, const LinearModel& model) const;

  const MatchRecord& claim(uint32_t i) const;
  size_t size() const;

 private:
  struct Impl;
  explicit Matcher(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// ---- search (was src/claims/search.h) ----
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

// ---- match_store (was src/claims/match_store.h) ----
// `match` over a store: the posts to match read from the store (with the
// filters of search), and the matches written back into it (table
// claim_matches, docs/schema.md), so that later views can show which posts
// repeat which fact-checked claims.

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
  // Views of the claim's id and text (e.g. into the Matcher's claims, which
  // must outlive the write): millions of rows must not copy them.
  std::string_view claim_id, claim_text;
  double probability = 0;  // calibrated (matcher.h MatchCalibration)
  double score = 0;        // the ranker's score
};

// Writes one match run: creates claim_matches when absent, then in one
// transaction replaces the rows of earlier match runs with `matches`.
// `run_id` comes from Store::BeginRun("match", ...).
Status WriteMatches(Store* store, int64_t run_id, const std::vector<StoredMatch>& matches);

}  // namespace echotrace::claims

#endif  // ECHOTRACE_CLAIMS_H_
