// The calibrated same-claim probability; see same_claim.h.
#include "similarity/same_claim.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace echotrace {
namespace sim {

namespace {

// The shipped model's text: same_claim_model.txt as a string literal
// (CMakeLists.txt generates the wrapper at configure time).
constexpr char kShippedText[] =
#include "same_claim_model.inc"
    ;

std::vector<std::string> Words(std::string_view line) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t' && line[j] != '\r') ++j;
    if (j > i) out.emplace_back(line.substr(i, j - i));
    i = j;
  }
  return out;
}

int BaseIndex(const std::string& name) {
  const auto& b = SameClaimBaseFeatures();
  for (size_t i = 0; i < b.size(); ++i) {
    if (b[i] == name) return static_cast<int>(i);
  }
  return -1;
}

bool ParseNumber(const std::string& s, double* out) {
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (end == s.c_str() || *end != '\0' || !std::isfinite(v)) return false;
  *out = v;
  return true;
}

}  // namespace

const std::vector<std::string>& SameClaimBaseFeatures() {
  static const std::vector<std::string> kNames = {"words",   "chars",       "lsa", "names",
                                                  "numbers", "tag_or_link", "sif", "usif",
                                                  "align",   "length_ratio"};
  return kNames;
}

std::vector<double> SameClaimBaseValues(const SimilaritySignals& s) {
  return {s.words, s.chars, s.lsa,   s.names,       s.numbers, s.tag_or_link ? 1.0 : 0.0,
          s.sif,   s.usif,  s.align, s.length_ratio};
}

std::vector<double> SameClaimVariant::Standardized(const std::vector<double>& base) const {
  std::vector<double> z(terms.size());
  for (size_t i = 0; i < terms.size(); ++i) {
    const auto [a, b] = terms[i];
    double x = base[static_cast<size_t>(a)];
    if (b >= 0) x *= base[static_cast<size_t>(b)];
    z[i] = (x - mean[i]) / scale[i];
  }
  return z;
}

double SameClaimVariant::Logit(const std::vector<double>& base) const {
  double t = bias;
  std::vector<double> z = Standardized(base);
  for (size_t i = 0; i < z.size(); ++i) t += weights[i] * z[i];
  return t;
}

double SameClaimVariant::Probability(const std::vector<double>& base) const {
  return 1.0 / (1.0 + std::exp(-Logit(base)));
}

double SameClaimModel::Probability(const SimilaritySignals& s) const {
  return For(s).Probability(SameClaimBaseValues(s));
}

Result<SameClaimModel> ParseSameClaimModel(std::string_view text) {
  SameClaimModel m;
  bool have_format = false, have_vectors = false, have_lexical = false;
  SameClaimVariant* cur = nullptr;
  bool have_bias = false;
  size_t lineno = 0, pos = 0;
  auto bad = [&](const std::string& why) {
    return Status::BadInput("same-claim model, line " + std::to_string(lineno) + ": " + why);
  };
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++lineno;
    std::vector<std::string> w = Words(line);
    if (w.empty() || w[0][0] == '#') continue;
    const std::string& key = w[0];
    if (key == "format") {
      if (w.size() != 2 || w[1] != "1") return bad("only format 1 is known");
      have_format = true;
      continue;
    }
    if (!have_format) return bad("the first line must be 'format 1'");
    if (key == "version") {
      if (w.size() != 2) return bad("version takes one word");
      m.version = w[1];
    } else if (key == "variant") {
      if (cur != nullptr) return bad("variant before the previous one's 'end'");
      if (w.size() != 2 || (w[1] != "vectors" && w[1] != "lexical"))
        return bad("variant must be 'vectors' or 'lexical'");
      bool& seen = w[1] == "vectors" ? have_vectors : have_lexical;
      if (seen) return bad("variant " + w[1] + " given twice");
      seen = true;
      cur = w[1] == "vectors" ? &m.vectors : &m.lexical;
      have_bias = false;
    } else if (cur == nullptr) {
      return bad("'" + key + "' outside a variant");
    } else if (key == "features") {
      for (size_t i = 1; i < w.size(); ++i) {
        size_t star = w[i].find('*');
        int a = BaseIndex(w[i].substr(0, star));
        int b = star == std::string::npos ? -1 : BaseIndex(w[i].substr(star + 1));
        if (a < 0 || (star != std::string::npos && b < 0))
          return bad("unknown feature '" + w[i] + "'");
        cur->features.push_back(w[i]);
        cur->terms.emplace_back(a, b);
      }
    } else if (key == "mean" || key == "scale" || key == "weights") {
      std::vector<double>& v = key == "mean"    ? cur->mean
                               : key == "scale" ? cur->scale
                                                : cur->weights;
      for (size_t i = 1; i < w.size(); ++i) {
        double x = 0;
        if (!ParseNumber(w[i], &x)) return bad("'" + w[i] + "' is not a finite number");
        if (key == "scale" && x <= 0) return bad("a scale must be positive");
        v.push_back(x);
      }
    } else if (key == "bias") {
      if (w.size() != 2 || !ParseNumber(w[1], &cur->bias)) return bad("bias takes one number");
      have_bias = true;
    } else if (key == "end") {
      const size_t n = cur->features.size();
      if (n == 0) return bad("a variant without features");
      if (cur->mean.size() != n || cur->scale.size() != n || cur->weights.size() != n)
        return bad("mean, scale and weights must each have one number per feature");
      if (!have_bias) return bad("a variant without a bias");
      cur = nullptr;
    } else {
      return bad("unknown keyword '" + key + "'");
    }
  }
  ++lineno;
  if (!have_format) return bad("empty model (no 'format 1')");
  if (cur != nullptr) return bad("the last variant has no 'end'");
  if (!have_vectors || !have_lexical) return bad("both variants (vectors, lexical) are needed");
  return m;
}

std::string FormatSameClaimModel(const SameClaimModel& m) {
  std::string out = "format 1\nversion " + m.version + "\n";
  char buf[64];
  for (const auto& [name, v] :
       {std::pair{"vectors", &m.vectors}, std::pair{"lexical", &m.lexical}}) {
    out += std::string("variant ") + name + "\nfeatures";
    for (const std::string& f : v->features) out += " " + f;
    out += "\n";
    for (const auto& [key, xs] : {std::pair{"mean", &v->mean}, std::pair{"scale", &v->scale},
                                  std::pair{"weights", &v->weights}}) {
      out += key;
      for (double x : *xs) {
        std::snprintf(buf, sizeof buf, " %.17g", x);
        out += buf;
      }
      out += "\n";
    }
    std::snprintf(buf, sizeof buf, "bias %.17g\nend\n", v->bias);
    out += buf;
  }
  return out;
}

const SameClaimModel& ShippedSameClaimModel() {
  static const SameClaimModel kModel = [] {
    Result<SameClaimModel> m = ParseSameClaimModel(kShippedText);
    if (!m.ok()) {
      // The file is part of the source and a test parses it: a broken one
      // is a build defect, not a run-time condition.
      std::fprintf(stderr, "echotrace: %s\n", m.status().ToString().c_str());
      std::abort();
    }
    return *std::move(m);
  }();
  return kModel;
}

}  // namespace sim

double SameClaimProbability(const SimilaritySignals& s) {
  return sim::ShippedSameClaimModel().Probability(s);
}

std::vector<SignalContribution> ExplainSameClaim(const SimilaritySignals& s) {
  const sim::SameClaimVariant& v = sim::ShippedSameClaimModel().For(s);
  std::vector<double> base = sim::SameClaimBaseValues(s);
  std::vector<double> z = v.Standardized(base);
  std::vector<SignalContribution> out;
  for (size_t i = 0; i < z.size(); ++i) {
    double x = base[static_cast<size_t>(v.terms[i].first)];
    if (v.terms[i].second >= 0) x *= base[static_cast<size_t>(v.terms[i].second)];
    out.push_back({v.features[i], x, v.weights[i] * z[i]});
  }
  return out;
}

std::string SameClaimModelVersion() { return sim::ShippedSameClaimModel().version; }

}  // namespace echotrace
