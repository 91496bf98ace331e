// Tests of the word vectors file and the semantic signals. The file format is
// checked on small files written here (round trip, every kind of damage and
// the message it gives); the hash lookup against binary search; the sentence
// encoders against a straightforward version (dense matrix, Eigen's SVD);
// the soft alignment against a double loop over WordVectors::Cosine. Tests
// of the real vectors (build/echotrace-vectors.bin) skip when it is absent.
#include "similarity/semantic.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <Eigen/Dense>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>
#include <set>

#include "echotrace/similarity.h"
#include "similarity/analyzer.h"
#include "similarity/lsa.h"
#include "similarity/word_vectors.h"

namespace echotrace {
namespace {

std::string TempPath(const std::string& name) {
  return ::testing::TempDir() + "/semantic_test_" + std::to_string(::getpid()) + "_" + name;
}

struct Toy {
  std::vector<std::string> words;
  std::vector<uint32_t> ranks;
  std::vector<float> values;
  int dims = 0;
};

// `n` distinct random lower-case words with random vectors and ranks.
Toy RandomToy(std::mt19937_64& rng, size_t n, int dims) {
  Toy t;
  t.dims = dims;
  std::set<std::string> seen;
  while (t.words.size() < n) {
    std::string w;
    for (size_t i = 0, len = 1 + rng() % 8; i < len; ++i) w.push_back(char('a' + rng() % 6));
    if (seen.insert(w).second) t.words.push_back(w);
  }
  for (size_t i = 0; i < n; ++i) t.ranks.push_back(static_cast<uint32_t>(i));
  std::shuffle(t.ranks.begin(), t.ranks.end(), rng);
  std::normal_distribution<float> g(0.0f, 0.5f);
  for (size_t i = 0; i < n * static_cast<size_t>(dims); ++i) t.values.push_back(g(rng));
  return t;
}

std::shared_ptr<const WordVectors> WriteAndOpen(const Toy& t, const std::string& path) {
  EXPECT_TRUE(WriteWordVectors(path, t.words, t.ranks, t.values, t.dims).ok());
  auto v = WordVectors::Open(path);
  EXPECT_TRUE(v.ok()) << v.status().ToString();
  return v.ok() ? *v : nullptr;
}

double FloatCosine(const float* a, const float* b, int d) {
  double ab = 0, aa = 0, bb = 0;
  for (int i = 0; i < d; ++i) ab += a[i] * b[i], aa += a[i] * a[i], bb += b[i] * b[i];
  return ab / std::sqrt(aa * bb);
}

TEST(WordVectorsTest, RoundTripLookupAndQuantisationOnRandomFiles) {
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    std::mt19937_64 rng(seed);
    Toy t = RandomToy(rng, 300, 16);
    auto v = WriteAndOpen(t, TempPath("rt.bin"));
    ASSERT_NE(v, nullptr);
    ASSERT_EQ(v->size(), t.words.size());
    ASSERT_EQ(v->dims(), 16);
    for (size_t i = 0; i < t.words.size(); ++i) {
      int32_t ix = v->Find(t.words[i]);
      ASSERT_NE(ix, WordVectors::kNone);
      EXPECT_EQ(ix, v->FindSorted(t.words[i]));
      EXPECT_EQ(v->Word(ix), t.words[i]);
      EXPECT_EQ(v->Rank(ix), t.ranks[i]);
      std::vector<float> x = v->Vector(ix);
      float amax = 0;
      for (int d = 0; d < 16; ++d) amax = std::max(amax, std::fabs(t.values[i * 16 + d]));
      for (int d = 0; d < 16; ++d) EXPECT_NEAR(x[d], t.values[i * 16 + d], amax / 127 * 0.5001);
    }
    // Words sorted bytewise (the binary search relies on it).
    for (size_t i = 1; i < v->size(); ++i) {
      EXPECT_LT(v->Word(static_cast<int32_t>(i - 1)), v->Word(static_cast<int32_t>(i)));
    }
    // Absent words: both lookups agree.
    for (int q = 0; q < 500; ++q) {
      std::string w;
      for (size_t i = 0, len = 1 + rng() % 9; i < len; ++i) w.push_back(char('a' + rng() % 7));
      EXPECT_EQ(v->Find(w), v->FindSorted(w)) << w;
    }
    // Cosine of the int8 codes against the float vectors.
    for (int q = 0; q < 200; ++q) {
      size_t a = rng() % t.words.size(), b = rng() % t.words.size();
      double want = FloatCosine(&t.values[a * 16], &t.values[b * 16], 16);
      EXPECT_NEAR(v->Cosine(v->Find(t.words[a]), v->Find(t.words[b])), want, 0.02);
    }
  }
}

TEST(WordVectorsTest, EmptyAndZeroVectors) {
  auto v = WriteAndOpen(Toy{{}, {}, {}, 4}, TempPath("empty.bin"));
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->Find("x"), WordVectors::kNone);
  EXPECT_EQ(v->FindSorted("x"), WordVectors::kNone);
  auto z = WriteAndOpen(Toy{{"a", "b"}, {0, 1}, {0, 0, 0, 0, 1, 0, 0, 0}, 4}, TempPath("z.bin"));
  ASSERT_NE(z, nullptr);
  EXPECT_EQ(z->Cosine(z->Find("a"), z->Find("b")), 0.0);
  EXPECT_FALSE(WriteWordVectors(TempPath("dup.bin"), {"a", "a"}, {0, 1}, {1, 2}, 1).ok());
}

// Writes a good file, damages it with `damage`, and returns Open's error.
Status OpenDamaged(const std::function<void(std::string*)>& damage, const std::string& path) {
  std::mt19937_64 rng(7);
  Toy t = RandomToy(rng, 50, 8);
  EXPECT_TRUE(WriteWordVectors(path, t.words, t.ranks, t.values, t.dims).ok());
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  in.close();
  damage(&bytes);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  auto v = WordVectors::Open(path);
  return v.ok() ? Status::OK() : v.status();
}

void ExpectNamesFix(const Status& s, const std::string& path, const std::string& reason) {
  EXPECT_EQ(s.code(), StatusCode::kCorruption) << s.ToString();
  EXPECT_NE(s.message().find(path), std::string::npos) << s.message();
  EXPECT_NE(s.message().find(reason), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("scripts/install-deps.sh"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("rebuild"), std::string::npos) << s.message();
}

TEST(WordVectorsTest, DamagedFilesAreRefusedWithTheFix) {
  const std::string p = TempPath("bad.bin");
  ExpectNamesFix(OpenDamaged([](std::string* b) { (*b)[0] = 'X'; }, p), p, "bad magic");
  ExpectNamesFix(OpenDamaged([](std::string* b) { b->resize(b->size() - 3); }, p), p, "truncated");
  ExpectNamesFix(OpenDamaged([](std::string* b) { b->resize(40); }, p), p, "shorter than");
  ExpectNamesFix(OpenDamaged([](std::string* b) { (*b)[b->size() - 100] ^= 0x5A; }, p), p,
                 "checksum");
  ExpectNamesFix(OpenDamaged([](std::string* b) { (*b)[8] = 9; }, p), p, "format version 9");
  // Intact again: opens.
  EXPECT_TRUE(OpenDamaged([](std::string*) {}, p).ok());
}

TEST(WordVectorsTest, MissingFileNamesTheFixAndTheSearchOrderHolds) {
  const std::string missing = TempPath("absent.bin");
  auto v = WordVectors::Open(missing);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().code(), StatusCode::kNotFound);
  EXPECT_NE(v.status().message().find("scripts/install-deps.sh"), std::string::npos);
  auto l = LocateWordVectors(missing);
  ASSERT_FALSE(l.ok());
  EXPECT_NE(l.status().message().find("--vectors"), std::string::npos);
  // The environment variable comes before the places next to the binary.
  std::mt19937_64 rng(3);
  const std::string env_file = TempPath("env.bin");
  ASSERT_NE(WriteAndOpen(RandomToy(rng, 10, 4), env_file), nullptr);
  ::setenv("ECHOTRACE_VECTORS", env_file.c_str(), 1);
  auto found = LocateWordVectors("");
  ::unsetenv("ECHOTRACE_VECTORS");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(*found, env_file);
  // An explicit path wins over the environment.
  ::setenv("ECHOTRACE_VECTORS", missing.c_str(), 1);
  auto expl = LocateWordVectors(env_file);
  auto env_missing = LocateWordVectors("");
  ::unsetenv("ECHOTRACE_VECTORS");
  ASSERT_TRUE(expl.ok());
  EXPECT_EQ(*expl, env_file);
  ASSERT_FALSE(env_missing.ok());
  EXPECT_NE(env_missing.status().message().find("ECHOTRACE_VECTORS"), std::string::npos);
}

// The straightforward encoder: dense n×d matrix of raw sentence vectors,
// Eigen's SVD for the principal directions, and the published formulas.
std::vector<std::vector<double>> SlowEncode(const WordVectors& v, sim::SentenceMethod m,
                                            const std::vector<std::vector<int32_t>>& texts) {
  const int d = v.dims();
  const double n_words = static_cast<double>(v.size());
  double h = 0;
  for (size_t r = 1; r <= v.size(); ++r) h += 1.0 / static_cast<double>(r);
  auto p = [&](int32_t w) { return 1.0 / ((v.Rank(w) + 1.0) * h); };
  double a = 1e-3;
  if (m == sim::SentenceMethod::kUsif) {
    double len = 0, cnt = 0;
    for (auto& t : texts) {
      if (!t.empty()) len += static_cast<double>(t.size()), cnt += 1;
    }
    double thr = 1 - std::pow(1 - 1 / n_words, std::round(len / cnt));
    double above = 0;
    for (size_t w = 0; w < v.size(); ++w) above += p(static_cast<int32_t>(w)) > thr;
    double alpha = std::max(above, 1.0) / n_words;
    a = (1 - alpha) / (alpha * 0.5 * n_words);
  }
  std::vector<std::vector<double>> raw;
  for (auto& t : texts) {
    std::vector<double> x(d, 0.0);
    for (int32_t w : t) {
      std::vector<float> e = v.Vector(w);
      double norm = 0;
      for (float f : e) norm += static_cast<double>(f) * f;
      norm = std::sqrt(norm);
      double wt = m == sim::SentenceMethod::kSif ? a / (a + p(w)) : a / (0.5 * a + p(w)) / norm;
      for (int i = 0; i < d; ++i) x[i] += wt * e[i] / static_cast<double>(t.size());
    }
    raw.push_back(x);
  }
  Eigen::MatrixXd x(static_cast<Eigen::Index>(raw.size()), d);
  for (size_t r = 0; r < raw.size(); ++r)
    for (int i = 0; i < d; ++i) x(static_cast<Eigen::Index>(r), i) = raw[r][i];
  Eigen::JacobiSVD<Eigen::MatrixXd> svd(x, Eigen::ComputeFullV);
  int k = m == sim::SentenceMethod::kSif ? 1 : 5;
  double s2 = 0;
  for (int i = 0; i < k; ++i) s2 += svd.singularValues()(i) * svd.singularValues()(i);
  for (auto& r : raw) {
    std::vector<double> y = r;
    for (int i = 0; i < k; ++i) {
      double lambda = m == sim::SentenceMethod::kSif
                          ? 1.0
                          : svd.singularValues()(i) * svd.singularValues()(i) / s2;
      double dot = 0;
      for (int j = 0; j < d; ++j) dot += svd.matrixV()(j, i) * r[j];
      for (int j = 0; j < d; ++j) y[j] -= lambda * dot * svd.matrixV()(j, i);
    }
    r = y;
  }
  return raw;
}

TEST(SemanticTest, SentenceEncodersMatchTheStraightforwardVersionOnRandomTexts) {
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    std::mt19937_64 rng(seed);
    Toy t = RandomToy(rng, 200, 12);
    auto v = WriteAndOpen(t, TempPath("enc.bin"));
    ASSERT_NE(v, nullptr);
    std::vector<std::vector<int32_t>> texts(40);
    for (auto& x : texts) {
      for (size_t i = 0, n = 1 + rng() % 12; i < n; ++i)
        x.push_back(static_cast<int32_t>(rng() % v->size()));
    }
    for (auto m : {sim::SentenceMethod::kSif, sim::SentenceMethod::kUsif}) {
      sim::SentenceEncoder enc(v.get(), m, texts);
      auto slow = SlowEncode(*v, m, texts);
      for (size_t i = 0; i < texts.size(); ++i) {
        std::vector<float> fast = enc.Encode(texts[i]);
        ASSERT_EQ(fast.size(), 12u);
        double scale = 0;
        for (double s : slow[i]) scale = std::max(scale, std::fabs(s));
        for (int j = 0; j < 12; ++j) EXPECT_NEAR(fast[j], slow[i][j], 1e-4 * (1 + scale));
      }
    }
    EXPECT_TRUE(sim::SentenceEncoder(v.get(), sim::SentenceMethod::kSif, texts).Encode({}).empty());
  }
}

TEST(SemanticTest, SmallCollectionsKeepThePlainWeightedMean) {
  std::mt19937_64 rng(5);
  Toy t = RandomToy(rng, 100, 12);
  auto v = WriteAndOpen(t, TempPath("small.bin"));
  ASSERT_NE(v, nullptr);
  // Two texts (fewer than the 12 dimensions): removing a component would
  // leave them anti-parallel, cosine -1 whatever they say.
  std::vector<std::vector<int32_t>> texts = {{1, 2, 3}, {1, 2, 4}};
  for (auto m : {sim::SentenceMethod::kSif, sim::SentenceMethod::kUsif}) {
    sim::SentenceEncoder enc(v.get(), m, texts);
    EXPECT_TRUE(enc.components().empty());
    EXPECT_EQ(enc.Encode(texts[0]), enc.Raw(texts[0]));
    EXPECT_GT(sim::Cosine(enc.Encode(texts[0]), enc.Encode(texts[1])), 0.0);
  }
}

TEST(SemanticTest, SoftAlignmentMatchesTheDoubleLoopOnRandomWords) {
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    std::mt19937_64 rng(seed);
    Toy t = RandomToy(rng, 100, 10);
    auto v = WriteAndOpen(t, TempPath("align.bin"));
    ASSERT_NE(v, nullptr);
    auto side = [&](std::vector<std::string>* words, std::vector<float>* weights) {
      for (size_t i = 0, n = rng() % 9; i < n; ++i) {
        // One word in five is unknown to the vectors.
        words->push_back(rng() % 5 == 0 ? "zz" + std::to_string(rng() % 3)
                                        : t.words[rng() % t.words.size()]);
        weights->push_back(0.5f + static_cast<float>(rng() % 100) / 50.0f);
      }
    };
    std::vector<std::string> wa, wb;
    std::vector<float> ka, kb;
    side(&wa, &ka);
    side(&wb, &kb);
    auto idx = [&](const std::vector<std::string>& ws) {
      std::vector<int32_t> out;
      for (auto& w : ws) out.push_back(v->Find(w));
      return out;
    };
    sim::AlignSide a = sim::MakeAlignSide(*v, wa, idx(wa), ka);
    sim::AlignSide b = sim::MakeAlignSide(*v, wb, idx(wb), kb);
    auto slow = [&](const std::vector<std::string>& x, const std::vector<float>& kx,
                    const std::vector<std::string>& y) {
      double num = 0, den = 0;
      for (size_t i = 0; i < x.size(); ++i) {
        double best = 0;
        for (size_t j = 0; j < y.size(); ++j) {
          double c = 0;
          if (x[i] == y[j]) {
            c = 1;
          } else if (v->Find(x[i]) != WordVectors::kNone && v->Find(y[j]) != WordVectors::kNone) {
            c = v->Cosine(v->Find(x[i]), v->Find(y[j]));
          }
          best = std::max(best, c);
        }
        num += kx[i] * best;
        den += kx[i];
      }
      return den > 0 ? num / den : 0.0;
    };
    EXPECT_NEAR(sim::AlignDirected(a, b, 10), slow(wa, ka, wb), 1e-5);
    EXPECT_NEAR(sim::AlignDirected(b, a, 10), slow(wb, kb, wa), 1e-5);
    EXPECT_NEAR(sim::SoftAlignment(a, b, 10), 0.5 * (slow(wa, ka, wb) + slow(wb, kb, wa)), 1e-5);
  }
}

TEST(SemanticTest, VectorWordsSplitLikeTheVectorsSpell) {
  EXPECT_EQ(sim::VectorWords("The country's 10-meter-long #BlackLivesMatter 1,400 don't"),
            (std::vector<std::string>{"the", "country", "10", "meter", "long", "black", "lives",
                                      "matter", "1400", "don"}));
  EXPECT_TRUE(sim::VectorWords("").empty());
}

// The real vectors, when the build made them.
std::shared_ptr<const WordVectors> RealVectors() {
  auto v = LoadWordVectors("");
  return v.ok() ? *v : nullptr;
}

TEST(RealVectorsTest, GloveLookupAndNeighbours) {
  auto v = RealVectors();
  if (!v) GTEST_SKIP() << "no echotrace-vectors.bin: " << LoadWordVectors("").status().ToString();
  EXPECT_EQ(v->size(), 341479u);
  EXPECT_EQ(v->dims(), 100);
  EXPECT_EQ(v->Rank(v->Find("the")), 0u);
  std::mt19937_64 rng(11);
  for (int q = 0; q < 2000; ++q) {
    int32_t i = static_cast<int32_t>(rng() % v->size());
    EXPECT_EQ(v->Find(v->Word(i)), i);
    EXPECT_EQ(v->FindSorted(v->Word(i)), i);
  }
  auto cos = [&](const char* a, const char* b) { return v->Cosine(v->Find(a), v->Find(b)); };
  EXPECT_GT(cos("king", "queen"), cos("king", "carrot"));
  EXPECT_GT(cos("vaccine", "vaccines"), 0.7);
}

TEST(RealVectorsTest, ParaphrasesScoreAboveUnrelatedTexts) {
  auto v = RealVectors();
  if (!v) GTEST_SKIP() << "no echotrace-vectors.bin: " << LoadWordVectors("").status().ToString();
  std::vector<std::string> coll = {
      "A man is playing a guitar.",           "A person plays the guitar.",
      "The stock market fell sharply today.", "A woman is slicing an onion.",
      "Someone is cutting an onion.",         "Shares tumbled on Wall Street."};
  SimilarityOptions o;
  o.word_vectors = v;
  auto m = SimilarityModel::Fit(coll, o);
  ASSERT_TRUE(m.ok());
  SimilaritySignals same = (*m)->Compare(coll[0], coll[1]);
  SimilaritySignals other = (*m)->Compare(coll[0], coll[2]);
  SimilaritySignals markets = (*m)->Compare(coll[2], coll[5]);
  ASSERT_TRUE(same.has_vectors);
  EXPECT_GT(same.usif, other.usif);
  EXPECT_GT(same.sif, other.sif);
  EXPECT_GT(same.align, other.align);
  // No shared word at all, yet aligned: fell/tumbled, stock/shares, market/street.
  EXPECT_EQ(markets.words, 0.0);
  EXPECT_GT(markets.align, (*m)->Compare(coll[2], coll[3]).align);
}

TEST(RealVectorsTest, LexicalSignalsUnchangedAndScoreMixedWithVectors) {
  auto v = RealVectors();
  if (!v) GTEST_SKIP() << "no echotrace-vectors.bin: " << LoadWordVectors("").status().ToString();
  std::vector<std::string> coll = {"NATO expansion provoked the war", "The war was provoked",
                                   "Kharkiv shelled again, 1,400 homes without power"};
  SimilarityOptions with;
  with.word_vectors = v;
  auto a = SimilarityModel::Fit(coll, SimilarityOptions{});
  auto b = SimilarityModel::Fit(coll, with);
  ASSERT_TRUE(a.ok() && b.ok());
  for (auto& x : coll) {
    for (auto& y : coll) {
      SimilaritySignals sa = (*a)->Compare(x, y), sb = (*b)->Compare(x, y);
      EXPECT_FALSE(sa.has_vectors);
      EXPECT_EQ(sa.words, sb.words);
      EXPECT_EQ(sa.chars, sb.chars);
      EXPECT_EQ(sa.lsa, sb.lsa);
      EXPECT_NEAR(sb.score, 0.5 * sa.score + 0.25 * sb.usif + 0.25 * sb.align, 1e-12);
    }
  }
}

}  // namespace
}  // namespace echotrace
