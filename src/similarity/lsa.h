// Latent semantic analysis: a truncated SVD of a collection's TF-IDF matrix
// (Deerwester et al. 1990), computed with the randomized range finder of
// Halko, Martinsson & Tropp, "Finding structure with randomness" (SIAM
// Review 2011, Algorithms 4.3/4.4 and 5.1): sample the range of A with a
// Gaussian test matrix of rank + oversampling columns, sharpen it with power
// iterations (re-orthonormalised by QR each time), then take the exact SVD
// of the small projected matrix B = QᵀA through the eigen-decomposition of
// BBᵀ. Texts are compared by the cosine of their projections Vᵀx onto the
// top right singular vectors: words that co-occur across the collection
// ("jab", "vaccine", "shot") land near each other, so paraphrases that share
// few words still score.
//
// Determinism: the Gaussian matrix comes from splitmix64 and Box–Muller
// (not std::normal_distribution, whose output differs between standard
// libraries), and each singular vector's sign is fixed so that its largest
// entry is positive.
#ifndef ECHOTRACE_SIMILARITY_LSA_H_
#define ECHOTRACE_SIMILARITY_LSA_H_

#include <cstdint>
#include <vector>

#include "similarity/vectors.h"

namespace echotrace::sim {

struct LsaOptions {
  int rank = 128;
  int oversample = 16;
  int power_iterations = 2;
  uint64_t seed = 20261126;
};

class Lsa {
 public:
  Lsa() = default;
  // Fits on `rows` (ids < dim). The rank is capped at min(rows, dim).
  // An empty collection gives an empty model (Project returns {}).
  static Lsa Fit(const std::vector<SparseVec>& rows, uint32_t dim, const LsaOptions& options);

  int rank() const { return static_cast<int>(singular_values_.size()); }
  // Singular values, largest first.
  const std::vector<double>& singular_values() const { return singular_values_; }
  // Vᵀx, L2-normalised (ids >= dim are ignored).
  std::vector<float> Project(const SparseVec& x) const;
  // Right singular vector j (length dim).
  std::vector<double> Component(int j) const;

 private:
  uint32_t dim_ = 0;
  std::vector<double> singular_values_;
  std::vector<float> v_;  // dim × rank, row-major: row = feature
};

// Cosine of two dense vectors; 0 when either is empty, zero or the sizes
// differ.
double Cosine(const std::vector<float>& a, const std::vector<float>& b);

}  // namespace echotrace::sim

#endif  // ECHOTRACE_SIMILARITY_LSA_H_
