// Tests of the same-claim model: the file format (round trip, every kind of
// damage refused with its line), the probability against the logistic
// formula written out by hand, the shipped model, and Compare() filling
// SimilaritySignals::probability. The test with word vectors skips when
// build/echotrace-vectors.bin is absent.
#include "similarity/same_claim.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "echotrace/similarity.h"

namespace echotrace {
namespace {

const char kModel[] =
    "# a comment\n"
    "format 1\n"
    "version test-1\n"
    "variant vectors\n"
    "features words usif words*usif length_ratio\n"
    "mean 0.5 0.25 0.125 0.5\n"
    "scale 0.5 0.25 0.25 1\n"
    "weights 1.5 2 -0.5 0.25\n"
    "bias -1\n"
    "end\n"
    "\n"
    "variant lexical\n"
    "features words chars tag_or_link\n"
    "mean 0 0 0\n"
    "scale 1 1 1\n"
    "weights 3 2 1\n"
    "bias -2.5\n"
    "end\n";

TEST(SameClaimModel, ParsesAndRoundTrips) {
  auto m = sim::ParseSameClaimModel(kModel);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->version, "test-1");
  ASSERT_EQ(m->vectors.features.size(), 4u);
  EXPECT_EQ(m->vectors.terms[2], std::make_pair(0, 7));  // words * usif
  EXPECT_EQ(m->lexical.terms[2], std::make_pair(5, -1));
  auto again = sim::ParseSameClaimModel(sim::FormatSameClaimModel(*m));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(sim::FormatSameClaimModel(*again), sim::FormatSameClaimModel(*m));
  EXPECT_EQ(again->vectors.weights, m->vectors.weights);
  EXPECT_EQ(again->lexical.bias, m->lexical.bias);
}

TEST(SameClaimModel, ProbabilityIsTheLogisticOfTheStandardisedTerms) {
  auto m = sim::ParseSameClaimModel(kModel);
  ASSERT_TRUE(m.ok());
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(0, 1);
  for (int i = 0; i < 200; ++i) {
    SimilaritySignals s;
    s.words = u(rng), s.chars = u(rng), s.usif = u(rng), s.length_ratio = u(rng);
    s.tag_or_link = u(rng) < 0.5;
    s.has_vectors = i % 2 == 0;
    double want;
    if (s.has_vectors) {
      double t = -1 + 1.5 * (s.words - 0.5) / 0.5 + 2 * (s.usif - 0.25) / 0.25 -
                 0.5 * (s.words * s.usif - 0.125) / 0.25 + 0.25 * (s.length_ratio - 0.5);
      want = 1 / (1 + std::exp(-t));
    } else {
      double t = -2.5 + 3 * s.words + 2 * s.chars + (s.tag_or_link ? 1 : 0);
      want = 1 / (1 + std::exp(-t));
    }
    EXPECT_NEAR(m->Probability(s), want, 1e-12);
  }
}

TEST(SameClaimModel, RefusesDamagedFilesNamingTheLine) {
  struct Case {
    std::string text, needle;
  };
  const std::string v = "format 1\nversion x\n";
  const std::string lexical =
      "variant lexical\nfeatures words\nmean 0\nscale 1\nweights 1\nbias 0\nend\n";
  const std::vector<Case> cases = {
      {"", "no 'format 1'"},
      {"format 2\n", "line 1: only format 1"},
      {"version x\n", "line 1: the first line must be 'format 1'"},
      {v + "variant vectors\nfeatures words nonsense\n", "line 4: unknown feature 'nonsense'"},
      {v + "variant vectors\nfeatures words*x\n", "unknown feature 'words*x'"},
      {v + "variant vectors\nfeatures words\nmean 0 1\nscale 1\nweights 1\nbias 0\nend\n" + lexical,
       "line 9: mean, scale and weights"},
      {v + "variant vectors\nfeatures words\nmean 0\nscale 0\n",
       "line 6: a scale must be positive"},
      {v + "variant vectors\nfeatures words\nmean nan\n", "'nan' is not a finite number"},
      {v + "variant vectors\nfeatures words\nmean 1e999\n", "not a finite number"},
      {v + "variant vectors\nfeatures words\nmean 0\nscale 1\nweights 1\nend\n" + lexical,
       "a variant without a bias"},
      {v + lexical, "both variants"},
      {v + lexical + lexical, "line 10: variant lexical given twice"},
      {v + "variant vectors\nfeatures words\n", "no 'end'"},
      {v + "weights 1\n", "outside a variant"},
      {v + "variant vectors\nfrobnicate\n", "unknown keyword 'frobnicate'"},
      {v + "variant other\n", "variant must be"},
  };
  for (const Case& c : cases) {
    auto m = sim::ParseSameClaimModel(c.text);
    ASSERT_FALSE(m.ok()) << c.text;
    EXPECT_EQ(m.status().code(), StatusCode::kBadInput);
    EXPECT_NE(m.status().message().find(c.needle), std::string::npos)
        << m.status().message() << " / wanted: " << c.needle;
  }
}

TEST(SameClaimModel, ShippedModelParsesAndExplainsItsLogit) {
  const sim::SameClaimModel& m = sim::ShippedSameClaimModel();
  EXPECT_FALSE(SameClaimModelVersion().empty());
  EXPECT_FALSE(m.vectors.features.empty());
  EXPECT_FALSE(m.lexical.features.empty());
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> u(0, 1);
  for (int i = 0; i < 100; ++i) {
    SimilaritySignals s;
    s.words = u(rng), s.chars = u(rng), s.lsa = u(rng), s.names = u(rng), s.numbers = u(rng);
    s.sif = u(rng), s.usif = u(rng), s.align = u(rng), s.length_ratio = u(rng);
    s.has_vectors = i % 2 == 0;
    double p = SameClaimProbability(s);
    ASSERT_GE(p, 0.0);
    ASSERT_LE(p, 1.0);
    double logit = m.For(s).bias;
    for (const SignalContribution& c : ExplainSameClaim(s)) logit += c.contribution;
    EXPECT_NEAR(p, 1 / (1 + std::exp(-logit)), 1e-12);
  }
}

// The probability separates a restatement from an unrelated sentence, and
// Compare() fills it.
void CheckSeparates(const SimilarityOptions& options) {
  std::vector<std::string> texts = {
      "The government raised the national minimum wage to 12 pounds an hour.",
      "Minimum wage raised to 12 pounds an hour by the government.",
      "A rocket carrying four astronauts launched from Florida this morning.",
      "Heavy snow closed schools across the north of the country.",
      "The central bank kept interest rates unchanged on Thursday.",
      "Scientists found water ice near the moon's south pole.",
  };
  auto model = SimilarityModel::Fit(texts, options);
  ASSERT_TRUE(model.ok());
  SimilaritySignals same = (*model)->Compare(texts[0], texts[1]);
  SimilaritySignals other = (*model)->Compare(texts[0], texts[2]);
  EXPECT_EQ(same.probability, SameClaimProbability(same));
  EXPECT_GT(same.probability, 0.5);
  EXPECT_LT(other.probability, 0.2);
  EXPECT_GT(same.length_ratio, 0.5);
}

TEST(SameClaimModel, CompareFillsTheProbabilityLexical) { CheckSeparates(SimilarityOptions{}); }

TEST(SameClaimModel, CompareFillsTheProbabilityWithVectors) {
  auto v = LoadWordVectors("");
  if (!v.ok()) GTEST_SKIP() << "no word vectors: " << v.status().ToString();
  SimilarityOptions o;
  o.word_vectors = *v;
  CheckSeparates(o);
}

TEST(SameClaimModel, LengthRatio) {
  auto model =
      SimilarityModel::Fit({"apple banana cherry durian", "apple banana"}, SimilarityOptions{});
  ASSERT_TRUE(model.ok());
  SimilaritySignals s = (*model)->Compare("apple banana cherry durian", "apple banana");
  EXPECT_DOUBLE_EQ(s.length_ratio, 0.5);
  EXPECT_DOUBLE_EQ((*model)->Compare("", "").length_ratio, 1.0);
}

}  // namespace
}  // namespace echotrace
