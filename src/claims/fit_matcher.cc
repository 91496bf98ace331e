// echotrace_fit_matcher: fits the re-ranking models the claim matcher ships
// (matcher_weights.inc) on the CLEF CheckThat! 2022 task 2A training data.
//
//   build/echotrace_fit_matcher --data ../shared/data/checkthat2022
//       -o src/claims/matcher_weights.inc    (one command line)
//
// Protocol (never looks at the test split):
//  1. Candidates and features (matcher.h) for every training query that has
//     qrels, split into five slices by a hash of the query id.
//  2. For each setting of the grid — pointwise or pairwise logistic
//     regression, L2 strength λ — fit on four slices and measure MAP@5 on
//     the held-back fifth, for each of the five; keep the setting with the
//     best mean (first on ties).
//  3. Refit that setting on all training queries and write the weights.
//     MAP@5 on dev-test is printed as a check; it chooses nothing.
// Done twice: with the date features and with them zeroed. Logistic
// regression is fitted by Newton's method (IRLS) to convergence, so the
// weights are a deterministic function of the data: rerunning writes the
// same file.
//
// The four files it writes (from build/, the data at ../../shared/data):
//   ./echotrace_fit_matcher --data D -o ../src/claims/matcher_weights.inc
//   ./echotrace_fit_matcher --vectors --data D -o ../src/claims/matcher_weights_vectors.inc
//   ./echotrace_fit_matcher --calibration --data D -o ../src/claims/match_calibration.inc
//   ./echotrace_fit_matcher --calibration --vectors --data D
//       -o ../src/claims/match_calibration_vectors.inc
// --vectors builds the matcher with the word vectors (features usif, align,
// same_claim_logit; `match --semantic`). --calibration fits only
// MatchCalibration for the shipped ranker (see Calibrate below); refit it
// after refitting the ranker. Note: matcher_weights.inc as shipped was
// fitted before the three vector features existed and padded with zero
// weight for them (the fit gives them zero weight anyway: they are 0
// without vectors).
#include <xxhash.h>

#include <CLI/CLI.hpp>
#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>

#include "claims/eval.h"
#include "claims/matcher.h"
#include "claims/records.h"

namespace echotrace::claims {
namespace {

struct QueryData {
  std::string id;
  std::vector<Candidate> cands;
  std::set<uint32_t> relevant;  // claim indices
  size_t total_relevant = 0;
};

Result<std::vector<QueryData>> Load(const Matcher& m, const std::map<std::string, uint32_t>& idx,
                                    const std::string& queries, const std::string& qrels_path,
                                    bool use_dates) {
  ET_ASSIGN_OR_RETURN(ReadResult q, ReadMatchRecords(queries));
  ET_ASSIGN_OR_RETURN(Qrels qrels, ReadQrels(qrels_path));
  std::vector<QueryData> out;
  MatchOptions o;
  o.use_dates = use_dates;
  for (const MatchRecord& r : q.records) {
    auto it = qrels.find(r.id);
    if (it == qrels.end() || it->second.empty()) continue;
    QueryData d;
    d.id = r.id;
    d.cands = m.Candidates(r, o);
    d.total_relevant = it->second.size();
    for (const auto& c : it->second) {
      auto ci = idx.find(c);
      if (ci != idx.end()) d.relevant.insert(ci->second);
    }
    out.push_back(std::move(d));
  }
  return out;
}

struct Standardizer {
  std::vector<double> mean, scale;
};

Standardizer Fit(const std::vector<const QueryData*>& qs) {
  size_t nf = FeatureNames().size();
  Standardizer s{std::vector<double>(nf, 0), std::vector<double>(nf, 0)};
  double n = 0;
  for (auto* q : qs)
    for (auto& c : q->cands) {
      for (size_t i = 0; i < nf; ++i) s.mean[i] += c.features[i];
      n += 1;
    }
  for (double& v : s.mean) v /= std::max(1.0, n);
  for (auto* q : qs)
    for (auto& c : q->cands)
      for (size_t i = 0; i < nf; ++i) s.scale[i] += std::pow(c.features[i] - s.mean[i], 2);
  for (double& v : s.scale) {
    v = std::sqrt(v / std::max(1.0, n));
    if (v < 1e-9) v = 1;
  }
  return s;
}

// Newton / IRLS for L2-regularised logistic regression. Column 0 of x is
// the bias (not regularised).
Eigen::VectorXd Logistic(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, double lambda) {
  const Eigen::Index d = x.cols();
  Eigen::VectorXd w = Eigen::VectorXd::Zero(d);
  Eigen::VectorXd reg = Eigen::VectorXd::Constant(d, lambda);
  reg(0) = 1e-6;
  for (int it = 0; it < 100; ++it) {
    Eigen::VectorXd z = x * w;
    Eigen::VectorXd p = z.unaryExpr([](double v) { return 1.0 / (1.0 + std::exp(-v)); });
    Eigen::VectorXd g = x.transpose() * (p - y) + reg.cwiseProduct(w);
    Eigen::VectorXd wt = p.cwiseProduct(Eigen::VectorXd::Ones(p.size()) - p);
    Eigen::MatrixXd h = x.transpose() * wt.asDiagonal() * x;
    h.diagonal() += reg;
    Eigen::VectorXd step = h.ldlt().solve(g);
    w -= step;
    if (step.cwiseAbs().maxCoeff() < 1e-12) break;
  }
  return w;
}

LinearModel Train(const std::vector<const QueryData*>& qs, bool pairwise, double lambda,
                  bool use_dates) {
  const size_t nf = FeatureNames().size();
  Standardizer st = Fit(qs);
  std::vector<std::vector<double>> rows;
  std::vector<double> ys;
  auto zrow = [&](const Candidate& c) {
    std::vector<double> z(nf);
    for (size_t i = 0; i < nf; ++i) z[i] = (c.features[i] - st.mean[i]) / st.scale[i];
    return z;
  };
  for (auto* q : qs) {
    if (!pairwise) {
      for (auto& c : q->cands) {
        rows.push_back(zrow(c));
        ys.push_back(q->relevant.count(c.claim) ? 1 : 0);
      }
      continue;
    }
    for (auto& p : q->cands) {
      if (!q->relevant.count(p.claim)) continue;
      auto zp = zrow(p);
      for (auto& n : q->cands) {
        if (q->relevant.count(n.claim)) continue;
        auto zn = zrow(n);
        std::vector<double> diff(nf);
        for (size_t i = 0; i < nf; ++i) diff[i] = zp[i] - zn[i];
        rows.push_back(diff);
        ys.push_back(1);
        for (double& v : diff) v = -v;
        rows.push_back(diff);
        ys.push_back(0);
      }
    }
  }
  Eigen::MatrixXd x(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(nf + 1));
  Eigen::VectorXd y(static_cast<Eigen::Index>(rows.size()));
  for (size_t r = 0; r < rows.size(); ++r) {
    x(static_cast<Eigen::Index>(r), 0) = pairwise ? 0.0 : 1.0;
    for (size_t i = 0; i < nf; ++i) {
      bool off = !use_dates && IsDateFeature(i);
      x(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(i + 1)) = off ? 0.0 : rows[r][i];
    }
    y(static_cast<Eigen::Index>(r)) = ys[r];
  }
  Eigen::VectorXd w = Logistic(x, y, lambda);
  LinearModel m;
  m.bias = w(0);
  m.mean = st.mean;
  m.scale = st.scale;
  for (size_t i = 0; i < nf; ++i) m.weights.push_back(w(static_cast<Eigen::Index>(i + 1)));
  return m;
}

double Map5(const std::vector<const QueryData*>& qs, const LinearModel& m) {
  if (qs.empty()) return 0;
  double sum = 0;
  for (auto* q : qs) {
    std::vector<std::pair<double, uint32_t>> s;
    for (auto& c : q->cands) s.emplace_back(-m.Score(c.features), c.claim);
    std::sort(s.begin(), s.end());
    double hits = 0, ap = 0;
    for (size_t i = 0; i < s.size() && i < 5; ++i) {
      if (q->relevant.count(s[i].second)) ap += ++hits / static_cast<double>(i + 1);
    }
    sum += ap / static_cast<double>(q->total_relevant);
  }
  return sum / static_cast<double>(qs.size());
}

std::vector<const QueryData*> Ptrs(const std::vector<QueryData>& v) {
  std::vector<const QueryData*> out;
  for (auto& q : v) out.push_back(&q);
  return out;
}

void WriteModel(FILE* f, const char* name, const LinearModel& m, const std::string& note) {
  std::fprintf(f, "// %s\nconst ShippedWeights %s = {\n    %.17g,\n", note.c_str(), name, m.bias);
  for (const auto* v : {&m.mean, &m.scale, &m.weights}) {
    std::fprintf(f, "    {");
    for (size_t i = 0; i < v->size(); ++i) std::fprintf(f, "%s%.17g", i ? ", " : "", (*v)[i]);
    std::fprintf(f, "},\n");
  }
  std::fprintf(f, "};\n");
}

Status FitAndWrite(const std::string& dir, const std::string& out_path,
                   std::shared_ptr<const WordVectors> vectors) {
  const bool with_vectors = vectors != nullptr;
  ET_ASSIGN_OR_RETURN(ReadResult claims, ReadMatchRecords(dir + "/vclaims.jsonl"));
  std::map<std::string, uint32_t> idx;
  for (uint32_t i = 0; i < claims.records.size(); ++i) idx[claims.records[i].id] = i;
  ET_ASSIGN_OR_RETURN(auto matcher, Matcher::Build(claims.records, vectors));
  FILE* f = std::fopen(out_path.c_str(), "w");
  if (!f) return Status::IOError(out_path + ": cannot write");
  std::fprintf(f,
               "// Written by echotrace_fit_matcher (src/claims/fit_matcher.cc) from\n"
               "// ../shared/data/checkthat2022 train queries; do not edit by hand.\n"
               "// Feature order: matcher.cc FeatureNames().\n");
  for (bool dates : {true, false}) {
    ET_ASSIGN_OR_RETURN(auto train, Load(*matcher, idx, dir + "/train-dev.queries.tsv",
                                         dir + "/train.qrels.tsv", dates));
    ET_ASSIGN_OR_RETURN(auto devtest, Load(*matcher, idx, dir + "/dev-test.queries.tsv",
                                           dir + "/dev-test.qrels.tsv", dates));
    // Five held-back slices (hash of the query id mod 5): each setting is
    // fitted on four and scored on the fifth, five times; one slice alone
    // (~200 queries) proved too noisy to choose between settings.
    std::vector<const QueryData*> fit[5], held[5];
    for (auto& q : train) {
      size_t slice = XXH3_64bits(q.id.data(), q.id.size()) % 5;
      for (size_t s = 0; s < 5; ++s) (s == slice ? held[s] : fit[s]).push_back(&q);
    }
    double best = -1, best_lambda = 0;
    bool best_pairwise = false;
    for (bool pairwise : {false, true}) {
      for (double lambda : {0.1, 1.0, 10.0, 100.0, 1000.0}) {
        double sum = 0;
        for (size_t s = 0; s < 5; ++s) sum += Map5(held[s], Train(fit[s], pairwise, lambda, dates));
        double score = sum / 5;
        std::fprintf(stderr, "dates=%d pairwise=%d lambda=%g  held-back MAP@5 %.4f\n", dates,
                     pairwise, lambda, score);
        if (score > best) {
          best = score;
          best_lambda = lambda;
          best_pairwise = pairwise;
        }
      }
    }
    LinearModel m = Train(Ptrs(train), best_pairwise, best_lambda, dates);
    double dev = Map5(Ptrs(devtest), m);
    char note[256];
    std::snprintf(
        note, sizeof note,
        "%s dates: %s, lambda %g; held-back train MAP@5 (5 slices) %.4f, dev-test MAP@5 %.4f "
        "(%zu train queries)",
        dates ? "with" : "without", best_pairwise ? "pairwise" : "pointwise", best_lambda, best,
        dev, train.size());
    std::fprintf(stderr, "chosen: %s\n", note);
    WriteModel(f,
               with_vectors ? (dates ? "kShippedVectorsWithDates" : "kShippedVectorsWithoutDates")
                            : (dates ? "kShippedWithDates" : "kShippedWithoutDates"),
               m, note);
  }
  std::fclose(f);
  return Status::OK();
}

// --calibration: fits MatchCalibration (matcher.h) for the shipped ranker
// models and writes match_calibration.inc. Rows: the top 5 candidates of
// every training query (label: relevant), and the top 5 once its relevant
// claims are left out of the collection (all 0: a post with no known
// claim). Checked on dev-test the same two ways, never fitted on it: the
// best candidate's probability against thresholds.
Status Calibrate(const std::string& dir, const std::string& out_path,
                 std::shared_ptr<const WordVectors> vectors) {
  const bool with_vectors = vectors != nullptr;
  ET_ASSIGN_OR_RETURN(ReadResult claims, ReadMatchRecords(dir + "/vclaims.jsonl"));
  std::map<std::string, uint32_t> idx;
  for (uint32_t i = 0; i < claims.records.size(); ++i) idx[claims.records[i].id] = i;
  ET_ASSIGN_OR_RETURN(auto matcher, Matcher::Build(claims.records, vectors));
  struct Q {
    MatchRecord rec;
    std::vector<uint32_t> relevant;
  };
  auto load = [&](const std::string& queries,
                  const std::string& qrels_path) -> Result<std::vector<Q>> {
    ET_ASSIGN_OR_RETURN(ReadResult q, ReadMatchRecords(queries));
    ET_ASSIGN_OR_RETURN(Qrels qrels, ReadQrels(qrels_path));
    std::vector<Q> out;
    for (const MatchRecord& r : q.records) {
      auto it = qrels.find(r.id);
      if (it == qrels.end() || it->second.empty()) continue;
      Q x{r, {}};
      for (const auto& c : it->second) {
        auto ci = idx.find(c);
        if (ci != idx.end()) x.relevant.push_back(ci->second);
      }
      out.push_back(std::move(x));
    }
    return out;
  };
  ET_ASSIGN_OR_RETURN(auto train, load(dir + "/train-dev.queries.tsv", dir + "/train.qrels.tsv"));
  ET_ASSIGN_OR_RETURN(auto devtest,
                      load(dir + "/dev-test.queries.tsv", dir + "/dev-test.qrels.tsv"));
  MatchCalibration identity;
  identity.weights = {1, 0, 0, 0, 0};
  auto inputs = [](const Candidate& c) {
    const double p = std::clamp(c.same_claim, 1e-6, 1 - 1e-6);
    return std::vector<double>{c.score,
                               std::log(p / (1 - p)),
                               c.features[1] /* bm25_all_raw */,
                               c.features[16] /* query_coverage */,
                               c.features[17] /* claim_coverage */,
                               c.margin};
  };
  FILE* f = std::fopen(out_path.c_str(), "w");
  if (!f) return Status::IOError(out_path + ": cannot write");
  std::fprintf(f,
               "// Written by echotrace_fit_matcher --calibration (src/claims/fit_matcher.cc)\n"
               "// from ../shared/data/checkthat2022 train queries; do not edit by hand.\n"
               "// Inputs: matcher.h CalibrationInputs().\n");
  for (bool dates : {true, false}) {
    MatchOptions mo;
    mo.use_dates = dates;
    const LinearModel& model = ShippedModel(dates, with_vectors);
    std::vector<std::vector<double>> rows;
    std::vector<double> ys;
    for (const Q& q : train) {
      for (bool leave_out : {false, true}) {
        MatchOptions o = mo;
        if (leave_out) o.exclude = q.relevant;
        for (const Candidate& c : matcher->Rank(q.rec, model, 5, o, &identity)) {
          rows.push_back(inputs(c));
          ys.push_back(std::count(q.relevant.begin(), q.relevant.end(), c.claim) ? 1 : 0);
        }
      }
    }
    Eigen::MatrixXd x(static_cast<Eigen::Index>(rows.size()), 7);
    Eigen::VectorXd y(static_cast<Eigen::Index>(rows.size()));
    for (size_t r = 0; r < rows.size(); ++r) {
      x(static_cast<Eigen::Index>(r), 0) = 1;
      for (size_t j = 0; j < 6; ++j)
        x(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(j + 1)) = rows[r][j];
      y(static_cast<Eigen::Index>(r)) = ys[r];
    }
    // λ = 1 on the raw inputs (thousands of rows): keeps Newton's steps
    // finite when the inputs nearly separate the classes.
    Eigen::VectorXd w = Logistic(x, y, 1.0);
    std::fprintf(stderr, "calibration (%s dates, %zu rows): bias %g, weights",
                 dates ? "with" : "without", rows.size(), w(0));
    for (Eigen::Index j = 1; j < 7; ++j) std::fprintf(stderr, " %g", w(j));
    std::fprintf(stderr, "\n");
    if (!w.allFinite()) return Status::Internal("the calibration did not converge");
    MatchCalibration cal;
    cal.bias = w(0);
    for (Eigen::Index j = 1; j < 7; ++j) cal.weights.push_back(w(j));
    // dev-test: the best candidate's probability, with and without its claim.
    struct Top {
      double p;
      bool relevant, leave_out;
    };
    std::vector<Top> tops;
    for (const Q& q : devtest) {
      for (bool leave_out : {false, true}) {
        MatchOptions o = mo;
        if (leave_out) o.exclude = q.relevant;
        auto r = matcher->Rank(q.rec, model, 1, o, &cal);
        if (r.empty()) continue;
        tops.push_back({r[0].probability,
                        std::count(q.relevant.begin(), q.relevant.end(), r[0].claim) > 0,
                        leave_out});
      }
    }
    std::string table;
    char buf[200];
    std::snprintf(buf, sizeof buf,
                  "// %s dates: dev-test, %zu posts whose claim is in the collection and the same "
                  "posts with it left out\n//   min-score  precision  recall  false alarms "
                  "(posts without a known claim given one)\n",
                  dates ? "with" : "without", devtest.size());
    table += buf;
    for (double t : {0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95}) {
      double kept = 0, right = 0, found = 0, alarms = 0, with = 0, without = 0;
      for (const Top& top : tops) {
        (top.leave_out ? without : with) += 1;
        if (top.p < t) continue;
        kept += 1;
        right += top.relevant;
        found += !top.leave_out && top.relevant;
        alarms += top.leave_out;
      }
      std::snprintf(buf, sizeof buf, "//   %.2f       %.3f      %.3f   %.3f\n", t,
                    kept > 0 ? right / kept : 1.0, found / with, alarms / without);
      table += buf;
    }
    table +=
        "//   reliability of the best candidate's probability: range  posts  mean p  correct\n";
    for (int b = 0; b < 10; ++b) {
      double n = 0, mp = 0, ok = 0;
      for (const Top& top : tops) {
        if (std::min(9, static_cast<int>(top.p * 10)) != b) continue;
        n += 1, mp += top.p, ok += top.relevant;
      }
      std::snprintf(buf, sizeof buf, "//   %.1f-%.1f  %4.0f  %.3f  %.3f\n", b / 10.0,
                    (b + 1) / 10.0, n, n > 0 ? mp / n : 0, n > 0 ? ok / n : 0);
      table += buf;
    }
    std::fputs(table.c_str(), stderr);
    std::fputs(table.c_str(), f);
    std::fprintf(f, "const ShippedCalibrationWeights %s = {%.17g, {",
                 with_vectors
                     ? (dates ? "kCalibrationVectorsWithDates" : "kCalibrationVectorsWithoutDates")
                     : (dates ? "kCalibrationWithDates" : "kCalibrationWithoutDates"),
                 cal.bias);
    for (size_t j = 0; j < 6; ++j) std::fprintf(f, "%s%.17g", j ? ", " : "", cal.weights[j]);
    std::fprintf(f, "}};\n");
  }
  std::fclose(f);
  return Status::OK();
}

}  // namespace
}  // namespace echotrace::claims

int main(int argc, char** argv) {
  CLI::App app{"Fit the claim matcher's re-ranking weights on CheckThat! 2022 2A train."};
  std::string data = "../shared/data/checkthat2022", out = "matcher_weights.inc";
  app.add_option("--data", data, "the checkthat2022 folder");
  app.add_option("-o,--out", out, "weights file to write");
  bool calibration = false, with_vectors = false;
  app.add_flag("--vectors", with_vectors,
               "build the matcher with the word vectors and write the vectors models "
               "(matcher_weights_vectors.inc, match_calibration_vectors.inc)");
  app.add_flag("--calibration", calibration,
               "fit only the calibration of the shipped models (match_calibration.inc)");
  CLI11_PARSE(app, argc, argv);
  std::shared_ptr<const echotrace::WordVectors> vectors;
  if (with_vectors) {
    auto v = echotrace::LoadWordVectors("");
    if (!v.ok()) {
      std::fprintf(stderr, "echotrace_fit_matcher: %s\n", v.status().ToString().c_str());
      return echotrace::ExitCodeFor(v.status());
    }
    vectors = *v;
  }
  echotrace::Status s = calibration ? echotrace::claims::Calibrate(data, out, vectors)
                                    : echotrace::claims::FitAndWrite(data, out, vectors);
  if (!s.ok()) {
    std::fprintf(stderr, "echotrace_fit_matcher: %s\n", s.ToString().c_str());
    return echotrace::ExitCodeFor(s);
  }
  return 0;
}
