// semantic_bench: the word vectors and the semantic signals on real data.
// A benchmark program, not a test; figures go to BENCHMARKS.md and
// docs/vectors.md (bench/semantic_eval.sh runs all of it).
//
//   semantic_bench load [N]            time to find, map and check the vectors
//                                      file (LoadWordVectors), N times
//   semantic_bench quant JSON [PAIRS]  cosine of the int8 vectors against the
//                                      float vectors of the package's JSON on
//                                      PAIRS random word pairs (seeded)
//   semantic_bench sts TRAIN DEV       Spearman and Pearson on STS-B dev of
//                                      each signal alone, of equal mixes, and
//                                      of a least-squares mix fitted on TRAIN
//   semantic_bench msrp FILE           MSRP: every fifth pair held back;
//                                      threshold (and mix) chosen on the rest,
//                                      accuracy and F1 on the held-back pairs
// Each similarity model is fitted (idf, LSA, sentence-vector components) on
// the texts of the pairs it scores, without labels, as `compare` does.
// The vectors file is found as LoadWordVectors does (ECHOTRACE_VECTORS, next
// to the binary, the build folder).
#include <Eigen/Dense>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <numeric>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "echotrace/similarity.h"
#include "similarity/lsa.h"
#include "similarity/word_vectors.h"
#include "wink_json.h"

namespace {

using echotrace::SimilarityModel;
using echotrace::SimilarityOptions;
using echotrace::SimilaritySignals;
using echotrace::WordVectors;
using Clock = std::chrono::steady_clock;

[[noreturn]] void Die(const std::string& msg) {
  std::fprintf(stderr, "semantic_bench: %s\n", msg.c_str());
  std::exit(1);
}

std::shared_ptr<const WordVectors> Vectors() {
  auto v = echotrace::LoadWordVectors("");
  if (!v.ok()) Die(v.status().ToString());
  return *v;
}

struct Pair {
  double label = 0;
  std::string a, b;
};

std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> f;
  std::stringstream ss(line);
  std::string x;
  while (std::getline(ss, x, '\t')) f.push_back(x);
  return f;
}

std::vector<Pair> ReadSts(const std::string& path) {
  std::ifstream in(path);
  if (!in) Die(path + ": cannot open");
  std::vector<Pair> out;
  std::string line;
  while (std::getline(in, line)) {
    auto f = SplitTabs(line);
    if (f.size() >= 7) out.push_back({std::stod(f[4]), f[5], f[6]});
  }
  return out;
}

std::vector<Pair> ReadMsrp(const std::string& path) {
  std::ifstream in(path);
  if (!in) Die(path + ": cannot open");
  std::vector<Pair> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto f = SplitTabs(line);
    if (f.size() >= 5 && (f[0] == "0" || f[0] == "1")) {
      out.push_back({f[0] == "1" ? 1.0 : 0.0, f[3], f[4]});
    }
  }
  return out;
}

double Pearson(const std::vector<double>& x, const std::vector<double>& y) {
  double mx = 0, my = 0;
  for (size_t i = 0; i < x.size(); ++i) mx += x[i], my += y[i];
  mx /= static_cast<double>(x.size());
  my /= static_cast<double>(y.size());
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  return sxy / std::sqrt(sxx * syy);
}

std::vector<double> Ranks(const std::vector<double>& x) {
  std::vector<size_t> o(x.size());
  std::iota(o.begin(), o.end(), 0);
  std::sort(o.begin(), o.end(), [&](size_t a, size_t b) { return x[a] < x[b]; });
  std::vector<double> r(x.size());
  for (size_t i = 0; i < o.size();) {
    size_t j = i;
    while (j < o.size() && x[o[j]] == x[o[i]]) ++j;
    for (size_t k = i; k < j; ++k) r[o[k]] = 0.5 * static_cast<double>(i + j - 1);
    i = j;
  }
  return r;
}

double Spearman(const std::vector<double>& x, const std::vector<double>& y) {
  return Pearson(Ranks(x), Ranks(y));
}

// The signals the benchmark reports, by name.
const std::vector<std::string> kSignals = {"words", "chars", "lsa",  "names", "numbers",
                                           "tag",   "sif",   "usif", "align", "score"};
std::vector<double> Row(const SimilaritySignals& s) {
  return {s.words, s.chars, s.lsa,   s.names, s.numbers, s.tag_or_link ? 1.0 : 0.0,
          s.sif,   s.usif,  s.align, s.score};
}

// Signals of every pair, the model fitted on the pairs' own texts.
std::vector<std::vector<double>> Signals(const std::vector<Pair>& pairs,
                                         std::shared_ptr<const WordVectors> v, double* per_sec) {
  std::vector<std::string> texts;
  for (const Pair& p : pairs) texts.push_back(p.a), texts.push_back(p.b);
  SimilarityOptions o;
  o.word_vectors = std::move(v);
  auto m = SimilarityModel::Fit(texts, o);
  if (!m.ok()) Die(m.status().ToString());
  std::vector<std::vector<double>> rows;
  auto t0 = Clock::now();
  for (const Pair& p : pairs) rows.push_back(Row((*m)->Compare(p.a, p.b)));
  double secs = std::chrono::duration<double>(Clock::now() - t0).count();
  if (per_sec != nullptr) *per_sec = static_cast<double>(pairs.size()) / secs;
  return rows;
}

std::vector<double> Column(const std::vector<std::vector<double>>& rows, size_t j) {
  std::vector<double> c;
  for (auto& r : rows) c.push_back(r[j]);
  return c;
}

size_t Index(const std::string& name) {
  return static_cast<size_t>(std::find(kSignals.begin(), kSignals.end(), name) - kSignals.begin());
}

std::vector<double> EqualMix(const std::vector<std::vector<double>>& rows,
                             const std::vector<std::string>& names) {
  std::vector<double> out;
  for (auto& r : rows) {
    double s = 0;
    for (auto& n : names) s += r[Index(n)];
    out.push_back(s / static_cast<double>(names.size()));
  }
  return out;
}

// Least squares (ridge 1e-3) of y on [1, columns] of `rows`; the weights.
Eigen::VectorXd FitLinear(const std::vector<std::vector<double>>& rows,
                          const std::vector<double>& y, const std::vector<std::string>& names) {
  const Eigen::Index k = static_cast<Eigen::Index>(names.size()) + 1;
  Eigen::MatrixXd x(static_cast<Eigen::Index>(rows.size()), k);
  Eigen::VectorXd t(static_cast<Eigen::Index>(rows.size()));
  for (size_t i = 0; i < rows.size(); ++i) {
    x(static_cast<Eigen::Index>(i), 0) = 1;
    for (size_t j = 0; j < names.size(); ++j)
      x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j) + 1) = rows[i][Index(names[j])];
    t(static_cast<Eigen::Index>(i)) = y[i];
  }
  Eigen::MatrixXd a = x.transpose() * x + 1e-3 * Eigen::MatrixXd::Identity(k, k);
  return a.ldlt().solve(x.transpose() * t);
}

std::vector<double> ApplyLinear(const std::vector<std::vector<double>>& rows,
                                const Eigen::VectorXd& w, const std::vector<std::string>& names) {
  std::vector<double> out;
  for (auto& r : rows) {
    double s = w(0);
    for (size_t j = 0; j < names.size(); ++j)
      s += w(static_cast<Eigen::Index>(j) + 1) * r[Index(names[j])];
    out.push_back(s);
  }
  return out;
}

int Load(int n) {
  std::vector<double> ms;
  size_t words = 0;
  for (int i = 0; i < n; ++i) {
    auto t0 = Clock::now();
    auto v = Vectors();
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    words = v->size();
  }
  std::vector<double> sorted = ms;
  std::sort(sorted.begin(), sorted.end());
  std::printf("load %zu words: first %.1f ms, median %.1f ms, max %.1f ms over %d loads\n", words,
              ms[0], sorted[sorted.size() / 2], sorted.back(), n);
  return 0;
}

int Quant(const std::string& json, size_t pairs) {
  auto fv = echotrace::ReadWinkJson(json);
  if (!fv.ok()) Die(fv.status().ToString());
  auto v = Vectors();
  const int d = fv->dims;
  std::mt19937_64 rng(20261207);
  auto run = [&](size_t max_rank, const char* label) {
    std::vector<double> err;
    std::vector<size_t> idx;
    for (size_t i = 0; i < fv->words.size(); ++i) {
      if (fv->ranks[i] < max_rank) idx.push_back(i);
    }
    for (size_t q = 0; q < pairs; ++q) {
      size_t a = idx[rng() % idx.size()], b = idx[rng() % idx.size()];
      const float* x = &fv->values[a * static_cast<size_t>(d)];
      const float* y = &fv->values[b * static_cast<size_t>(d)];
      double xy = 0, xx = 0, yy = 0;
      for (int k = 0; k < d; ++k) xy += x[k] * y[k], xx += x[k] * x[k], yy += y[k] * y[k];
      double want = xx > 0 && yy > 0 ? xy / std::sqrt(xx * yy) : 0;
      double got = v->Cosine(v->Find(fv->words[a]), v->Find(fv->words[b]));
      err.push_back(std::fabs(got - want));
    }
    std::sort(err.begin(), err.end());
    double mean = std::accumulate(err.begin(), err.end(), 0.0) / static_cast<double>(err.size());
    std::printf("%-28s pairs %zu: |cos error| mean %.5f, p99 %.5f, max %.5f\n", label, pairs, mean,
                err[err.size() * 99 / 100], err.back());
  };
  run(SIZE_MAX, "all words");
  run(50000, "the 50,000 most frequent");
  return 0;
}

void Report(const char* label, const std::vector<double>& x, const std::vector<double>& gold) {
  std::printf("  %-44s Spearman %.4f  Pearson %.4f\n", label, Spearman(x, gold), Pearson(x, gold));
}

int Sts(const std::string& train_path, const std::string& dev_path) {
  auto v = Vectors();
  auto train = ReadSts(train_path), dev = ReadSts(dev_path);
  double per_sec = 0;
  auto st = Signals(train, v, nullptr);
  auto sd = Signals(dev, v, &per_sec);
  std::vector<double> gold, gold_train;
  for (auto& p : dev) gold.push_back(p.label);
  for (auto& p : train) gold_train.push_back(p.label);
  std::printf("STS-B dev, %zu pairs (train %zu); Compare %.0f pairs/s on one core\n", dev.size(),
              train.size(), per_sec);
  for (size_t j : {0, 1, 2, 6, 7, 8}) Report(kSignals[j].c_str(), Column(sd, j), gold);
  std::vector<double> lexical_score;  // what Compare gives without vectors
  for (auto& r : sd) lexical_score.push_back((r[9] - 0.25 * r[7] - 0.25 * r[8]) / 0.5);
  Report("combined score without vectors on dev", lexical_score, gold);
  Report("combined score (Compare) on dev", Column(sd, 9), gold);
  Report("combined score (Compare) on train", Column(st, 9), gold_train);
  Report("equal mix words+chars+sif", EqualMix(sd, {"words", "chars", "sif"}), gold);
  Report("equal mix words+chars+usif", EqualMix(sd, {"words", "chars", "usif"}), gold);
  Report("equal mix words+chars+align", EqualMix(sd, {"words", "chars", "align"}), gold);
  Report("equal mix words+chars+usif+align", EqualMix(sd, {"words", "chars", "usif", "align"}),
         gold);
  const std::vector<std::string> lexical = {"words", "chars", "lsa", "names", "numbers", "tag"};
  std::vector<std::string> all = lexical;
  all.insert(all.end(), {"sif", "usif", "align"});
  Report("least squares on train: lexical",
         ApplyLinear(sd, FitLinear(st, gold_train, lexical), lexical), gold);
  Eigen::VectorXd w = FitLinear(st, gold_train, all);
  Report("least squares on train: lexical + vectors", ApplyLinear(sd, w, all), gold);
  std::printf("  weights (intercept, %s", all[0].c_str());
  for (size_t j = 1; j < all.size(); ++j) std::printf(", %s", all[j].c_str());
  std::printf("):");
  for (Eigen::Index j = 0; j < w.size(); ++j) std::printf(" %.3f", w(j));
  std::printf("\n");
  return 0;
}

// Accuracy and F1 on `test` at the threshold that maximises accuracy on `fit`.
void Threshold(const char* label, const std::vector<double>& fit_x,
               const std::vector<double>& fit_y, const std::vector<double>& test_x,
               const std::vector<double>& test_y) {
  std::vector<double> cuts = fit_x;
  std::sort(cuts.begin(), cuts.end());
  double best = -1, best_t = 0;
  for (double t : cuts) {
    double right = 0;
    for (size_t i = 0; i < fit_x.size(); ++i) right += (fit_x[i] >= t) == (fit_y[i] > 0);
    if (right > best) best = right, best_t = t;
  }
  double tp = 0, fp = 0, fn = 0, right = 0;
  for (size_t i = 0; i < test_x.size(); ++i) {
    bool p = test_x[i] >= best_t, g = test_y[i] > 0;
    right += p == g;
    tp += p && g;
    fp += p && !g;
    fn += !p && g;
  }
  std::printf("  %-44s accuracy %.4f  F1 %.4f\n", label, right / static_cast<double>(test_x.size()),
              2 * tp / (2 * tp + fp + fn));
}

int Msrp(const std::string& path) {
  auto v = Vectors();
  auto pairs = ReadMsrp(path);
  auto rows = Signals(pairs, v, nullptr);
  std::vector<std::vector<double>> fit_rows, test_rows;
  std::vector<double> fit_y, test_y;
  for (size_t i = 0; i < pairs.size(); ++i) {
    (i % 5 == 0 ? test_rows : fit_rows).push_back(rows[i]);
    (i % 5 == 0 ? test_y : fit_y).push_back(pairs[i].label);
  }
  double pos = std::accumulate(test_y.begin(), test_y.end(), 0.0);
  std::printf("MSRP train, %zu pairs held back (every fifth; %.4f paraphrases), %zu to choose on\n",
              test_y.size(), pos / static_cast<double>(test_y.size()), fit_y.size());
  for (size_t j : {0, 1, 2, 6, 7, 8, 9}) {
    Threshold(kSignals[j].c_str(), Column(fit_rows, j), fit_y, Column(test_rows, j), test_y);
  }
  for (auto names : std::vector<std::vector<std::string>>{{"words", "chars", "sif"},
                                                          {"words", "chars", "usif"},
                                                          {"words", "chars", "align"},
                                                          {"words", "chars", "usif", "align"}}) {
    std::string label = "equal mix";
    for (auto& n : names) label += " " + n;
    Threshold(label.c_str(), EqualMix(fit_rows, names), fit_y, EqualMix(test_rows, names), test_y);
  }
  const std::vector<std::string> lexical = {"words", "chars", "lsa", "names", "numbers", "tag"};
  std::vector<std::string> all = lexical;
  all.insert(all.end(), {"sif", "usif", "align"});
  for (const std::vector<std::string>* names :
       std::vector<const std::vector<std::string>*>{&lexical, &all}) {
    Eigen::VectorXd w = FitLinear(fit_rows, fit_y, *names);
    Threshold(names == &lexical ? "least squares: lexical" : "least squares: lexical + vectors",
              ApplyLinear(fit_rows, w, *names), fit_y, ApplyLinear(test_rows, w, *names), test_y);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string cmd = argc > 1 ? argv[1] : "";
  if (cmd == "load") return Load(argc > 2 ? std::atoi(argv[2]) : 20);
  if (cmd == "quant" && argc >= 3) {
    return Quant(argv[2], argc > 3 ? static_cast<size_t>(std::atol(argv[3])) : 100000);
  }
  if (cmd == "sts" && argc == 4) return Sts(argv[2], argv[3]);
  if (cmd == "msrp" && argc == 3) return Msrp(argv[2]);
  std::fprintf(stderr,
               "usage: semantic_bench load [N] | quant JSON [PAIRS] | sts TRAIN DEV | msrp FILE\n");
  return 2;
}
