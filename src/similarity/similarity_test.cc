// Tests of the similarity engine. Fast paths are checked against slow,
// obviously correct versions on random inputs: BM25 top-k against scoring
// every document, sparse dot products against dense ones, the randomized
// SVD against Eigen's dense SVD.
#include "echotrace/similarity.h"

#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <map>
#include <random>

#include "similarity/analyzer.h"
#include "similarity/bm25.h"
#include "similarity/evidence.h"
#include "similarity/lsa.h"
#include "similarity/vectors.h"

namespace echotrace::sim {
namespace {

std::vector<std::vector<uint32_t>> RandomDocs(std::mt19937_64& rng, size_t n, uint32_t vocab) {
  std::vector<std::vector<uint32_t>> docs(n);
  for (auto& d : docs) {
    size_t len = rng() % 30;
    // Zipf-like: small ids are common.
    for (size_t i = 0; i < len; ++i)
      d.push_back(static_cast<uint32_t>((rng() % vocab) * (rng() % vocab) / vocab));
  }
  return docs;
}

TEST(Bm25Test, TopKMatchesBruteForceOnRandomCollections) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    std::mt19937_64 rng(seed);
    const uint32_t vocab = 50;
    auto docs = RandomDocs(rng, 200, vocab);
    Bm25Index index(docs, vocab);
    for (int q = 0; q < 10; ++q) {
      std::vector<uint32_t> query;
      for (size_t i = 0, n = 1 + rng() % 6; i < n; ++i)
        query.push_back(static_cast<uint32_t>(rng() % vocab));
      // Brute force: the formula, directly, for every document.
      std::vector<ScoredDoc> all;
      std::vector<uint32_t> distinct = query;
      std::sort(distinct.begin(), distinct.end());
      distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
      double avgdl = 0;
      for (auto& d : docs) avgdl += d.size();
      avgdl = std::max(1.0, avgdl / docs.size());
      for (uint32_t d = 0; d < docs.size(); ++d) {
        double s = 0;
        for (uint32_t t : distinct) {
          double tf = static_cast<double>(std::count(docs[d].begin(), docs[d].end(), t));
          double df = 0;
          for (auto& o : docs) df += std::count(o.begin(), o.end(), t) > 0;
          double idf = std::log(1 + (docs.size() - df + 0.5) / (df + 0.5));
          s += idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * docs[d].size() / avgdl));
        }
        EXPECT_NEAR(s, index.Score(query, d), 1e-9);
        if (s > 0) all.push_back({d, s});
      }
      std::stable_sort(all.begin(), all.end(), [](auto& a, auto& b) { return a.score > b.score; });
      auto top = index.TopK(query, 10);
      ASSERT_EQ(top.size(), std::min<size_t>(10, all.size()));
      for (size_t i = 0; i < top.size(); ++i) {
        EXPECT_NEAR(top[i].score, all[i].score, 1e-9) << "seed " << seed << " rank " << i;
      }
    }
  }
}

TEST(AnalyzerTest, StemsSplitsAndDropsStopwords) {
  Analyzer a;
  EXPECT_EQ(a.Terms("The runners were running", "en"), (std::vector<std::string>{"runner", "run"}));
  EXPECT_EQ(a.Terms("#BlackLivesMatter", "en"),
            (std::vector<std::string>{"black", "live", "matter"}));
  EXPECT_EQ(a.Terms("a 10-meter-long anaconda", "en"),
            (std::vector<std::string>{"10", "meter", "long", "anaconda"}));
  EXPECT_EQ(a.Terms("McDonald’s $1,400 https://t.co/x", "en"),
            (std::vector<std::string>{"mcdonald", "1400"}));
  // Russian: inflected forms share a stem.
  EXPECT_EQ(a.Terms("книги", "ru"), a.Terms("книга", "ru"));
  EXPECT_EQ(a.Stem("words", "xx"), "words");  // no stemmer: unchanged
}

TEST(AnalyzerTest, UkrainianAndMixedScripts) {
  Analyzer a;
  // Inflected Ukrainian forms meet (light stemmer, no Snowball one).
  auto uk = a.Terms("виборів вибори виборами", "uk");
  ASSERT_EQ(uk.size(), 3u);
  EXPECT_EQ(uk[0], uk[1]);
  EXPECT_EQ(uk[1], uk[2]);
  // Short words keep at least three letters.
  EXPECT_EQ(a.Stem("мова", "uk"), "мов");
  // A Russian word in an English text is stemmed as Russian, an English
  // word in a Russian text as English.
  EXPECT_EQ(a.Stem("книги", "en"), a.Stem("книги", "ru"));
  EXPECT_EQ(a.Stem("elections", "ru"), "elect");
}

TEST(AnalyzerTest, SplitCompound) {
  EXPECT_EQ(SplitCompound("COVID19Vaccine"), (std::vector<std::string>{"COVID", "19", "Vaccine"}));
  EXPECT_EQ(SplitCompound("fake_news"), (std::vector<std::string>{"fake", "news"}));
  EXPECT_EQ(SplitCompound("FedorovMykhailo"), (std::vector<std::string>{"Fedorov", "Mykhailo"}));
  EXPECT_TRUE(SplitCompound("").empty());
}

TEST(VectorsTest, SparseDotMatchesDense) {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 100; ++trial) {
    std::vector<uint32_t> a, b;
    for (int i = 0; i < 20; ++i) a.push_back(static_cast<uint32_t>(rng() % 30));
    for (int i = 0; i < 20; ++i) b.push_back(static_cast<uint32_t>(rng() % 30));
    SparseVec va = CountIds(a), vb = CountIds(b);
    std::vector<double> da(30, 0), db(30, 0);
    for (auto x : a) da[x] += 1;
    for (auto x : b) db[x] += 1;
    double dense = 0;
    for (int i = 0; i < 30; ++i) dense += da[i] * db[i];
    EXPECT_DOUBLE_EQ(Dot(va, vb), dense);
  }
}

// The precomputed idf (dense table or sorted ids) against counting the
// documents that hold each id, for dense vocabulary ids and sparse hashes.
TEST(VectorsTest, IdfMatchesCountingDocuments) {
  std::mt19937_64 rng(5);
  for (bool sparse : {false, true}) {
    for (int round = 0; round < 20; ++round) {
      std::vector<std::vector<uint32_t>> docs(1 + rng() % 30);
      const uint32_t span = sparse ? 0xFFFFFFF0u : 50;
      std::vector<uint32_t> pool;
      for (int i = 0; i < 40; ++i) pool.push_back(static_cast<uint32_t>(rng() % span));
      for (auto& d : docs)
        for (size_t k = rng() % 12; k > 0; --k) d.push_back(pool[rng() % pool.size()]);
      TfIdf t(docs);
      std::vector<uint32_t> probe = pool;
      for (int i = 0; i < 20; ++i) probe.push_back(static_cast<uint32_t>(rng() % (span + 10)));
      for (uint32_t id : probe) {
        double df = 0;
        for (const auto& d : docs) df += std::count(d.begin(), d.end(), id) > 0;
        const double n = static_cast<double>(docs.size());
        EXPECT_DOUBLE_EQ(t.Idf(id), std::log((1.0 + n) / (1.0 + df)) + 1.0) << id;
      }
    }
  }
  EXPECT_DOUBLE_EQ(TfIdf().Idf(7), 1.0);
}

TEST(VectorsTest, CharNgramsSeeThroughGluedWords) {
  TfIdf w(std::vector<std::vector<uint32_t>>{});
  SparseVec a = w.Vector(CharNgramIds("#Covid19Vaccine", 3, 5));
  SparseVec b = w.Vector(CharNgramIds("covid 19 vaccine", 3, 5));
  SparseVec c = w.Vector(CharNgramIds("grain embargo", 3, 5));
  EXPECT_NEAR(Dot(a, a), 1.0, 1e-6);
  EXPECT_GT(Dot(a, b), 0.99);
  EXPECT_LT(Dot(a, c), 0.1);
}

TEST(LsaTest, MatchesDenseSvdOnLowRankMatrix) {
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> u(0, 1);
  const int n = 40, d = 25, r = 5;
  Eigen::MatrixXd left(n, r), right(r, d);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < r; ++j) left(i, j) = u(rng);
  for (int i = 0; i < r; ++i)
    for (int j = 0; j < d; ++j) right(i, j) = u(rng);
  Eigen::MatrixXd a = left * right;  // rank 5: the range finder is exact
  std::vector<SparseVec> rows(n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < d; ++j) rows[i].emplace_back(j, static_cast<float>(a(i, j)));
  LsaOptions o;
  o.rank = r;
  Lsa lsa = Lsa::Fit(rows, d, o);
  Eigen::MatrixXd af(n, d);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < d; ++j) af(i, j) = rows[i][j].second;
  Eigen::JacobiSVD<Eigen::MatrixXd> svd(af, Eigen::ComputeThinV);
  ASSERT_EQ(lsa.rank(), r);
  for (int j = 0; j < r; ++j) {
    EXPECT_NEAR(lsa.singular_values()[j], svd.singularValues()(j), 1e-3 * svd.singularValues()(0));
    // Same singular vector up to sign.
    auto v = lsa.Component(j);
    double dot = 0;
    for (int f = 0; f < d; ++f) dot += v[f] * svd.matrixV()(f, j);
    EXPECT_NEAR(std::fabs(dot), 1.0, 1e-3);
  }
  // Deterministic: the same fit gives the same projection.
  Lsa again = Lsa::Fit(rows, d, o);
  EXPECT_EQ(lsa.Project(rows[0]), again.Project(rows[0]));
}

TEST(EvidenceTest, NamesNumbersTagsHandles) {
  Evidence e =
      ExtractEvidence("Kharkiv station: 1,400 people #Ukraine @timkmak https://www.bbc.co.uk/x");
  EXPECT_EQ(e.names, (std::vector<std::string>{"kharkiv"}));
  EXPECT_EQ(e.numbers, (std::vector<std::string>{"1400"}));
  EXPECT_EQ(e.tags, (std::vector<std::string>{"ukraine"}));
  EXPECT_EQ(e.handles, (std::vector<std::string>{"timkmak"}));
  EXPECT_EQ(e.hosts, (std::vector<std::string>{"bbc.co.uk"}));
  EvidenceMatch m = MatchEvidence(e, ExtractEvidence("In Kharkiv, 1400 people waited"));
  EXPECT_DOUBLE_EQ(m.names, 1.0);
  EXPECT_DOUBLE_EQ(m.numbers, 1.0);
  EXPECT_FALSE(m.tag_or_link);
}

TEST(SimilarityModelTest, ParaphraseBeatsUnrelatedAndExplains) {
  std::vector<std::string> coll = {
      "Starlink service is now active in Ukraine", "The vaccine changes your DNA",
      "Grain exports from Odesa resumed", "A video shows a 10-meter-long anaconda in Brazil",
      "Elon Musk activated Starlink satellites over Ukraine"};
  auto m = SimilarityModel::Fit(coll, SimilarityOptions{});
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  SimilaritySignals near = (*m)->Compare("Musk says Starlink is active in Ukraine now",
                                         "Elon Musk activated Starlink satellites over Ukraine");
  SimilaritySignals far = (*m)->Compare("Musk says Starlink is active in Ukraine now",
                                        "Grain exports from Odesa resumed");
  EXPECT_GT(near.score, far.score);
  EXPECT_NE(std::find(near.shared_terms.begin(), near.shared_terms.end(), "starlink"),
            near.shared_terms.end());
  // User-supplied vectors take part when both sides have one.
  Representation a = (*m)->Represent({"x", "en", {1, 0}});
  Representation b = (*m)->Represent({"y", "en", {1, 0}});
  SimilaritySignals e = (*m)->Compare(a, b);
  EXPECT_TRUE(e.has_embedding);
  EXPECT_NEAR(e.embedding, 1.0, 1e-9);
}

TEST(SimilarityModelTest, RejectsBadOptions) {
  SimilarityOptions o;
  o.char_ngram_min = 6;
  o.char_ngram_max = 3;
  EXPECT_EQ(SimilarityModel::Fit({}, o).status().code(), StatusCode::kInvalidArgument);
  SimilarityOptions w;
  w.weights = {1};
  EXPECT_EQ(SimilarityModel::Fit({}, w).status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(SimilarityModel::Fit({}, SimilarityOptions{}).ok());
}

}  // namespace
}  // namespace echotrace::sim
