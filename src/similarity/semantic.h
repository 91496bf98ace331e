// Semantic signals over pretrained word vectors (word_vectors.h): sentence
// vectors and soft word alignment, for texts that say the same thing in
// different words ("jab" / "vaccine", "killed" / "died").
//
//  - SIF (Arora, Liang & Ma, "A simple but tough-to-beat baseline for
//    sentence embeddings", ICLR 2017): the mean of the text's word vectors
//    weighted by a / (a + p(w)), a = 1e-3, then the projection on the first
//    principal component of the collection's sentence vectors removed.
//  - uSIF (Ethayarajh, "Unsupervised random walk sentence embeddings: a
//    strong but simple baseline", Repl4NLP 2018): unit-length word vectors
//    weighted by a / (a/2 + p(w)) with a derived from the vocabulary size and
//    the collection's mean text length n (no hand-set constant):
//    threshold = 1 − (1 − 1/v)^n, α = share of words with p(w) > threshold,
//    Z = v/2, a = (1 − α) / (α·Z); then "piecewise common component
//    removal": the top 5 principal components u_i are each removed in
//    proportion λ_i = σ_i² / Σ_j σ_j².
//    Principal components are of the uncentred sentence vectors, as both
//    papers do, computed from the d×d Gram matrix (d = 100), and only
//    removed when the collection has at least d texts with known words
//    (fewer texts than dimensions: the components would be the texts
//    themselves).
//  - Soft alignment: each content word of one text finds its best cosine
//    match among the other text's content words (1 for the same word, 0 for
//    an unknown word that the other text lacks); the matches are averaged
//    weighted by the word's idf in the collection; the signal is the mean
//    of both directions. It keeps what a mean vector blurs: which words
//    found a partner.
//
// Word probabilities: the vectors carry each word's frequency rank in the
// corpus they were trained on (Wikipedia + Gigaword) but not its count, so
// p(w) follows Zipf's law from the rank: p = 1 / ((rank + 1) · H_v), H_v
// the v-th harmonic number (v = words in the file). Words are the matching
// form (NFKC, case-folded) of the tokenizer's words and numbers, split at
// hyphens, hashtags and handles split like the analyzer does.
#ifndef ECHOTRACE_SIMILARITY_SEMANTIC_H_
#define ECHOTRACE_SIMILARITY_SEMANTIC_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "similarity/word_vectors.h"

namespace echotrace::sim {

// The words of `text` as the vectors spell them (see the top of this file).
std::vector<std::string> VectorWords(std::string_view text);

// p(w) of the word at frequency rank `rank` among `vocab` words (Zipf).
double ZipfProbability(uint32_t rank, size_t vocab);

enum class SentenceMethod { kSif, kUsif };

class SentenceEncoder {
 public:
  SentenceEncoder() = default;
  // Fits the weights and the common components on the collection's texts,
  // each given as word indexes into `vectors` (unknown words left out).
  SentenceEncoder(const WordVectors* vectors, SentenceMethod method,
                  const std::vector<std::vector<int32_t>>& collection);

  // The text's vector with the common components removed (not
  // normalised; compare with Cosine from lsa.h). Empty for a text without
  // known words or an encoder without vectors.
  std::vector<float> Encode(const std::vector<int32_t>& words) const;
  // The weighted mean before component removal (for tests).
  std::vector<float> Raw(const std::vector<int32_t>& words) const;

  double a() const { return a_; }
  // Principal directions removed, each of length dims, and their weights.
  const std::vector<std::vector<double>>& components() const { return components_; }
  const std::vector<double>& lambdas() const { return lambdas_; }

 private:
  double Weight(int32_t word) const;

  const WordVectors* vectors_ = nullptr;
  SentenceMethod method_ = SentenceMethod::kSif;
  double a_ = 1e-3;
  std::vector<std::vector<double>> components_;
  std::vector<double> lambdas_;
};

// One side of a soft alignment: its content words.
struct AlignSide {
  std::vector<uint64_t> hashes;  // XXH3-64 of the word (same word ⇔ same hash)
  std::vector<float> weights;    // idf
  std::vector<float> units;      // unit vectors, words × dims (zeros when unknown)
  std::vector<uint8_t> known;    // has a vector
};

// Builds a side from words, their vector indexes (WordVectors::kNone when
// unknown) and weights. Stop words must already be removed.
AlignSide MakeAlignSide(const WordVectors& vectors, const std::vector<std::string>& words,
                        const std::vector<int32_t>& indexes, const std::vector<float>& weights);

// Weighted mean over a's words of their best match in b (0 when b is
// empty; 0 when a has no words).
double AlignDirected(const AlignSide& a, const AlignSide& b, int dims);
// Mean of both directions.
double SoftAlignment(const AlignSide& a, const AlignSide& b, int dims);

}  // namespace echotrace::sim

#endif  // ECHOTRACE_SIMILARITY_SEMANTIC_H_
