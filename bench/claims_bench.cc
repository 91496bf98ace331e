// claims_bench: the similarity engine and claim search on the real data.
// A benchmark program, not a test; figures go to BENCHMARKS.md.
//
//   claims_bench sts TRAIN DEV      Pearson r on STS Benchmark dev: the engine's
//                                   default combined score, each signal alone,
//                                   and a least-squares combination of the
//                                   signals fitted on TRAIN's scores.
//                                   The model (idf, LSA) is fitted on the
//                                   sentences of TRAIN (no labels).
//   claims_bench msrp FILE          MSRP paraphrase accuracy at the best
//                                   threshold under 10-fold cross-validation
//                                   (threshold chosen on 9 folds, accuracy on
//                                   the 10th), for the combined score. The
//                                   model is fitted on FILE's sentences.
//   claims_bench stems TEXT...     the language the analyzer detects for each
//                                   TEXT and the terms it makes of it.
//   claims_bench search DB [N]      `search` latency (library call, store open
//                                   once): p50/p99 over N (default 1000)
//                                   queries of three words drawn from random
//                                   stored documents (seeded).
#include <Eigen/Dense>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "claims/search.h"
#include "echotrace/similarity.h"
#include "echotrace/store.h"
#include "similarity/analyzer.h"
#include "text/tokenizer.h"

namespace {

using echotrace::SimilarityModel;
using echotrace::SimilarityOptions;
using echotrace::SimilaritySignals;

std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> f;
  std::stringstream ss(line);
  std::string x;
  while (std::getline(ss, x, '\t')) f.push_back(x);
  return f;
}

struct Pair {
  double label = 0;
  std::string a, b;
};

std::vector<Pair> ReadSts(const std::string& path) {
  std::ifstream in(path);
  std::vector<Pair> out;
  std::string line;
  while (std::getline(in, line)) {
    auto f = SplitTabs(line);
    if (f.size() < 7) continue;
    out.push_back({std::stod(f[4]), f[5], f[6]});
  }
  return out;
}

std::vector<Pair> ReadMsrp(const std::string& path) {
  std::ifstream in(path);
  std::vector<Pair> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto f = SplitTabs(line);
    if (f.size() < 5 || (f[0] != "0" && f[0] != "1")) continue;
    out.push_back({f[0] == "1" ? 1.0 : 0.0, f[3], f[4]});
  }
  return out;
}

double Pearson(const std::vector<double>& x, const std::vector<double>& y) {
  double mx = 0, my = 0;
  for (size_t i = 0; i < x.size(); ++i) mx += x[i], my += y[i];
  mx /= x.size();
  my /= y.size();
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  return sxy / std::sqrt(sxx * syy);
}

std::vector<double> SignalRow(const SimilaritySignals& s) {
  return {1.0, s.words, s.chars, s.lsa, s.names, s.numbers, s.tag_or_link ? 1.0 : 0.0};
}

std::unique_ptr<SimilarityModel> FitOn(const std::vector<Pair>& pairs) {
  std::vector<std::string> texts;
  for (const Pair& p : pairs) {
    texts.push_back(p.a);
    texts.push_back(p.b);
  }
  auto m = SimilarityModel::Fit(texts, SimilarityOptions{});
  if (!m.ok()) {
    std::fprintf(stderr, "%s\n", m.status().ToString().c_str());
    std::exit(1);
  }
  return std::move(*m);
}

int Sts(const std::string& train_path, const std::string& dev_path) {
  auto train = ReadSts(train_path), dev = ReadSts(dev_path);
  auto model = FitOn(train);
  auto signals = [&](const std::vector<Pair>& ps) {
    std::vector<SimilaritySignals> out;
    for (const Pair& p : ps) out.push_back(model->Compare(p.a, p.b));
    return out;
  };
  auto st = signals(train), sd = signals(dev);
  std::vector<double> gold, combined;
  for (size_t i = 0; i < dev.size(); ++i)
    gold.push_back(dev[i].label), combined.push_back(sd[i].score);
  std::printf("STS dev pairs %zu (train %zu)\n", dev.size(), train.size());
  std::printf("  default combined score   r = %.4f\n", Pearson(combined, gold));
  const char* names[] = {"", "words", "chars", "lsa", "names", "numbers", "tag_or_link"};
  for (size_t j = 1; j < 4; ++j) {
    std::vector<double> x;
    for (auto& s : sd) x.push_back(SignalRow(s)[j]);
    std::printf("  %-24s r = %.4f\n", names[j], Pearson(x, gold));
  }
  // Least squares on the train labels (ridge 1e-3 for the rank-deficient
  // columns, e.g. tag_or_link on captions).
  Eigen::MatrixXd x(static_cast<Eigen::Index>(train.size()), 7);
  Eigen::VectorXd y(static_cast<Eigen::Index>(train.size()));
  for (size_t i = 0; i < train.size(); ++i) {
    auto r = SignalRow(st[i]);
    for (int j = 0; j < 7; ++j) x(static_cast<Eigen::Index>(i), j) = r[j];
    y(static_cast<Eigen::Index>(i)) = train[i].label;
  }
  Eigen::MatrixXd a = x.transpose() * x + 1e-3 * Eigen::MatrixXd::Identity(7, 7);
  Eigen::VectorXd w = a.ldlt().solve(x.transpose() * y);
  std::vector<double> fitted;
  for (auto& s : sd) {
    auto r = SignalRow(s);
    double v = 0;
    for (int j = 0; j < 7; ++j) v += w(j) * r[j];
    fitted.push_back(v);
  }
  std::printf("  signals fitted on train  r = %.4f\n", Pearson(fitted, gold));
  return 0;
}

int Msrp(const std::string& path) {
  auto pairs = ReadMsrp(path);
  auto model = FitOn(pairs);
  std::vector<double> score;
  for (const Pair& p : pairs) score.push_back(model->Compare(p.a, p.b).score);
  const size_t folds = 10;
  double acc_sum = 0;
  for (size_t f = 0; f < folds; ++f) {
    std::vector<std::pair<double, double>> tr;
    for (size_t i = 0; i < pairs.size(); ++i) {
      if (i % folds != f) tr.emplace_back(score[i], pairs[i].label);
    }
    std::sort(tr.begin(), tr.end());
    // Threshold t: predict paraphrase when score >= t. Scan every cut.
    double pos_total = 0;
    for (auto& e : tr) pos_total += e.second;
    double best = -1, best_t = 0, neg_below = 0, pos_below = 0;
    for (size_t i = 0; i <= tr.size(); ++i) {
      double correct = neg_below + (pos_total - pos_below);
      if (correct > best) {
        best = correct;
        best_t = i < tr.size() ? tr[i].first : 1e9;
      }
      if (i < tr.size()) (tr[i].second > 0 ? pos_below : neg_below) += 1;
    }
    double right = 0, n = 0;
    for (size_t i = f; i < pairs.size(); i += folds) {
      right += ((score[i] >= best_t) == (pairs[i].label > 0));
      n += 1;
    }
    acc_sum += right / n;
  }
  size_t pos = 0;
  for (auto& p : pairs) pos += p.label > 0;
  std::printf("MSRP train pairs %zu (%zu paraphrases, majority class %.4f)\n", pairs.size(), pos,
              static_cast<double>(pos) / pairs.size());
  std::printf("  10-fold CV accuracy at the best threshold: %.4f\n", acc_sum / folds);
  return 0;
}

int Search(const std::string& db, int n) {
  auto store = echotrace::Store::Open(db, echotrace::OpenMode::kReadOnly);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
    return 1;
  }
  auto count = (*store)->CountDocuments();
  if (!count.ok() || *count == 0) return 1;
  std::mt19937_64 rng(1);
  std::vector<std::string> queries;
  while (static_cast<int>(queries.size()) < n) {
    auto d = (*store)->GetDocument(static_cast<int64_t>(1 + rng() % *count));
    if (!d.ok() || !*d) continue;
    std::vector<std::string> words;
    for (const auto& t : echotrace::Tokenize((*d)->text)) {
      if (t.kind == echotrace::TokenKind::kWord && t.norm.size() > 3) words.push_back(t.norm);
    }
    if (words.size() < 3) continue;
    std::shuffle(words.begin(), words.end(), rng);
    queries.push_back(words[0] + " " + words[1] + " " + words[2]);
  }
  // For comparison: Store::Search with k 100 (all query terms, FTS5 snippets).
  std::vector<double> fts;
  for (const auto& q : queries) {
    auto t0 = std::chrono::steady_clock::now();
    auto r = (*store)->Search(q, 100);
    fts.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(fts.begin(), fts.end());
  std::printf("Store::Search (k 100):     %zu queries  p50 %.1f ms  p90 %.1f ms  p99 %.1f ms\n",
              fts.size(), fts[fts.size() / 2], fts[fts.size() * 9 / 10],
              fts[fts.size() * 99 / 100]);
  std::vector<double> ms;
  echotrace::claims::ClaimSearchOptions o;
  for (const auto& q : queries) {
    auto t0 = std::chrono::steady_clock::now();
    auto r = echotrace::claims::SearchClaims(store->get(), q, o);
    ms.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    if (!r.ok()) std::fprintf(stderr, "%s: %s\n", q.c_str(), r.status().ToString().c_str());
  }
  std::sort(ms.begin(), ms.end());
  std::printf("search (k 10, recall 100): %zu queries  p50 %.1f ms  p90 %.1f ms  p99 %.1f ms\n",
              ms.size(), ms[ms.size() / 2], ms[ms.size() * 9 / 10], ms[ms.size() * 99 / 100]);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "sts" && argc == 4) return Sts(argv[2], argv[3]);
  if (mode == "msrp" && argc == 3) return Msrp(argv[2]);
  if (mode == "stems") {
    echotrace::sim::Analyzer a;
    for (int i = 2; i < argc; ++i) {
      std::string lang = a.LanguageOf(argv[i]);
      std::printf("[%s] %s\n   ", lang.c_str(), argv[i]);
      for (const auto& t : a.Terms(argv[i], lang)) std::printf(" %s", t.c_str());
      std::printf("\n");
    }
    return 0;
  }
  if (mode == "search" && argc >= 3) return Search(argv[2], argc > 3 ? std::atoi(argv[3]) : 1000);
  std::fprintf(stderr, "usage: claims_bench sts TRAIN DEV | msrp FILE | search DB [N]\n");
  return 2;
}
