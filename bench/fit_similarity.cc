// fit_similarity: fits the same-claim model (src/similarity/same_claim.h)
// on the labelled pairs in ../shared/data and writes the model file.
//
//   build/fit_similarity --data ../shared/data -o src/similarity/same_claim_model.txt
//   (bash bench/fit_similarity.sh [BUILD_DIR] runs exactly that)
//
// Labelled pairs (each dataset's signals come from a SimilarityModel fitted
// on that dataset's own texts, as `echotrace compare` fits one on its input):
//   sts      STS-B train; same claim ⇔ score ≥ 3.5 (the annotators' mean is
//            nearer "4: mostly equivalent, unimportant details differ" than
//            "3: roughly equivalent, important information differs").
//   msrp     MSRP train; the paraphrase label.
//   checkthat CheckThat! 2022 2A train queries (tweet body, CleanPost) against
//            each relevant claim (same claim) and the 5 best non-relevant
//            claims of the matcher without dates (hard negatives).
//   titles   every 7th fact-check of vclaims.jsonl: its claim against its own
//            title (same claim), and its title against the claim of the
//            matcher's best other fact-check for that title (hard negative;
//            some are duplicates of the same claim by another fact-checker:
//            label noise we accept).
// Slices: MSRP pair i is in slice i mod 5 (as semantic_bench holds back
// every fifth pair); other pairs by XXH3 of their key mod 5, a CheckThat!
// query's pairs together. Slice 0 is held back from every choice and fit,
// and only measured at the end (log loss, Brier, accuracy, the reliability
// table, MSRP accuracy/F1 at 0.5). The feature set and L2 strength are chosen
// by 4-fold cross-validation over slices 1–4 (mean held-out log loss), then
// refitted on slices 1–4. STS-B dev is not used to fit or choose; its
// Spearman is printed at the end. Logistic regression by Newton's method to
// convergence: the same data writes the same file.
#include <xxhash.h>

#include <CLI/CLI.hpp>
#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <numeric>
#include <set>
#include <sstream>

#include "claims/eval.h"
#include "claims/matcher.h"
#include "claims/post.h"
#include "claims/records.h"
#include "echotrace/similarity.h"
#include "similarity/compare.h"
#include "similarity/same_claim.h"

namespace echotrace {
namespace {

[[noreturn]] void Die(const std::string& msg) {
  std::fprintf(stderr, "fit_similarity: %s\n", msg.c_str());
  std::exit(1);
}

struct Labelled {
  std::string a, b;
  double label = 0;
  std::string key;  // slice key
  int slice = -1;   // when fixed by the dataset
};

struct Example {
  int dataset = 0;
  int slice = 0;
  double label = 0;
  std::vector<double> vec, lex;  // SameClaimBaseValues with / without vectors
};

const char* kDatasets[] = {"sts", "msrp", "checkthat", "titles"};

std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> f;
  std::stringstream ss(line);
  std::string x;
  while (std::getline(ss, x, '\t')) f.push_back(x);
  return f;
}

std::vector<Labelled> ReadSts(const std::string& path, bool binary) {
  std::ifstream in(path);
  if (!in) Die(path + ": cannot open");
  std::vector<Labelled> out;
  std::string line;
  while (std::getline(in, line)) {
    auto f = SplitTabs(line);
    if (f.size() < 7) continue;
    double score = std::stod(f[4]);
    out.push_back({f[5], f[6], binary ? (score >= 3.5 ? 1.0 : 0.0) : score,
                   "sts:" + std::to_string(out.size()), -1});
  }
  return out;
}

std::vector<Labelled> ReadMsrp(const std::string& path) {
  std::ifstream in(path);
  if (!in) Die(path + ": cannot open");
  std::vector<Labelled> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto f = SplitTabs(line);
    if (f.size() >= 5 && (f[0] == "0" || f[0] == "1")) {
      int slice = static_cast<int>(out.size() % 5);
      out.push_back({f[3], f[4], f[0] == "1" ? 1.0 : 0.0, "", slice});
    }
  }
  return out;
}

// CheckThat! query → claim pairs and claim/title pairs (see the top).
void ReadCheckThat(const std::string& dir, std::vector<Labelled>* queries,
                   std::vector<Labelled>* titles) {
  auto claims = claims::ReadMatchRecords(dir + "/vclaims.jsonl");
  if (!claims.ok()) Die(claims.status().ToString());
  std::map<std::string, uint32_t> idx;
  for (uint32_t i = 0; i < claims->records.size(); ++i) idx[claims->records[i].id] = i;
  auto matcher = claims::Matcher::Build(claims->records);
  if (!matcher.ok()) Die(matcher.status().ToString());
  const claims::Matcher& m = **matcher;
  auto qs = claims::ReadMatchRecords(dir + "/train-dev.queries.tsv");
  if (!qs.ok()) Die(qs.status().ToString());
  auto qrels = claims::ReadQrels(dir + "/train.qrels.tsv");
  if (!qrels.ok()) Die(qrels.status().ToString());
  claims::MatchOptions mo;
  mo.use_dates = false;
  const claims::LinearModel& lm = claims::ShippedModel(false);
  for (const claims::MatchRecord& q : qs->records) {
    auto it = qrels->find(q.id);
    if (it == qrels->end() || it->second.empty()) continue;
    std::string body = claims::CleanPost(q.text).body;
    if (body.find_first_not_of(" \t\r\n") == std::string::npos) continue;
    std::set<uint32_t> relevant;
    for (const std::string& c : it->second) {
      auto ci = idx.find(c);
      if (ci == idx.end()) continue;
      relevant.insert(ci->second);
      queries->push_back({body, m.claim(ci->second).text, 1.0, "q:" + q.id, -1});
    }
    size_t negatives = 0;
    for (const claims::Candidate& c : m.Rank(q, lm, 5 + relevant.size(), mo)) {
      if (relevant.count(c.claim) || negatives == 5) continue;
      ++negatives;
      queries->push_back({body, m.claim(c.claim).text, 0.0, "q:" + q.id, -1});
    }
  }
  for (uint32_t i = 0; i < claims->records.size(); i += 7) {
    const claims::MatchRecord& c = claims->records[i];
    if (c.title.empty() || c.text.empty() || c.title == c.text) continue;
    titles->push_back({c.text, c.title, 1.0, "t:" + c.id, -1});
    claims::MatchRecord t;
    t.id = c.id;
    t.text = c.title;
    for (const claims::Candidate& k : m.Rank(t, lm, 2, mo)) {
      if (k.claim == i) continue;
      titles->push_back({c.title, m.claim(k.claim).text, 0.0, "t:" + c.id, -1});
      break;
    }
  }
}

// Signals of each pair with and without vectors, the models fitted on the
// pairs' own texts.
std::vector<Example> Examples(int dataset, const std::vector<Labelled>& pairs,
                              const std::shared_ptr<const WordVectors>& vectors) {
  std::vector<TextPair> tp;
  for (size_t i = 0; i < pairs.size(); ++i) tp.push_back({i + 1, pairs[i].a, pairs[i].b});
  SimilarityOptions with, without;
  with.word_vectors = vectors;
  auto sv = ComparePairs(tp, with);
  auto sl = ComparePairs(tp, without);
  if (!sv.ok()) Die(sv.status().ToString());
  if (!sl.ok()) Die(sl.status().ToString());
  std::vector<Example> out;
  for (size_t i = 0; i < pairs.size(); ++i) {
    Example e;
    e.dataset = dataset;
    e.label = pairs[i].label;
    e.slice = pairs[i].slice >= 0
                  ? pairs[i].slice
                  : static_cast<int>(XXH3_64bits(pairs[i].key.data(), pairs[i].key.size()) % 5);
    e.vec = sim::SameClaimBaseValues((*sv)[i]);
    e.lex = sim::SameClaimBaseValues((*sl)[i]);
    out.push_back(std::move(e));
  }
  return out;
}

// A feature set: names over the base signals (see same_claim.h).
std::vector<std::string> FeatureSet(bool vectors, bool length, bool products) {
  std::vector<std::string> base = {"words", "chars", "lsa", "names", "numbers", "tag_or_link"};
  if (vectors) base.insert(base.end(), {"sif", "usif", "align"});
  if (length) base.push_back("length_ratio");
  std::vector<std::string> out = base;
  if (products) {
    for (size_t i = 0; i < base.size(); ++i)
      for (size_t j = i; j < base.size(); ++j) {
        if (i == j && base[i] == "tag_or_link") continue;
        out.push_back(base[i] + "*" + base[j]);
      }
  }
  return out;
}

sim::SameClaimVariant Skeleton(const std::vector<std::string>& features) {
  sim::SameClaimModel m;
  std::string text = "format 1\nversion x\n";
  for (const char* v : {"vectors", "lexical"}) {
    text += std::string("variant ") + v + "\nfeatures";
    for (const auto& f : features) text += " " + f;
    text += "\nmean";
    for (size_t i = 0; i < features.size(); ++i) text += " 0";
    text += "\nscale";
    for (size_t i = 0; i < features.size(); ++i) text += " 1";
    text += "\nweights";
    for (size_t i = 0; i < features.size(); ++i) text += " 0";
    text += "\nbias 0\nend\n";
  }
  auto parsed = sim::ParseSameClaimModel(text);
  if (!parsed.ok()) Die(parsed.status().ToString());
  return parsed->vectors;
}

const std::vector<double>& Base(const Example& e, bool vectors) { return vectors ? e.vec : e.lex; }

// Fits `features` on `train` with L2 strength `lambda` (bias free).
sim::SameClaimVariant Fit(const std::vector<const Example*>& train,
                          const std::vector<std::string>& features, bool vectors, double lambda) {
  sim::SameClaimVariant v = Skeleton(features);
  const size_t k = features.size();
  // Standardise on the training rows.
  std::vector<std::vector<double>> raw;
  raw.reserve(train.size());
  for (const Example* e : train) raw.push_back(v.Standardized(Base(*e, vectors)));
  for (size_t j = 0; j < k; ++j) {
    double mean = 0, var = 0;
    for (auto& r : raw) {
      mean += r[j];
    }
    mean /= static_cast<double>(raw.size());
    for (auto& r : raw) var += (r[j] - mean) * (r[j] - mean);
    double sd = std::sqrt(var / static_cast<double>(raw.size()));
    v.mean[j] = mean;
    v.scale[j] = sd > 1e-9 ? sd : 1.0;
  }
  const Eigen::Index n = static_cast<Eigen::Index>(train.size());
  const Eigen::Index d = static_cast<Eigen::Index>(k) + 1;
  Eigen::MatrixXd x(n, d);
  Eigen::VectorXd y(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    std::vector<double> z = v.Standardized(Base(*train[static_cast<size_t>(i)], vectors));
    x(i, 0) = 1;
    for (size_t j = 0; j < k; ++j) x(i, static_cast<Eigen::Index>(j) + 1) = z[j];
    y(i) = train[static_cast<size_t>(i)]->label;
  }
  Eigen::VectorXd w = Eigen::VectorXd::Zero(d);
  Eigen::VectorXd reg = Eigen::VectorXd::Constant(d, lambda);
  reg(0) = 1e-9;
  for (int it = 0; it < 100; ++it) {
    Eigen::VectorXd p = (x * w).unaryExpr([](double t) { return 1.0 / (1.0 + std::exp(-t)); });
    Eigen::VectorXd g = x.transpose() * (p - y) + reg.cwiseProduct(w);
    Eigen::VectorXd h_w = p.cwiseProduct(Eigen::VectorXd::Ones(n) - p);
    Eigen::MatrixXd h = x.transpose() * h_w.asDiagonal() * x;
    h.diagonal() += reg;
    Eigen::VectorXd step = h.ldlt().solve(g);
    w -= step;
    if (step.cwiseAbs().maxCoeff() < 1e-12) break;
  }
  v.bias = w(0);
  for (size_t j = 0; j < k; ++j) v.weights[j] = w(static_cast<Eigen::Index>(j) + 1);
  return v;
}

double LogLoss(const std::vector<const Example*>& xs, const sim::SameClaimVariant& v,
               bool vectors) {
  double s = 0;
  for (const Example* e : xs) {
    double p = std::clamp(v.Probability(Base(*e, vectors)), 1e-12, 1 - 1e-12);
    s -= e->label > 0 ? std::log(p) : std::log(1 - p);
  }
  return s / static_cast<double>(xs.size());
}

std::vector<double> Ranks(const std::vector<double>& x) {
  std::vector<size_t> o(x.size());
  std::iota(o.begin(), o.end(), 0);
  std::sort(o.begin(), o.end(), [&](size_t a, size_t b) { return x[a] < x[b]; });
  std::vector<double> r(x.size());
  for (size_t i = 0; i < o.size();) {
    size_t j = i;
    while (j < o.size() && x[o[j]] == x[o[i]]) ++j;
    for (size_t q = i; q < j; ++q) r[o[q]] = 0.5 * static_cast<double>(i + j - 1);
    i = j;
  }
  return r;
}

double Pearson(const std::vector<double>& x, const std::vector<double>& y) {
  double mx = std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
  double my = std::accumulate(y.begin(), y.end(), 0.0) / static_cast<double>(y.size());
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  return sxy / std::sqrt(sxx * syy);
}

struct Choice {
  std::vector<std::string> features;
  double lambda = 0;
  double loss = 1e9;
  std::string label;
};

// The richer feature set (pairwise products) must lower the held-out log
// loss by more than kRicherGain (relative) to be chosen: its explanations
// are sums of large cancelling terms, and a model of fewer, bounded terms
// travels better to collections unlike the training data.
constexpr double kRicherGain = 0.02;

Choice Choose(const std::vector<Example>& all, bool vectors, std::string* log) {
  Choice best[2];  // without, with products
  for (bool products : {false, true}) {
    for (bool length : {false, true}) {
      auto features = FeatureSet(vectors, length, products);
      for (double lambda : {0.1, 1.0, 10.0, 100.0}) {
        double loss = 0;
        for (int fold = 1; fold <= 4; ++fold) {
          std::vector<const Example*> tr, te;
          for (const Example& e : all) {
            if (e.slice == 0) continue;
            (e.slice == fold ? te : tr).push_back(&e);
          }
          loss += LogLoss(te, Fit(tr, features, vectors, lambda), vectors) / 4;
        }
        char buf[200];
        std::snprintf(buf, sizeof buf, "%s length_ratio=%d products=%d lambda=%g: %.5f\n",
                      vectors ? "vectors" : "lexical", length, products, lambda, loss);
        *log += buf;
        std::fputs(buf, stderr);
        Choice& b = best[products ? 1 : 0];
        if (loss < b.loss - 1e-12) {
          b = {features, lambda, loss, ""};
          std::snprintf(buf, sizeof buf, "%s, length_ratio %s, lambda %g, log loss %.4f",
                        products ? "signals and their pairwise products" : "signals alone",
                        length ? "in" : "out", lambda, loss);
          b.label = buf;
        }
      }
    }
  }
  const bool richer = best[1].loss < best[0].loss * (1 - kRicherGain);
  best[richer ? 1 : 0].label += std::string(richer ? "; chosen over " : "; the products (") +
                                (richer ? best[0].label : best[1].label) +
                                (richer ? "" : ") gain less than 2%");
  return best[richer ? 1 : 0];
}

// Held-back figures of `v` on slice 0, and the reliability table; as
// '# ' lines for the model header (also printed).
std::string Report(const std::vector<Example>& all, const sim::SameClaimVariant& v, bool vectors,
                   const std::vector<Example>& sts_dev, const std::vector<double>& sts_gold) {
  std::string out;
  char buf[256];
  auto line = [&](const char* fmt, auto... args) {
    std::snprintf(buf, sizeof buf, fmt, args...);
    out += "# ";
    out += buf;
    out += "\n";
  };
  line("%s",
       "held back (slice 0): dataset  pairs  same-claim share  mean p  log loss  Brier  "
       "accuracy@0.5");
  std::vector<const Example*> held;
  for (int d = 0; d <= 4; ++d) {
    std::vector<const Example*> xs;
    for (const Example& e : all)
      if (e.slice == 0 && (d == 4 || e.dataset == d)) xs.push_back(&e);
    if (d == 4) held = xs;
    double pos = 0, brier = 0, right = 0, mean_p = 0;
    for (const Example* e : xs) {
      double p = v.Probability(Base(*e, vectors));
      pos += e->label;
      mean_p += p;
      brier += (p - e->label) * (p - e->label);
      right += (p >= 0.5) == (e->label > 0);
    }
    const double n = static_cast<double>(xs.size());
    line("  %-9s %5zu  %.3f  %.3f  %.4f  %.4f  %.4f", d == 4 ? "all" : kDatasets[d], xs.size(),
         pos / n, mean_p / n, LogLoss(xs, v, vectors), brier / n, right / n);
  }
  line("%s",
       "reliability (slice 0, all datasets): predicted range  pairs  mean predicted  observed");
  for (int b = 0; b < 10; ++b) {
    double n = 0, mp = 0, obs = 0;
    for (const Example* e : held) {
      double p = v.Probability(Base(*e, vectors));
      int bin = std::min(9, static_cast<int>(p * 10));
      if (bin != b) continue;
      n += 1, mp += p, obs += e->label;
    }
    if (n == 0) {
      line("  %.1f-%.1f      0", b / 10.0, (b + 1) / 10.0);
    } else {
      line("  %.1f-%.1f  %5.0f  %.3f  %.3f", b / 10.0, (b + 1) / 10.0, n, mp / n, obs / n);
    }
  }
  double tp = 0, fp = 0, fn = 0, right = 0, n = 0;
  for (const Example& e : all) {
    if (e.dataset != 1 || e.slice != 0) continue;
    bool p = v.Probability(Base(e, vectors)) >= 0.5, g = e.label > 0;
    n += 1, right += p == g, tp += p && g, fp += p && !g, fn += !p && g;
  }
  line(
      "MSRP held back (every 5th pair of train; MSRP test is not here): accuracy %.4f  F1 %.4f "
      "at p >= 0.5",
      right / n, 2 * tp / (2 * tp + fp + fn));
  std::vector<double> pr;
  pr.reserve(sts_dev.size());
  for (const Example& e : sts_dev) pr.push_back(v.Probability(Base(e, vectors)));
  line("STS-B dev (%zu pairs, never fitted on): Spearman %.4f  Pearson %.4f", sts_dev.size(),
       Pearson(Ranks(pr), Ranks(sts_gold)), Pearson(pr, sts_gold));
  std::fputs(out.c_str(), stderr);
  return out;
}

int Main(const std::string& data, const std::string& out_path) {
  auto vectors = LoadWordVectors("");
  if (!vectors.ok()) {
    Die(vectors.status().ToString());
  }
  std::vector<Labelled> checkthat, titles;
  ReadCheckThat(data + "/checkthat2022", &checkthat, &titles);
  std::vector<Example> all;
  for (auto [d, pairs] : {std::pair{0, ReadSts(data + "/sts/sts-train.csv", true)},
                          std::pair{1, ReadMsrp(data + "/msrp/msr_paraphrase_train.txt")},
                          std::pair{2, checkthat}, std::pair{3, titles}}) {
    auto ex = Examples(d, pairs, *vectors);
    double pos = 0;
    for (auto& e : ex) pos += e.label;
    std::fprintf(stderr, "%-9s %zu pairs, %.0f same claim\n", kDatasets[d], ex.size(), pos);
    all.insert(all.end(), ex.begin(), ex.end());
  }
  auto dev = ReadSts(data + "/sts/sts-dev.csv", false);
  std::vector<double> gold;
  gold.reserve(dev.size());
  for (auto& p : dev) gold.push_back(p.label);
  auto dev_ex = Examples(0, dev, *vectors);

  sim::SameClaimModel model;
  model.version = "same-claim-1";
  std::string header, log;
  for (bool vectors_on : {true, false}) {
    Choice c = Choose(all, vectors_on, &log);
    std::vector<const Example*> train;
    for (const Example& e : all) {
      if (e.slice != 0) train.push_back(&e);
    }
    sim::SameClaimVariant v = Fit(train, c.features, vectors_on, c.lambda);
    header += std::string("#\n# variant ") + (vectors_on ? "vectors" : "lexical") +
              " (chosen by 4-fold log loss on slices 1-4):\n#   " + c.label + "\n";
    header += Report(all, v, vectors_on, dev_ex, gold);
    (vectors_on ? model.vectors : model.lexical) = v;
  }
  std::string text =
      "# echotrace same-claim model: P(two texts make the same claim | their similarity\n"
      "# signals). Read by src/similarity/same_claim.cc (format below); docs/similarity.md.\n"
      "# Written by bench/fit_similarity.cc; reproduce with\n"
      "#   bash bench/fit_similarity.sh build\n"
      "# (build/fit_similarity --data ../shared/data -o src/similarity/same_claim_model.txt)\n"
      "# Do not edit by hand.\n" +
      header + "#\n" + FormatSameClaimModel(model);
  auto check = sim::ParseSameClaimModel(text);
  if (!check.ok()) Die("the written model does not parse: " + check.status().ToString());
  std::ofstream f(out_path, std::ios::binary);
  f << text;
  if (!f) Die(out_path + ": cannot write");
  std::fprintf(stderr, "wrote %s\n", out_path.c_str());
  return 0;
}

}  // namespace
}  // namespace echotrace

int main(int argc, char** argv) {
  // Nothing may escape main (bugprone-exception-escape): the flags parser and
  // std::stod over the data can throw.
  try {
    CLI::App app{"Fit the same-claim model (src/similarity/same_claim_model.txt)."};
    std::string data = "../shared/data", out = "same_claim_model.txt";
    app.add_option("--data", data, "the shared data folder (sts/, msrp/, checkthat2022/)");
    app.add_option("-o,--out", out, "model file to write");
    CLI11_PARSE(app, argc, argv);
    return echotrace::Main(data, out);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fit_similarity: %s\n", e.what());
    return 1;
  } catch (...) {
    std::fprintf(stderr, "fit_similarity: unknown error\n");
    return 1;
  }
}
