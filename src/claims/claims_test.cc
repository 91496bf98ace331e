// Tests of post cleaning, input reading, the metrics and the matcher.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>

#include "claims/eval.h"
#include "claims/matcher.h"
#include "claims/post.h"
#include "claims/records.h"
#include "claims/translation.h"
#include "text/time_parse.h"

namespace echotrace::claims {
namespace {

std::string WriteTemp(const std::string& name, const std::string& content) {
  std::string path = (std::filesystem::temp_directory_path() /
                      ("claims_test_" + std::to_string(::getpid()) + "_" + name))
                         .string();
  std::ofstream(path) << content;
  return path;
}

TEST(CleanPostTest, ParsesAttributionAndDropsLinks) {
  CleanedPost p = CleanPost(
      "Starlink — here. Thanks, @elonmusk pic.twitter.com/dZbaYqWYCf https://t.co/abc — "
      "Mykhailo Fedorov (@FedorovMykhailo) February 28, 2022");
  EXPECT_EQ(p.body, "Starlink — here. Thanks, @elonmusk");
  EXPECT_EQ(p.author_name, "Mykhailo Fedorov");
  EXPECT_EQ(p.handle, "FedorovMykhailo");
  ASSERT_TRUE(p.day.has_value());
  EXPECT_EQ(*p.day, DaysFromCivil(2022, 2, 28));
}

TEST(CleanPostTest, TextWithoutAttributionKeepsItsWords) {
  CleanedPost p = CleanPost("\"Quoted \"\"tweet\"\" &amp; more\"");
  EXPECT_EQ(p.body, "Quoted \"tweet\" & more");
  EXPECT_TRUE(p.author_name.empty());
  EXPECT_FALSE(p.day.has_value());
  EXPECT_EQ(CleanPost("").body, "");
  EXPECT_EQ(CleanPost("(@").body, "(@");  // malformed attribution: kept as text
  // Found by post_analyze_fuzzer: a "(@" whose closing parenthesis comes after
  // more text is no byline; the handle must look like one.
  CleanedPost q = CleanPost("An aide (@timkma — Tim Ma(t@ik mkma) March 7, 2022");
  EXPECT_TRUE(q.handle.empty());
  EXPECT_TRUE(q.author_name.empty());
  EXPECT_EQ(q.body, "An aide (@timkma — Tim Ma(t@ik mkma) March 7, 2022");
}

TEST(ParseLooseDayTest, Forms) {
  int64_t d = DaysFromCivil(2015, 5, 26);
  EXPECT_EQ(ParseLooseDay("26 May 2015"), d);
  EXPECT_EQ(ParseLooseDay("May 26, 2015"), d);
  EXPECT_EQ(ParseLooseDay("Mar 7 2022"), DaysFromCivil(2022, 3, 7));
  EXPECT_EQ(ParseLooseDay("2015-05-26"), d);
  EXPECT_FALSE(ParseLooseDay("Not dated").has_value());
  EXPECT_FALSE(ParseLooseDay("32 May 2015").has_value());
}

TEST(EvalTest, HandComputedExample) {
  // q1: relevant {a, b}; ranking x a y b → AP@5 = (1/2 + 2/4) / 2 = 0.5,
  //     AP@1 = 0, AP@3 = (1/2)/2 = 0.25, RR@5 = 1/2, recall@1 = 0, @5 = 1.
  // q2: relevant {c}; ranking c → AP = 1, RR = 1, recall 1.
  // q3: relevant {d}; missing from the run → 0 everywhere.
  RankedRun run = {{"q1", {"x", "a", "y", "b"}}, {"q2", {"c"}}};
  Qrels qrels = {{"q1", {"a", "b"}}, {"q2", {"c"}}, {"q3", {"d"}}};
  Metrics m = Evaluate(run, qrels, {1, 5});
  EXPECT_EQ(m.queries, 3u);
  EXPECT_NEAR(m.map1, (0 + 1 + 0) / 3.0, 1e-12);
  EXPECT_NEAR(m.map3, (0.25 + 1 + 0) / 3.0, 1e-12);
  EXPECT_NEAR(m.map5, (0.5 + 1 + 0) / 3.0, 1e-12);
  EXPECT_NEAR(m.mrr5, (0.5 + 1 + 0) / 3.0, 1e-12);
  EXPECT_NEAR(m.recall[0], (0 + 1 + 0) / 3.0, 1e-12);
  EXPECT_NEAR(m.recall[1], (1 + 1 + 0) / 3.0, 1e-12);
}

TEST(EvalTest, RunRoundTripAndMalformedLines) {
  std::string run = WriteTemp(
      "run.tsv", FormatRunLine("q1", "b", 2, 0.5, "t") + FormatRunLine("q1", "a", 1, 0.9, "t"));
  auto r = ReadRun(run);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)["q1"], (std::vector<std::string>{"a", "b"}));
  std::string bad = WriteTemp("bad.tsv", "q1 Q0 a 1 0.5 t\nq2 Q0 b\n");
  auto b = ReadRun(bad);
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find(":2:"), std::string::npos) << b.status().message();
  std::remove(run.c_str());
  std::remove(bad.c_str());
}

TEST(RecordsTest, HeaderlessTsvJsonlAndEmbeddings) {
  std::string tsv = WriteTemp("q.tsv", "t1\tFirst post\nt2\tSecond \"post\" here\n");
  auto q = ReadMatchRecords(tsv);
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  ASSERT_EQ(q->records.size(), 2u);
  EXPECT_EQ(q->records[0].id, "t1");
  EXPECT_EQ(q->records[1].text, "Second \"post\" here");

  std::string jsonl =
      WriteTemp("c.jsonl",
                "{\"vclaim_id\":\"c1\",\"vclaim\":\"Claim one\",\"title\":\"T\",\"subtitle\":\"S\","
                "\"date\":\"26 May 2015\"}\n"
                "{\"id\":\"c2\",\"text\":\"Claim two\",\"embedding\":[0.5,-1]}\n"
                "{\"id\":\"c3\",\"text\":\"Bad\",\"embedding\":\"oops\"}\n"
                "not json\n");
  auto c = ReadMatchRecords(jsonl);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_EQ(c->records.size(), 2u);
  EXPECT_EQ(c->records[0].id, "c1");
  EXPECT_EQ(c->records[0].text, "Claim one");
  EXPECT_EQ(c->records[0].subtitle, "S");
  EXPECT_EQ(c->records[0].day, DaysFromCivil(2015, 5, 26));
  EXPECT_EQ(c->records[1].embedding, (std::vector<float>{0.5f, -1.0f}));
  ASSERT_EQ(c->rejects.size(), 2u);
  EXPECT_EQ(c->rejects[0].line, 3u);
  EXPECT_EQ(c->rejects[1].line, 4u);
  EXPECT_EQ(ReadMatchRecords("/nonexistent/x.tsv").status().code(), StatusCode::kIOError);
  std::remove(tsv.c_str());
  std::remove(jsonl.c_str());
}

TEST(ParseEmbeddingTest, Forms) {
  EXPECT_EQ(ParseEmbedding("[1, 2.5,-3e-1]"), (std::vector<float>{1, 2.5f, -0.3f}));
  EXPECT_EQ(ParseEmbedding("[]"), std::vector<float>{});
  EXPECT_FALSE(ParseEmbedding("[1,]").has_value());
  EXPECT_FALSE(ParseEmbedding("[1 2]").has_value());
  EXPECT_FALSE(ParseEmbedding("1").has_value());
  EXPECT_FALSE(ParseEmbedding("[nan]").has_value());
}

// IBM Model 1 by the textbook formulas, with maps: the reference the sparse
// TranslationTable must agree with.
std::map<std::pair<uint32_t, uint32_t>, double> SlowIbm1(
    const std::vector<std::vector<uint32_t>>& texts,
    const std::vector<std::pair<uint32_t, uint32_t>>& pairs, uint32_t null_id, int iterations) {
  std::map<std::pair<uint32_t, uint32_t>, double> t;
  for (auto [s, g] : pairs) {
    if (texts[s].empty() || texts[g].empty()) continue;
    for (uint32_t w : texts[g]) {
      t[{null_id, w}] = 1;
      for (uint32_t v : texts[s]) t[{v, w}] = 1;
    }
  }
  for (int it = 0; it < iterations; ++it) {
    std::map<std::pair<uint32_t, uint32_t>, double> count;
    for (auto [s, g] : pairs) {
      if (texts[s].empty() || texts[g].empty()) continue;
      for (uint32_t w : texts[g]) {
        std::vector<uint32_t> src = texts[s];
        src.push_back(null_id);
        double den = 0;
        for (uint32_t v : src) den += t[{v, w}];
        for (uint32_t v : src) count[{v, w}] += t[{v, w}] / den;
      }
    }
    std::map<uint32_t, double> total;
    for (auto& [k, c] : count) total[k.first] += c;
    for (auto& [k, v] : t) v = count[k] / total[k.first];
  }
  return t;
}

TEST(TranslationTableTest, HandComputedFirstIteration) {
  // Words a=0 b=1 x=2 y=3. Pairs ({a,b} → {x,y}) and ({a} → {x}). From
  // uniform t, iteration 1 counts: a→x 1/3+1/2, a→y 1/3, b→x 1/3, b→y 1/3,
  // NULL→x 1/3+1/2, NULL→y 1/3; normalised per source word.
  std::vector<std::vector<uint32_t>> texts = {{0, 1}, {2, 3}, {0}, {2}};
  std::vector<std::pair<uint32_t, uint32_t>> pairs = {{0, 1}, {2, 3}};
  TranslationTable one = TranslationTable::Fit(texts, pairs, 4, 1);
  EXPECT_NEAR(one.Get(0, 2), 5.0 / 7, 1e-6);
  EXPECT_NEAR(one.Get(0, 3), 2.0 / 7, 1e-6);
  EXPECT_NEAR(one.Get(1, 2), 0.5, 1e-6);
  EXPECT_NEAR(one.Get(1, 3), 0.5, 1e-6);
  EXPECT_NEAR(one.Get(one.null_id(), 2), 5.0 / 7, 1e-6);
  EXPECT_EQ(one.Get(2, 0), 0.0);  // x is never a source
  EXPECT_EQ(one.Get(1, 0), 0.0);  // b never meets a as a target
  // Further iterations explain y by b, since a is already taken by x.
  TranslationTable many = TranslationTable::Fit(texts, pairs, 4, 10);
  EXPECT_GT(many.Get(1, 3), many.Get(1, 2));
  EXPECT_GT(many.Get(0, 2), 0.8);
  // Pruning drops small entries and keeps the others.
  TranslationTable pruned = many;
  pruned.Prune(0.3);
  EXPECT_LT(pruned.entries(), many.entries());
  EXPECT_EQ(pruned.Get(0, 3), many.Get(0, 3) >= 0.3 ? many.Get(0, 3) : 0.0);
  EXPECT_EQ(pruned.Get(0, 2), many.Get(0, 2));
}

TEST(TranslationTableTest, AgreesWithTheTextbookVersion) {
  std::mt19937_64 rng(5);
  const uint32_t words = 30;
  std::vector<std::vector<uint32_t>> texts;
  for (int i = 0; i < 60; ++i) {
    std::vector<uint32_t> t;
    for (size_t n = rng() % 6; n > 0; --n) t.push_back(static_cast<uint32_t>(rng() % words));
    std::sort(t.begin(), t.end());
    t.erase(std::unique(t.begin(), t.end()), t.end());
    texts.push_back(t);  // some are empty: those pairs are skipped
  }
  std::vector<std::pair<uint32_t, uint32_t>> pairs;
  for (uint32_t i = 0; i + 1 < texts.size(); i += 2) {
    pairs.emplace_back(i, i + 1);
    pairs.emplace_back(i + 1, i);
  }
  for (int iterations : {1, 2, 5}) {
    TranslationTable fast = TranslationTable::Fit(texts, pairs, words, iterations);
    auto slow = SlowIbm1(texts, pairs, words, iterations);
    EXPECT_EQ(fast.entries(), slow.size());
    for (auto& [k, v] : slow) {
      EXPECT_NEAR(fast.Get(k.first, k.second), v, 1e-6) << k.first << " → " << k.second;
    }
    // Each source word's row is a distribution.
    std::map<uint32_t, double> sum;
    for (auto& [k, v] : slow) sum[k.first] += fast.Get(k.first, k.second);
    for (auto& [v, s] : sum) EXPECT_NEAR(s, 1.0, 1e-5) << v;
  }
}

std::vector<MatchRecord> SmallClaims() {
  std::vector<MatchRecord> c(4);
  c[0] = {"c0", "Starlink service is active in Ukraine.", "Did Elon Musk Activate Starlink?", "",
          DaysFromCivil(2022, 3, 1)};
  c[1] = {"c1", "A video shows a 10-meter-long anaconda in Brazil.", "Anaconda video", "", {}};
  c[2] = {"c2", "The COVID-19 vaccine changes human DNA.", "Vaccine DNA", "", {}};
  c[3] = {"c3", "McDonald's offers $1 fries of any size.", "$1 Fries", "", {}};
  return c;
}

TEST(MatcherTest, FindsTheClaimAndRanksByTheModel) {
  auto m = Matcher::Build(SmallClaims());
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  MatchRecord post{"p",
                   "Starlink service is now active in Ukraine. More terminals en route. — Elon "
                   "Musk (@elonmusk) February 26, 2022"};
  for (bool dates : {true, false}) {
    MatchOptions o;
    o.use_dates = dates;
    const LinearModel& model = ShippedModel(dates);
    ASSERT_TRUE(model.Valid());
    auto ranked = (*m)->Rank(post, model, 3, o);
    ASSERT_FALSE(ranked.empty());
    EXPECT_EQ((*m)->claim(ranked[0].claim).id, "c0");
    // Rank is the candidates sorted by the model's score (slow check).
    auto cands = (*m)->Candidates(post, o);
    double best = -1e300;
    for (auto& c : cands) best = std::max(best, model.Score(c.features));
    EXPECT_DOUBLE_EQ(ranked[0].score, best);
    EXPECT_EQ(cands[0].features.size(), FeatureNames().size());
    for (size_t i = 0; i < FeatureNames().size(); ++i) {
      if (!dates && IsDateFeature(i)) {
        EXPECT_EQ(cands[0].features[i], 0.0);
      }
    }
    // The translation language model prefers the claim that says the same.
    const size_t tr = static_cast<size_t>(
        std::find(FeatureNames().begin(), FeatureNames().end(), "translation_lm") -
        FeatureNames().begin());
    ASSERT_LT(tr, FeatureNames().size());
    EXPECT_FALSE(IsDateFeature(tr));
    for (auto& c : cands) {
      if (c.claim != ranked[0].claim) {
        EXPECT_GT(ranked[0].features[tr], c.features[tr]);
      }
    }
    EXPECT_GT(ranked[0].features[tr], 0.0);
    std::string why = (*m)->Explain(post, ranked[0], model);
    EXPECT_NE(why.find("starlink"), std::string::npos) << why;
    EXPECT_NE(why.find("Elon Musk"), std::string::npos) << why;
  }
  EXPECT_EQ(Matcher::Build({}).status().code(), StatusCode::kInvalidArgument);
}

// A Ukrainian post is analysed as Ukrainian (the same light stemmer as a
// Ukrainian claim), so inflected forms meet: "виборів" / "вибори" → "вибор".
// Analysed as English, its Cyrillic words would go to the Russian stemmer,
// which leaves "виборів" and "комісії" whole.
TEST(MatcherTest, UkrainianPostMeetsUkrainianClaimThroughItsStems) {
  std::vector<MatchRecord> claims = {
      {"uk1",
       "Центральна виборча комісія України оголосила, що вибори президента відбудуться "
       "навесні, попри війну та мобілізацію."},
      {"uk2", "Уряд України підвищив ціни на хліб і молоко для всіх регіонів країни."},
      {"en1", "The central election commission announced a spring presidential election."},
  };
  auto m = Matcher::Build(claims);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  MatchRecord post{"p",
                   "Проведення президентських виборів навесні під час війни — це рішення "
                   "комісії, хоча мобілізація триває."};
  const LinearModel& model = ShippedModel(false);
  MatchOptions o;
  o.use_dates = false;
  auto ranked = (*m)->Rank(post, model, 3, o);
  ASSERT_FALSE(ranked.empty());
  EXPECT_EQ((*m)->claim(ranked[0].claim).id, "uk1");
  const std::string why = (*m)->Explain(post, ranked[0], model);
  // The share of the claim's (idf-weighted) terms the post holds: 0.09
  // with the post's words stemmed as Russian, 0.44 as Ukrainian.
  const size_t cov = static_cast<size_t>(
      std::find(FeatureNames().begin(), FeatureNames().end(), "claim_coverage") -
      FeatureNames().begin());
  ASSERT_LT(cov, FeatureNames().size());
  EXPECT_GT(ranked[0].features[cov], 0.3);
  EXPECT_NE(why.find("вибор"), std::string::npos) << why;
}

// GCC defines __SANITIZE_ADDRESS__ under -fsanitize=address; clang answers
// __has_feature(address_sanitizer).
TEST(MatcherTest, UserEmbeddingsTakePart) {
  std::vector<MatchRecord> claims = SmallClaims();
  claims[1].embedding = {1, 0, 0};
  claims[2].embedding = {0, 1, 0};
  auto m = Matcher::Build(claims);
  ASSERT_TRUE(m.ok());
  // A post sharing only a generic word with two claims: its vector decides.
  MatchRecord post{"p", "a video about DNA"};
  post.embedding = {0, 1, 0};
  auto ranked = (*m)->Rank(post, ShippedModel(false), 4, MatchOptions{});
  ASSERT_GE(ranked.size(), 2u);
  bool found = false;
  for (const auto& c : ranked) {
    if ((*m)->claim(c.claim).id == "c2") {
      found = true;
      EXPECT_TRUE(c.has_embedding);
      EXPECT_NEAR(c.embedding_cosine, 1.0, 1e-6);
      EXPECT_NEAR(c.score - ShippedModel(false).Score(c.features), kEmbeddingWeight, 1e-6);
    }
  }
  EXPECT_TRUE(found) << "the claim sharing the post's vector was not recalled";
}

// Parsers of user input never crash or hang on arbitrary bytes (ASan in CI
// turns an overflow into a failure).
TEST(RobustnessTest, RandomBytes) {
  std::mt19937_64 rng(11);
  const std::string alphabet = "ab — (@x) 2022 May 7,[]-.\"\n\t\xE2\x80\x94\xD0\xB0#@http://t.co/";
  for (int i = 0; i < 2000; ++i) {
    std::string s;
    for (size_t n = rng() % 60; n > 0; --n) {
      s.push_back(rng() % 4 == 0 ? static_cast<char>(rng() % 256)
                                 : alphabet[rng() % alphabet.size()]);
    }
    CleanedPost p = CleanPost(s);
    EXPECT_LE(p.body.size(), s.size() + 2);
    (void)ParseLooseDay(s);
    (void)ParseEmbedding(s);
  }
}

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

// The shipped model on CheckThat! 2022 2A dev-test must stay above plain
// BM25 (0.853 MAP@5 measured with Porter, vclaim + title + subtitle).
TEST(MatcherTest, CheckThatDevTestAboveTheBm25Floor) {
  if (kSanitized) GTEST_SKIP() << "14k-claim index is too slow under sanitizers";
  std::string dir = std::string(ECHOTRACE_SHARED_DATA) + "/checkthat2022";
  if (!std::filesystem::exists(dir + "/vclaims.jsonl")) {
    GTEST_SKIP() << dir << " is absent (see ../shared/data/README.md)";
  }
  auto claims = ReadMatchRecords(dir + "/vclaims.jsonl");
  auto queries = ReadMatchRecords(dir + "/dev-test.queries.tsv");
  auto qrels = ReadQrels(dir + "/dev-test.qrels.tsv");
  ASSERT_TRUE(claims.ok() && queries.ok() && qrels.ok());
  EXPECT_TRUE(queries->rejects.empty());
  auto m = Matcher::Build(claims->records);
  ASSERT_TRUE(m.ok());
  for (bool dates : {true, false}) {
    MatchOptions o;
    o.use_dates = dates;
    RankedRun run;
    for (const auto& q : queries->records) {
      for (const auto& c : (*m)->Rank(q, ShippedModel(dates), 5, o)) {
        run[q.id].push_back((*m)->claim(c.claim).id);
      }
    }
    Metrics metrics = Evaluate(run, *qrels);
    EXPECT_GT(metrics.map5, 0.853) << (dates ? "with" : "without") << " dates";
  }
}

}  // namespace
}  // namespace echotrace::claims
