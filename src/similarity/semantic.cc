// Sentence vectors (SIF, uSIF) and soft word alignment; see semantic.h.
#include "similarity/semantic.h"

#include <xxhash.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>

#include "similarity/analyzer.h"
#include "text/normalize.h"
#include "text/tokenizer.h"

namespace echotrace::sim {

namespace {

constexpr double kSifA = 1e-3;      // Arora et al.'s recommended a
constexpr int kUsifComponents = 5;  // Ethayarajh's m
constexpr double kEulerGamma = 0.5772156649015329;

// Splits at ASCII hyphens and drops a possessive or elided tail the vectors
// lack as one word ("country's" → "country"): GloVe's tokenizer splits them.
void AddWord(const std::string& w, std::vector<std::string>* out) {
  size_t b = 0;
  while (b <= w.size()) {
    size_t e = w.find('-', b);
    if (e == std::string::npos) e = w.size();
    std::string part = w.substr(b, e - b);
    size_t ap = part.find_first_of("'\xE2");  // ' or the lead byte of ’
    if (ap != std::string::npos && ap > 0) part.resize(ap);
    if (!part.empty()) out->push_back(std::move(part));
    b = e + 1;
  }
}

}  // namespace

std::vector<std::string> VectorWords(std::string_view text) {
  std::vector<std::string> out;
  for (const Token& t : Tokenize(text)) {
    switch (t.kind) {
      case TokenKind::kWord:
        AddWord(t.norm, &out);
        break;
      case TokenKind::kNumber: {
        std::string n;
        for (char c : t.norm) {
          if (c != ',') n.push_back(c);
        }
        out.push_back(std::move(n));
        break;
      }
      case TokenKind::kHashtag:
      case TokenKind::kMention: {
        std::string_view raw = text.substr(t.start, t.end - t.start);
        raw.remove_prefix(static_cast<unsigned char>(raw[0]) < 0x80 ? 1 : 3);
        for (const std::string& p : SplitCompound(raw)) AddWord(NormalizeForMatching(p), &out);
        break;
      }
      default:
        break;
    }
  }
  return out;
}

double ZipfProbability(uint32_t rank, size_t vocab) {
  const double v = static_cast<double>(std::max<size_t>(vocab, 1));
  // H_v = ln v + γ + 1/(2v) − 1/(12v²) + …
  const double h = std::log(v) + kEulerGamma + 1.0 / (2 * v) - 1.0 / (12 * v * v);
  return 1.0 / ((static_cast<double>(rank) + 1.0) * h);
}

SentenceEncoder::SentenceEncoder(const WordVectors* vectors, SentenceMethod method,
                                 const std::vector<std::vector<int32_t>>& collection)
    : vectors_(vectors), method_(method) {
  if (vectors_ == nullptr || vectors_->size() == 0) return;
  const size_t v = vectors_->size();
  if (method_ == SentenceMethod::kUsif) {
    double total = 0;
    size_t texts = 0;
    for (const auto& c : collection) {
      if (!c.empty()) total += static_cast<double>(c.size()), ++texts;
    }
    const double n = texts > 0 ? std::max(1.0, std::round(total / texts)) : 11.0;
    const double threshold = 1.0 - std::pow(1.0 - 1.0 / static_cast<double>(v), n);
    size_t above = 0;
    for (uint32_t r = 0; r < v; ++r) above += ZipfProbability(r, v) > threshold;
    const double alpha = std::max<double>(above, 1) / static_cast<double>(v);
    const double z = 0.5 * static_cast<double>(v);
    a_ = (1.0 - alpha) / (alpha * z);
  } else {
    a_ = kSifA;
  }
  const int d = vectors_->dims();
  Eigen::MatrixXd gram = Eigen::MatrixXd::Zero(d, d);
  size_t rows = 0;
  for (const auto& c : collection) {
    std::vector<float> x = Raw(c);
    if (x.empty()) continue;
    Eigen::Map<const Eigen::VectorXf> xv(x.data(), d);
    Eigen::VectorXd xd = xv.cast<double>();
    gram.selfadjointView<Eigen::Lower>().rankUpdate(xd);
    ++rows;
  }
  // Common components need many texts: with fewer texts than dimensions
  // they are the texts themselves (two texts come out anti-parallel once
  // the first is removed), so small collections keep the plain weighted
  // mean, as Ethayarajh advises (m = 0 without a sizable set of sentences).
  if (rows < static_cast<size_t>(d)) return;
  gram = gram.selfadjointView<Eigen::Lower>();
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(gram);
  const int m = static_cast<int>(std::min<size_t>(
      method_ == SentenceMethod::kSif ? 1 : kUsifComponents, std::min<size_t>(rows, d)));
  double sum = 0;
  for (int i = 0; i < m; ++i) sum += eig.eigenvalues()(d - 1 - i);
  for (int i = 0; i < m; ++i) {
    const double ev = eig.eigenvalues()(d - 1 - i);
    if (ev <= 0) break;
    Eigen::VectorXd u = eig.eigenvectors().col(d - 1 - i);
    components_.emplace_back(u.data(), u.data() + d);
    lambdas_.push_back(method_ == SentenceMethod::kSif ? 1.0 : ev / sum);
  }
}

double SentenceEncoder::Weight(int32_t word) const {
  const double p = ZipfProbability(vectors_->Rank(word), vectors_->size());
  return method_ == SentenceMethod::kSif ? a_ / (a_ + p) : a_ / (0.5 * a_ + p);
}

std::vector<float> SentenceEncoder::Raw(const std::vector<int32_t>& words) const {
  if (vectors_ == nullptr || words.empty()) return {};
  const int d = vectors_->dims();
  std::vector<double> acc(static_cast<size_t>(d), 0.0);
  std::vector<float> x(static_cast<size_t>(d));
  for (int32_t w : words) {
    vectors_->Vector(w, x.data());
    double scale = Weight(w);
    if (method_ == SentenceMethod::kUsif) {
      float norm = vectors_->Norm(w);
      if (norm <= 0) continue;
      scale /= norm;
    }
    for (int i = 0; i < d; ++i) acc[static_cast<size_t>(i)] += scale * x[static_cast<size_t>(i)];
  }
  std::vector<float> out(static_cast<size_t>(d));
  for (int i = 0; i < d; ++i) {
    out[static_cast<size_t>(i)] =
        static_cast<float>(acc[static_cast<size_t>(i)] / static_cast<double>(words.size()));
  }
  return out;
}

std::vector<float> SentenceEncoder::Encode(const std::vector<int32_t>& words) const {
  std::vector<float> x = Raw(words);
  if (x.empty()) return x;
  for (size_t c = 0; c < components_.size(); ++c) {
    const std::vector<double>& u = components_[c];
    double dot = 0;
    for (size_t i = 0; i < x.size(); ++i) dot += u[i] * x[i];
    for (size_t i = 0; i < x.size(); ++i) x[i] -= static_cast<float>(lambdas_[c] * dot * u[i]);
  }
  return x;
}

AlignSide MakeAlignSide(const WordVectors& vectors, const std::vector<std::string>& words,
                        const std::vector<int32_t>& indexes, const std::vector<float>& weights) {
  AlignSide s;
  const size_t d = static_cast<size_t>(vectors.dims());
  s.weights = weights;
  s.units.assign(words.size() * d, 0.0f);
  for (size_t i = 0; i < words.size(); ++i) {
    s.hashes.push_back(XXH3_64bits(words[i].data(), words[i].size()));
    const int32_t ix = indexes[i];
    const bool known = ix != WordVectors::kNone && vectors.Norm(ix) > 0;
    s.known.push_back(known ? 1 : 0);
    if (!known) continue;
    float* u = &s.units[i * d];
    vectors.Vector(ix, u);
    const float inv = 1.0f / vectors.Norm(ix);
    for (size_t k = 0; k < d; ++k) u[k] *= inv;
  }
  return s;
}

double AlignDirected(const AlignSide& a, const AlignSide& b, int dims) {
  const size_t d = static_cast<size_t>(dims);
  double num = 0, den = 0;
  for (size_t i = 0; i < a.hashes.size(); ++i) {
    double best = 0;
    for (size_t j = 0; j < b.hashes.size() && best < 1.0; ++j) {
      if (a.hashes[i] == b.hashes[j]) {
        best = 1.0;
      } else if (a.known[i] && b.known[j]) {
        const float* x = &a.units[i * d];
        const float* y = &b.units[j * d];
        float dot = 0;
        for (size_t k = 0; k < d; ++k) dot += x[k] * y[k];
        best = std::max(best, std::min(1.0, static_cast<double>(dot)));
      }
    }
    num += a.weights[i] * best;
    den += a.weights[i];
  }
  return den > 0 ? num / den : 0.0;
}

double SoftAlignment(const AlignSide& a, const AlignSide& b, int dims) {
  return 0.5 * (AlignDirected(a, b, dims) + AlignDirected(b, a, dims));
}

}  // namespace echotrace::sim
