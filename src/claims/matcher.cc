// The claim matcher: recall by BM25, re-ranking by a linear model over
// lexical, semantic, entity and date features. See matcher.h.
#include "claims/matcher.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "claims/post.h"
#include "claims/translation.h"
#include "similarity/engine.h"
#include "text/langid.h"

namespace echotrace::claims {

namespace {

enum F : size_t {
  kBm25All,
  kBm25AllRaw,
  kBm25Claim,
  kBm25Title,
  kBm25Subtitle,
  kBm25Full,
  kBm25Author,
  kRecallRank,
  kCharAll,
  kCharClaim,
  kWordCos,
  kLsaCos,
  kNames,
  kNumbers,
  kTagOrLink,
  kCharTitle,
  kQueryCoverage,
  kClaimCoverage,
  kBigrams,
  kCharAllRel,
  kWordCosRel,
  kLsaRel,
  kTranslation,
  kUsif,
  kAlign,
  kSameClaim,
  kDateKnown,
  kDateLogGap,
  kDateSoonAfter,
  kDateBefore,
  kNumFeatures
};

// The translation table (translation.h): EM iterations, the smallest
// probability kept, and the weight of translation against the background
// in the language model. Chosen on the held-back training slices
// (docs/claims.md).
constexpr int kTranslationIterations = 2;
constexpr double kTranslationMinProb = 1e-4;
constexpr double kTranslationMix = 0.8;

struct ShippedWeights {
  double bias;
  double mean[kNumFeatures];
  double scale[kNumFeatures];
  double weights[kNumFeatures];
};

// kShippedWithDates and kShippedWithoutDates, written by fit_matcher, and
// kShippedVectorsWithDates and kShippedVectorsWithoutDates, written by
// fit_matcher --vectors (the models for a matcher built with word vectors).
#include "claims/matcher_weights.inc"
#include "claims/matcher_weights_vectors.inc"

struct ShippedCalibrationWeights {
  double bias;
  double weights[6];
};
// kCalibrationWithDates and kCalibrationWithoutDates, written by
// fit_matcher --calibration.
#include "claims/match_calibration.inc"
#include "claims/match_calibration_vectors.inc"

MatchCalibration ToCalibration(const ShippedCalibrationWeights& w) {
  MatchCalibration c;
  c.bias = w.bias;
  c.weights.assign(w.weights, w.weights + 6);
  return c;
}

LinearModel ToModel(const ShippedWeights& w) {
  LinearModel m;
  m.bias = w.bias;
  m.mean.assign(w.mean, w.mean + kNumFeatures);
  m.scale.assign(w.scale, w.scale + kNumFeatures);
  m.weights.assign(w.weights, w.weights + kNumFeatures);
  return m;
}

std::string Join(const std::string& a, const std::string& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  return a + "\n" + b;
}

}  // namespace

const std::vector<std::string>& FeatureNames() {
  static const std::vector<std::string> kNames = {
      "bm25_all",        "bm25_all_raw",     "bm25_claim",     "bm25_title",
      "bm25_subtitle",   "bm25_full",        "bm25_author",    "recall_rank",
      "char_all",        "char_claim",       "word_cosine",    "lsa_cosine",
      "names",           "numbers",          "tag_or_link",    "char_title",
      "query_coverage",  "claim_coverage",   "bigrams",        "char_all_rel",
      "word_cosine_rel", "lsa_cosine_rel",   "translation_lm", "usif",
      "align",           "same_claim_logit", "date_known",     "date_log_gap",
      "date_soon_after", "date_before"};
  return kNames;
}

bool IsDateFeature(size_t i) { return i >= kDateKnown && i < kNumFeatures; }

const std::vector<std::string>& CalibrationInputs() {
  static const std::vector<std::string> kNames = {"ranker_score",   "same_claim_logit",
                                                  "bm25_all_raw",   "query_coverage",
                                                  "claim_coverage", "margin"};
  return kNames;
}

double MatchCalibration::Probability(double ranker_score, const std::vector<double>& f,
                                     double same_claim, double margin) const {
  const double p = std::clamp(same_claim, 1e-6, 1 - 1e-6);
  const double x[6] = {ranker_score,      std::log(p / (1 - p)), f[kBm25AllRaw],
                       f[kQueryCoverage], f[kClaimCoverage],     margin};
  double t = bias;
  for (size_t i = 0; i < 6 && i < weights.size(); ++i) t += weights[i] * x[i];
  return 1.0 / (1.0 + std::exp(-t));
}

const MatchCalibration& ShippedCalibration(bool use_dates, bool vectors) {
  static const MatchCalibration kWith = ToCalibration(kCalibrationWithDates);
  static const MatchCalibration kWithout = ToCalibration(kCalibrationWithoutDates);
  static const MatchCalibration kVectorsWith = ToCalibration(kCalibrationVectorsWithDates);
  static const MatchCalibration kVectorsWithout = ToCalibration(kCalibrationVectorsWithoutDates);
  if (vectors) return use_dates ? kVectorsWith : kVectorsWithout;
  return use_dates ? kWith : kWithout;
}

double LinearModel::Score(const std::vector<double>& x) const {
  double s = bias;
  for (size_t i = 0; i < weights.size() && i < x.size(); ++i) {
    s += weights[i] * (x[i] - mean[i]) / scale[i];
  }
  return s;
}

bool LinearModel::Valid() const {
  return mean.size() == kNumFeatures && scale.size() == kNumFeatures &&
         weights.size() == kNumFeatures;
}

const LinearModel& ShippedModel(bool use_dates, bool vectors) {
  static const LinearModel kWith = ToModel(kShippedWithDates);
  static const LinearModel kWithout = ToModel(kShippedWithoutDates);
  static const LinearModel kVectorsWith = ToModel(kShippedVectorsWithDates);
  static const LinearModel kVectorsWithout = ToModel(kShippedVectorsWithoutDates);
  if (vectors) return use_dates ? kVectorsWith : kVectorsWithout;
  return use_dates ? kWith : kWithout;
}

struct Matcher::Impl {
  std::vector<MatchRecord> claims;
  sim::Analyzer analyzer;
  sim::Vocabulary vocab;
  sim::Bm25Index all, text, title, subtitle;
  std::unique_ptr<SimilarityModel> model;
  std::vector<Representation> reps;                // of text + title + subtitle
  std::vector<sim::SparseVec> claim_chars;         // of the claim text alone
  std::vector<sim::SparseVec> title_chars;         // of the title alone
  std::vector<std::vector<uint32_t>> claim_terms;  // distinct stems of the claim text, sorted
  std::vector<std::vector<uint64_t>> bigrams;      // stem bigrams of each field, sorted
  TranslationTable translation;    // t(post word | claim word), from the claims' own fields
  std::vector<double> background;  // P(term) in the claims (all fields), add-½ smoothed

  static uint64_t Pair(uint32_t a, uint32_t b) { return (uint64_t{a} << 32) | b; }
  static void AddBigrams(const std::vector<uint32_t>& t, std::vector<uint64_t>* out) {
    for (size_t i = 0; i + 1 < t.size(); ++i) out->push_back(Pair(t[i], t[i + 1]));
  }

  // Translation language model (Berger & Lafferty, "Information retrieval
  // as statistical translation", SIGIR 1999): the mean over the post's
  // distinct stems w of
  //   log(0.8·Σ_v t(w|v)·tf(v,c)/|c| + 0.2·P(w)) − log P(w),
  // v running over the claim's stems (all fields), P the background.
  double TranslationLm(const std::vector<uint32_t>& q_terms, uint32_t c) const {
    if (q_terms.empty()) return 0;
    const auto& terms = all.Terms(c);
    double len = 0;
    for (const auto& [v, tf] : terms) len += tf;
    double ll = 0;
    for (uint32_t w : q_terms) {
      double p = 0;
      for (const auto& [v, tf] : terms) p += translation.Get(v, w) * tf;
      p = len > 0 ? p / len : 0;
      ll += std::log(kTranslationMix * p + (1 - kTranslationMix) * background[w]) -
            std::log(background[w]);
    }
    return ll / static_cast<double>(q_terms.size());
  }

  // Posts are analysed as English — the language the weights were fitted
  // on, whose Latin words get the English stemmer and Cyrillic words the
  // Russian one (analyzer.cc) — unless the post is detected as Ukrainian:
  // Russian Snowball leaves Ukrainian forms such as "виборів" or "комісії"
  // whole, so they would never meet the claims' Ukrainian stems ("вибор",
  // "комісі"). English and Russian posts are analysed exactly as when the
  // weights were fitted.
  static std::string PostLanguage(const std::string& body) {
    return DetectLanguage(body).code == "uk" ? "uk" : "en";
  }
  std::vector<uint32_t> Ids(const std::string& s, const std::string& lang) const {
    return vocab.Lookup(analyzer.Terms(s, lang));
  }
};

Matcher::Matcher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Matcher::~Matcher() = default;
const MatchRecord& Matcher::claim(uint32_t i) const { return impl_->claims[i]; }
size_t Matcher::size() const { return impl_->claims.size(); }

bool Matcher::has_vectors() const { return impl_->model->impl().options.word_vectors != nullptr; }

Result<std::unique_ptr<Matcher>> Matcher::Build(std::vector<MatchRecord> claims,
                                                std::shared_ptr<const WordVectors> vectors) {
  if (claims.empty()) return Status::InvalidArgument("no claims to match against");
  auto impl = std::make_unique<Impl>();
  impl->claims = std::move(claims);
  // Claims are stemmed as English when CLD2 is unsure (titles are short).
  std::vector<std::vector<uint32_t>> all, text, title, subtitle;
  std::vector<std::string> joined;
  for (const MatchRecord& c : impl->claims) {
    std::string j = Join(Join(c.text, c.title), c.subtitle);
    std::string lang = impl->analyzer.LanguageOf(j);
    text.push_back(impl->vocab.AddAll(impl->analyzer.Terms(c.text, lang)));
    title.push_back(impl->vocab.AddAll(impl->analyzer.Terms(c.title, lang)));
    subtitle.push_back(impl->vocab.AddAll(impl->analyzer.Terms(c.subtitle, lang)));
    std::vector<uint64_t> bg;
    Impl::AddBigrams(text.back(), &bg);
    Impl::AddBigrams(title.back(), &bg);
    Impl::AddBigrams(subtitle.back(), &bg);
    std::sort(bg.begin(), bg.end());
    bg.erase(std::unique(bg.begin(), bg.end()), bg.end());
    impl->bigrams.push_back(std::move(bg));
    std::vector<uint32_t> ct = text.back();
    std::sort(ct.begin(), ct.end());
    ct.erase(std::unique(ct.begin(), ct.end()), ct.end());
    impl->claim_terms.push_back(std::move(ct));
    std::vector<uint32_t> a = text.back();
    a.insert(a.end(), title.back().begin(), title.back().end());
    a.insert(a.end(), subtitle.back().begin(), subtitle.back().end());
    all.push_back(std::move(a));
    joined.push_back(std::move(j));
  }
  const size_t v = impl->vocab.size();
  // The translation table: each field of a claim paraphrases the others, so
  // (claim, title, subtitle) give six directed pairs per claim.
  {
    std::vector<std::vector<uint32_t>> fields;
    std::vector<std::pair<uint32_t, uint32_t>> pairs;
    for (size_t c = 0; c < all.size(); ++c) {
      const uint32_t first = static_cast<uint32_t>(fields.size());
      for (const auto* f : {&text[c], &title[c], &subtitle[c]}) {
        std::vector<uint32_t> d = *f;
        std::sort(d.begin(), d.end());
        d.erase(std::unique(d.begin(), d.end()), d.end());
        fields.push_back(std::move(d));
      }
      for (uint32_t a = 0; a < 3; ++a)
        for (uint32_t b = 0; b < 3; ++b)
          if (a != b) pairs.emplace_back(first + a, first + b);
    }
    impl->translation =
        TranslationTable::Fit(fields, pairs, static_cast<uint32_t>(v), kTranslationIterations);
    impl->translation.Prune(kTranslationMinProb);
    std::vector<double> cf(v, 0);
    double total = 0;
    for (const auto& a : all) {
      for (uint32_t t : a) cf[t] += 1;
      total += static_cast<double>(a.size());
    }
    impl->background.resize(v);
    for (size_t t = 0; t < v; ++t) {
      impl->background[t] = (cf[t] + 0.5) / (total + 0.5 * static_cast<double>(v));
    }
  }
  impl->all = sim::Bm25Index(all, v);
  impl->text = sim::Bm25Index(text, v);
  impl->title = sim::Bm25Index(title, v);
  impl->subtitle = sim::Bm25Index(subtitle, v);
  SimilarityOptions so;
  so.word_vectors = std::move(vectors);
  ET_ASSIGN_OR_RETURN(impl->model, SimilarityModel::Fit(joined, so));
  for (size_t i = 0; i < joined.size(); ++i) {
    impl->reps.push_back(impl->model->Represent({joined[i], "", impl->claims[i].embedding}));
    impl->claim_chars.push_back(
        impl->model->impl().char_tfidf.Vector(impl->model->impl().CharIds(impl->claims[i].text)));
    impl->title_chars.push_back(
        impl->model->impl().char_tfidf.Vector(impl->model->impl().CharIds(impl->claims[i].title)));
  }
  return std::unique_ptr<Matcher>(new Matcher(std::move(impl)));
}

std::vector<Candidate> Matcher::Candidates(const MatchRecord& post,
                                           const MatchOptions& options) const {
  const Impl& m = *impl_;
  CleanedPost cp = CleanPost(post.text);
  std::string body = Join(cp.body, Join(post.title, post.subtitle));
  std::string author = cp.author_name + " " + (cp.handle.empty() ? "" : "@" + cp.handle);
  const std::string lang = Impl::PostLanguage(body);
  std::vector<uint32_t> q_body = m.Ids(body, lang);
  std::vector<uint32_t> q_full = m.Ids(body + "\n" + author, lang);
  std::vector<uint32_t> q_author = m.Ids(author, lang);
  if (q_body.empty()) q_body = q_full;

  // Recall: the union of three top lists, in order of first appearance.
  std::vector<uint32_t> order;
  std::vector<int> seen(m.claims.size(), 0);
  for (uint32_t c : options.exclude) {
    if (c < seen.size()) seen[c] = 1;
  }
  auto take = [&](const std::vector<uint32_t>& q, size_t k) {
    for (const sim::ScoredDoc& d : m.all.TopK(q, k)) {
      if (!seen[d.doc]) {
        seen[d.doc] = 1;
        order.push_back(d.doc);
      }
    }
  };
  take(q_body, options.recall_depth);
  take(q_full, std::max<size_t>(1, options.recall_depth / 5));
  if (!q_author.empty()) take(q_author, std::max<size_t>(1, options.recall_depth / 10));

  Representation rq = m.model->Represent({body, "", post.embedding});
  std::vector<uint32_t> q_terms = q_body;
  std::sort(q_terms.begin(), q_terms.end());
  q_terms.erase(std::unique(q_terms.begin(), q_terms.end()), q_terms.end());
  double q_idf = 0;
  for (uint32_t t : q_terms) q_idf += m.all.Idf(t);
  std::vector<uint64_t> q_bigrams;
  Impl::AddBigrams(q_body, &q_bigrams);
  std::sort(q_bigrams.begin(), q_bigrams.end());
  q_bigrams.erase(std::unique(q_bigrams.begin(), q_bigrams.end()), q_bigrams.end());
  std::vector<double> body_all_scores;
  m.all.ScoreAll(q_body, &body_all_scores);
  std::vector<Candidate> out;
  out.reserve(order.size());
  for (uint32_t c : order) {
    Candidate cand;
    cand.claim = c;
    auto& f = cand.features;
    f.assign(kNumFeatures, 0.0);
    f[kBm25All] = body_all_scores[c];
    f[kBm25Claim] = m.text.Score(q_body, c);
    f[kBm25Title] = m.title.Score(q_body, c);
    f[kBm25Subtitle] = m.subtitle.Score(q_body, c);
    f[kBm25Full] = m.all.Score(q_full, c);
    f[kBm25Author] = q_author.empty() ? 0 : m.all.Score(q_author, c);
    SimilaritySignals s = m.model->Compare(rq, m.reps[c]);
    cand.has_embedding = s.has_embedding;
    cand.embedding_cosine = s.embedding;
    cand.same_claim = s.probability;
    if (s.has_vectors) {
      f[kUsif] = s.usif;
      f[kAlign] = s.align;
      const double p = std::clamp(s.probability, 1e-6, 1 - 1e-6);
      f[kSameClaim] = std::log(p / (1 - p));
    }
    f[kCharAll] = s.chars;
    f[kCharClaim] = sim::Dot(rq->chars, m.claim_chars[c]);
    f[kWordCos] = s.words;
    f[kLsaCos] = s.lsa;
    f[kNames] = s.names;
    f[kNumbers] = s.numbers;
    f[kTagOrLink] = s.tag_or_link ? 1 : 0;
    f[kCharTitle] = sim::Dot(rq->chars, m.title_chars[c]);
    // idf-weighted coverage both ways: a post that holds the whole claim,
    // or a claim that holds most of a short post, is a strong match.
    double matched = 0, claim_idf = 0, claim_matched = 0;
    const auto& all_terms = m.all.Terms(c);
    for (uint32_t t : q_terms) {
      auto it =
          std::lower_bound(all_terms.begin(), all_terms.end(), std::make_pair(t, uint32_t{0}));
      if (it != all_terms.end() && it->first == t) matched += m.all.Idf(t);
    }
    for (uint32_t t : m.claim_terms[c]) {
      claim_idf += m.all.Idf(t);
      if (std::binary_search(q_terms.begin(), q_terms.end(), t)) claim_matched += m.all.Idf(t);
    }
    f[kQueryCoverage] = q_idf > 0 ? matched / q_idf : 0;
    f[kClaimCoverage] = claim_idf > 0 ? claim_matched / claim_idf : 0;
    size_t shared_bigrams = 0;
    for (uint64_t b : q_bigrams)
      shared_bigrams += std::binary_search(m.bigrams[c].begin(), m.bigrams[c].end(), b);
    f[kBigrams] = q_bigrams.empty() ? 0 : static_cast<double>(shared_bigrams) / q_bigrams.size();
    f[kTranslation] = m.TranslationLm(q_terms, c);
    std::optional<int64_t> pday = cp.day ? cp.day : post.day;
    const auto& cday = m.claims[c].day;
    if (options.use_dates && pday && cday) {
      int64_t gap = *cday - *pday;
      f[kDateKnown] = 1;
      f[kDateLogGap] = std::log1p(static_cast<double>(gap < 0 ? -gap : gap));
      f[kDateSoonAfter] = gap >= -1 && gap <= 30 ? 1 : 0;
      f[kDateBefore] = gap < -1 ? 1 : 0;
    }
    out.push_back(std::move(cand));
  }
  // Features relative to the best candidate of this post: BM25 scores are
  // not comparable across queries of different lengths, their ratios are.
  std::vector<std::pair<double, uint32_t>> by_all;
  for (size_t i = 0; i < out.size(); ++i)
    by_all.emplace_back(-out[i].features[kBm25All], static_cast<uint32_t>(i));
  std::sort(by_all.begin(), by_all.end());
  for (size_t r = 0; r < by_all.size(); ++r) {
    out[by_all[r].second].features[kRecallRank] = 1.0 / static_cast<double>(r + 1);
  }
  for (auto [from, to] : {std::pair{kCharAll, kCharAllRel}, std::pair{kWordCos, kWordCosRel},
                          std::pair{kLsaCos, kLsaRel}}) {
    double mx = 0;
    for (const auto& c : out) mx = std::max(mx, c.features[from]);
    for (auto& c : out) c.features[to] = mx > 0 ? c.features[from] / mx : 0;
  }
  for (size_t fi : {kBm25All, kBm25Claim, kBm25Title, kBm25Subtitle, kBm25Full, kBm25Author}) {
    double mx = 0;
    for (const auto& c : out) mx = std::max(mx, c.features[fi]);
    for (auto& c : out) {
      if (fi == kBm25All) c.features[kBm25AllRaw] = std::log1p(c.features[fi]);
      c.features[fi] = mx > 0 ? c.features[fi] / mx : 0;
    }
  }
  return out;
}

std::vector<Candidate> Matcher::Rank(const MatchRecord& post, const LinearModel& model, size_t k,
                                     const MatchOptions& options,
                                     const MatchCalibration* calibration) const {
  if (calibration == nullptr) calibration = &ShippedCalibration(options.use_dates, has_vectors());
  std::vector<Candidate> c = Candidates(post, options);
  for (auto& x : c) {
    x.score =
        model.Score(x.features) + (x.has_embedding ? kEmbeddingWeight * x.embedding_cosine : 0);
  }
  // The margin over the best other candidate: a post with no known claim
  // has many weak candidates close together.
  double first = -1e300, second = -1e300;
  for (const auto& x : c) {
    if (x.score > first) {
      second = first;
      first = x.score;
    } else if (x.score > second) {
      second = x.score;
    }
  }
  for (auto& x : c) {
    double other = x.score == first ? second : first;
    x.margin = other > -1e300 ? x.score - other : 0;
    x.probability = calibration->Probability(x.score, x.features, x.same_claim, x.margin);
  }
  std::sort(c.begin(), c.end(), [](const Candidate& a, const Candidate& b) {
    return a.score != b.score ? a.score > b.score : a.claim < b.claim;
  });
  if (c.size() > k) c.resize(k);
  return c;
}

std::string Matcher::Explain(const MatchRecord& post, const Candidate& c,
                             const LinearModel& model) const {
  const Impl& m = *impl_;
  std::string out;
  char buf[160];
  std::vector<std::pair<double, size_t>> contrib;
  for (size_t i = 0; i < c.features.size() && i < model.weights.size(); ++i) {
    contrib.emplace_back(model.weights[i] * (c.features[i] - model.mean[i]) / model.scale[i], i);
  }
  std::sort(contrib.begin(), contrib.end(),
            [](const auto& a, const auto& b) { return std::fabs(a.first) > std::fabs(b.first); });
  out += "    evidence:";
  for (size_t j = 0; j < contrib.size() && j < 6; ++j) {
    std::snprintf(buf, sizeof buf, " %s=%.3f(%+.2f)", FeatureNames()[contrib[j].second].c_str(),
                  c.features[contrib[j].second], contrib[j].first);
    out += buf;
  }
  CleanedPost cp = CleanPost(post.text);
  SimilaritySignals s = m.model->Compare(m.model->Represent({cp.body, "", {}}), m.reps[c.claim]);
  if (c.has_embedding) {
    std::snprintf(buf, sizeof buf, " embedding=%.3f(%+.2f)", c.embedding_cosine,
                  kEmbeddingWeight * c.embedding_cosine);
    out += buf;
  }
  out += "\n    shared terms:";
  for (const auto& t : s.shared_terms) out += " " + t;
  if (!s.shared_entities.empty()) {
    out += "\n    shared entities:";
    for (const auto& e : s.shared_entities) out += " " + e;
  }
  if (!cp.author_name.empty() || cp.day) {
    out +=
        "\n    post attribution: " + cp.author_name + (cp.handle.empty() ? "" : " @" + cp.handle);
    if (cp.day) {
      std::snprintf(buf, sizeof buf, " day %lld", static_cast<long long>(*cp.day));
      out += buf;
    }
  }
  out += "\n";
  return out;
}

}  // namespace echotrace::claims
