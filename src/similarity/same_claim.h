// The learned, calibrated similarity (issue 14, item 3): the probability
// that two texts make the same claim, from the engine's signals
// (SimilaritySignals) through a logistic regression fitted on labelled
// pairs (STS-B train, MSRP train, CheckThat! 2022 train query → claim
// pairs with the matcher's hard negatives, fact-check claim/title pairs).
//
// The model is a text file in the repository (same_claim_model.txt),
// written by bench/fit_similarity.cc (bash bench/fit_similarity.sh), and
// compiled into the library (the build wraps it in a string literal), so
// there is nothing to find at run time. Its format, version 1:
//
//   # comment lines (the header: what wrote it, how, the figures)
//   format 1
//   version <name>
//   variant vectors|lexical
//   features <name> <name> ...      base signals or products "a*b"
//   mean <m1> <m2> ...
//   scale <s1> <s2> ...
//   weights <w1> <w2> ...
//   bias <b>
//   end
//   (a second variant block)
//
// Base signals: words chars lsa names numbers tag_or_link sif usif align
// length_ratio (SimilaritySignals; tag_or_link is 0 or 1). The vectors
// variant is used when the signals carry word vectors (has_vectors), the
// lexical one otherwise. p = 1 / (1 + exp(−(bias + Σ w_i (x_i − m_i) / s_i))).
// docs/similarity.md gives the definition of "same claim", the data, the
// held-back slices and the reliability table.
#ifndef ECHOTRACE_SIMILARITY_SAME_CLAIM_H_
#define ECHOTRACE_SIMILARITY_SAME_CLAIM_H_

#include <string>
#include <string_view>
#include <vector>

#include "echotrace/similarity.h"
#include "echotrace/status.h"

namespace echotrace::sim {

// The base signals, in this order, for the model's feature names.
const std::vector<std::string>& SameClaimBaseFeatures();
// Their values in `s` (tag_or_link as 0/1).
std::vector<double> SameClaimBaseValues(const SimilaritySignals& s);

struct SameClaimVariant {
  std::vector<std::string> features;
  // Each feature as indexes into the base features: (i, −1) a base
  // signal, (i, j) the product of two.
  std::vector<std::pair<int, int>> terms;
  std::vector<double> mean, scale, weights;
  double bias = 0;

  // The standardised feature values of `base` (SameClaimBaseValues).
  std::vector<double> Standardized(const std::vector<double>& base) const;
  double Logit(const std::vector<double>& base) const;
  double Probability(const std::vector<double>& base) const;
};

struct SameClaimModel {
  int format = 1;
  std::string version;
  SameClaimVariant vectors, lexical;

  const SameClaimVariant& For(const SimilaritySignals& s) const {
    return s.has_vectors ? vectors : lexical;
  }
  double Probability(const SimilaritySignals& s) const;
};

// Parses the text format above. BadInput naming the line for anything
// malformed: unknown keyword or feature, sizes that disagree, a scale that
// is not positive, a number that is not finite, a missing variant.
Result<SameClaimModel> ParseSameClaimModel(std::string_view text);
// The text format (without the comment header); ParseSameClaimModel reads
// it back to the same numbers (17 significant digits).
std::string FormatSameClaimModel(const SameClaimModel& m);

// The model compiled into the library (same_claim_model.txt), parsed once.
const SameClaimModel& ShippedSameClaimModel();

}  // namespace echotrace::sim

#endif  // ECHOTRACE_SIMILARITY_SAME_CLAIM_H_
