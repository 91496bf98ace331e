// Randomized truncated SVD; see lsa.h for the algorithm and references.
#include "similarity/lsa.h"

#include <Eigen/Dense>
#include <Eigen/Sparse>
#include <algorithm>
#include <cmath>

namespace echotrace::sim {

namespace {

uint64_t SplitMix64(uint64_t* state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Standard normal deviates by Box–Muller from 53-bit uniforms in (0, 1].
Eigen::MatrixXd Gaussian(Eigen::Index rows, Eigen::Index cols, uint64_t seed) {
  Eigen::MatrixXd m(rows, cols);
  uint64_t state = seed;
  auto uniform = [&] {
    return (static_cast<double>(SplitMix64(&state) >> 11) + 1.0) / 9007199254740992.0;
  };
  for (Eigen::Index j = 0; j < cols; ++j) {
    for (Eigen::Index i = 0; i < rows; ++i) {
      double u1 = uniform(), u2 = uniform();
      m(i, j) = std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }
  }
  return m;
}

Eigen::MatrixXd Orthonormal(const Eigen::MatrixXd& y) {
  Eigen::HouseholderQR<Eigen::MatrixXd> qr(y);
  return qr.householderQ() * Eigen::MatrixXd::Identity(y.rows(), y.cols());
}

}  // namespace

Lsa Lsa::Fit(const std::vector<SparseVec>& rows, uint32_t dim, const LsaOptions& options) {
  Lsa m;
  m.dim_ = dim;
  const Eigen::Index n = static_cast<Eigen::Index>(rows.size());
  const Eigen::Index rank =
      std::min<Eigen::Index>({options.rank, n, static_cast<Eigen::Index>(dim)});
  if (rank <= 0) return m;
  std::vector<Eigen::Triplet<double>> trip;
  for (Eigen::Index i = 0; i < n; ++i) {
    for (const auto& [id, w] : rows[static_cast<size_t>(i)]) {
      if (id < dim) trip.emplace_back(i, static_cast<Eigen::Index>(id), w);
    }
  }
  Eigen::SparseMatrix<double, Eigen::RowMajor> a(n, dim);
  a.setFromTriplets(trip.begin(), trip.end());
  Eigen::SparseMatrix<double, Eigen::ColMajor> at = a.transpose();

  const Eigen::Index l =
      std::min<Eigen::Index>(rank + options.oversample, std::min<Eigen::Index>(n, dim));
  Eigen::MatrixXd q = Orthonormal(a * Gaussian(dim, l, options.seed));
  for (int it = 0; it < options.power_iterations; ++it) {
    Eigen::MatrixXd z = Orthonormal(at * q);
    q = Orthonormal(a * z);
  }
  Eigen::MatrixXd bt = at * q;                // dim × l  (= Bᵀ)
  Eigen::MatrixXd bbt = bt.transpose() * bt;  // l × l  (= BBᵀ)
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(bbt);
  // Eigenvalues ascend; take the largest `rank`.
  m.v_.assign(static_cast<size_t>(dim) * static_cast<size_t>(rank), 0.0f);
  for (Eigen::Index j = 0; j < rank; ++j) {
    Eigen::Index src = l - 1 - j;
    double s = std::sqrt(std::max(0.0, eig.eigenvalues()(src)));
    m.singular_values_.push_back(s);
    Eigen::VectorXd v =
        s > 0 ? Eigen::VectorXd(bt * eig.eigenvectors().col(src) / s) : Eigen::VectorXd::Zero(dim);
    Eigen::Index arg = 0;
    v.cwiseAbs().maxCoeff(&arg);
    if (v(arg) < 0) v = -v;
    for (Eigen::Index f = 0; f < dim; ++f) {
      m.v_[static_cast<size_t>(f) * static_cast<size_t>(rank) + static_cast<size_t>(j)] =
          static_cast<float>(v(f));
    }
  }
  return m;
}

std::vector<float> Lsa::Project(const SparseVec& x) const {
  const size_t r = singular_values_.size();
  if (r == 0) return {};
  std::vector<double> acc(r, 0.0);
  for (const auto& [id, w] : x) {
    if (id >= dim_) continue;
    const float* row = &v_[static_cast<size_t>(id) * r];
    for (size_t j = 0; j < r; ++j) acc[j] += static_cast<double>(w) * row[j];
  }
  double n = 0;
  for (double a : acc) n += a * a;
  std::vector<float> out(r, 0.0f);
  if (n > 0) {
    double inv = 1.0 / std::sqrt(n);
    for (size_t j = 0; j < r; ++j) out[j] = static_cast<float>(acc[j] * inv);
  }
  return out;
}

std::vector<double> Lsa::Component(int j) const {
  const size_t r = singular_values_.size();
  std::vector<double> c(dim_);
  for (size_t f = 0; f < dim_; ++f) c[f] = v_[f * r + static_cast<size_t>(j)];
  return c;
}

double Cosine(const std::vector<float>& a, const std::vector<float>& b) {
  if (a.empty() || a.size() != b.size()) return 0;
  double ab = 0, aa = 0, bb = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    ab += static_cast<double>(a[i]) * b[i];
    aa += static_cast<double>(a[i]) * a[i];
    bb += static_cast<double>(b[i]) * b[i];
  }
  return aa > 0 && bb > 0 ? ab / std::sqrt(aa * bb) : 0;
}

}  // namespace echotrace::sim
