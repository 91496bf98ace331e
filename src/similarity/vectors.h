// Sparse TF-IDF vectors over words or character n-grams, and their cosine.
//
// Character n-grams (Cavnar & Trenkle 1994; used for near-duplicate tweets
// since) see through spelling variants, inflections the stemmer misses and
// glued words: "covid19vaccine" shares most 4-grams with "covid 19 vaccine".
// They are taken over the matching form of the text's words and numbers
// (URLs and emoji dropped, hashtags and handles split like the analyzer
// does), joined by single spaces and padded with one space at each end, in
// code points, and hashed with XXH3-64 (seed 0) onto 2^22 buckets.
#ifndef ECHOTRACE_SIMILARITY_VECTORS_H_
#define ECHOTRACE_SIMILARITY_VECTORS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace echotrace::sim {

// (feature id, weight) sorted by id, ids distinct.
using SparseVec = std::vector<std::pair<uint32_t, float>>;

// Σ a_i·b_i over shared ids (linear merge).
double Dot(const SparseVec& a, const SparseVec& b);
// Scales to unit length; the zero vector stays zero.
void L2Normalize(SparseVec* v);
// Counts ids into a SparseVec of raw term frequencies.
SparseVec CountIds(std::vector<uint32_t> ids);

// The words the character n-grams are taken from, lower-cased and joined
// by spaces (see the top of this file).
std::string CharNgramText(std::string_view text);
// Hashed ids of the character n-grams of `text` with lo <= n <= hi (code
// points), after CharNgramText. Duplicates kept.
std::vector<uint32_t> CharNgramIds(std::string_view text, int lo, int hi);

// TF-IDF weighting fitted on a collection: weight = (1 + ln tf) · idf,
// idf = ln((1 + N) / (1 + df)) + 1 (smoothed, so unseen features get the
// highest idf rather than none). Vectors are L2-normalised.
class TfIdf {
 public:
  TfIdf() = default;
  // `docs` are feature-id lists with duplicates (term frequencies).
  explicit TfIdf(const std::vector<std::vector<uint32_t>>& docs);
  SparseVec Vector(std::vector<uint32_t> ids) const;
  double Idf(uint32_t id) const;

 private:
  double n_ = 0;
  // idf of each id with a document frequency, precomputed (Idf was a
  // binary search and a log per call, 11% of `compare`'s time): a dense
  // table when the ids are dense (vocabulary ids), else sorted ids beside
  // their idf (hashed character n-grams).
  std::vector<double> dense_;
  std::vector<uint32_t> ids_;
  std::vector<double> idf_;
  double unseen_ = 1.0;  // idf of an id no document has
};

}  // namespace echotrace::sim

#endif  // ECHOTRACE_SIMILARITY_VECTORS_H_
