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
#ifndef ECHOTRACE_CLAIMS_MATCHER_H_
#define ECHOTRACE_CLAIMS_MATCHER_H_

#include <memory>
#include <string>
#include <vector>

#include "claims/records.h"
#include "echotrace/similarity.h"
#include "echotrace/status.h"

namespace echotrace::claims {

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
const LinearModel& ShippedModel(bool use_dates);

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
const MatchCalibration& ShippedCalibration(bool use_dates);

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
  static Result<std::unique_ptr<Matcher>> Build(std::vector<MatchRecord> claims);
  ~Matcher();

  // The candidates for `post` with their features, in recall order.
  // Thread-safe.
  std::vector<Candidate> Candidates(const MatchRecord& post, const MatchOptions& options) const;
  // The best k candidates under `model`, best first (ties: lower claim
  // index), each with its calibrated probability under `calibration`
  // (ShippedCalibration(options.use_dates) when null). Thread-safe.
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

}  // namespace echotrace::claims

#endif  // ECHOTRACE_CLAIMS_MATCHER_H_
