#include "neardup/neardup.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "neardup/union_find.h"
#include "text/normalize.h"

namespace echotrace::neardup {
namespace {

std::vector<std::string_view> Views(const std::vector<std::string>& texts) {
  return {texts.begin(), texts.end()};
}

NearDupResult MustRun(const std::vector<std::string>& texts, NearDupOptions options = {}) {
  const std::vector<std::string_view> views = Views(texts);
  Result<NearDupResult> r = FindNearDuplicates(views, {}, options);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(r).value() : NearDupResult();
}

// Random corpus: base posts of 3..45 words over a skewed vocabulary of Latin
// and Cyrillic words, each with 0..4 variants carrying 0..3 small edits
// (substitution, insertion, deletion, swap, case change, a t.co link), so
// that many pairs straddle any threshold; shuffled.
std::vector<std::string> RandomCorpus(uint32_t seed, int bases = 110) {
  std::mt19937 rng(seed);
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  std::vector<std::string> vocab;
  const char* cyr[] = {"д", "а", "н", "о", "в", "и", "к", "р", "с", "т"};
  for (int w = 0; w < 400; ++w) {
    std::string word;
    const int len = uniform(2, 8);
    for (int c = 0; c < len; ++c) {
      word +=
          w % 4 == 0 ? std::string(cyr[uniform(0, 9)]) : std::string(1, char('a' + uniform(0, 25)));
    }
    vocab.push_back(word);
  }
  auto word = [&] {
    const double u = std::uniform_real_distribution<double>(0, 1)(rng);
    return vocab[static_cast<size_t>(u * u * vocab.size())];
  };
  auto join = [](const std::vector<std::string>& words) {
    std::string s;
    for (const std::string& w : words) s += (s.empty() ? "" : " ") + w;
    return s;
  };
  std::vector<std::string> texts;
  for (int b = 0; b < bases; ++b) {
    std::vector<std::string> base(uniform(3, 45));
    for (std::string& w : base) w = word();
    texts.push_back(join(base));
    for (int v = uniform(0, 4); v > 0; --v) {
      std::vector<std::string> words = base;
      for (int e = uniform(0, 3); e > 0; --e) {
        const size_t pos = uniform(0, static_cast<int>(words.size()) - 1);
        switch (uniform(0, 5)) {
          case 0:
            words[pos] = word();
            break;
          case 1:
            words.insert(words.begin() + pos, word());
            break;
          case 2:
            if (words.size() > 1) words.erase(words.begin() + pos);
            break;
          case 3:
            if (pos + 1 < words.size()) std::swap(words[pos], words[pos + 1]);
            break;
          case 4:
            for (char& c : words[pos]) c = static_cast<char>(std::toupper(c));
            break;
          default:
            words.push_back("https://t.co/" + std::to_string(rng()));
            break;
        }
      }
      texts.push_back(join(words));
    }
  }
  std::shuffle(texts.begin(), texts.end(), rng);
  return texts;
}

struct Score {
  uint64_t truth = 0, in_cluster = 0, direct = 0;
};

// Checks every join against exact similarity and scores recall against
// all-pairs brute force.
Score CheckAgainstBruteForce(const std::vector<std::string>& texts, const NearDupResult& r,
                             const NearDupOptions& options) {
  const uint32_t n = static_cast<uint32_t>(texts.size());
  std::vector<DocShingles> sh(n);
  for (uint32_t d = 0; d < n; ++d) ComputeShingles(texts[d], options.shingle, &sh[d]);
  // Every join is justified, and they alone make the clusters.
  UnionFind uf(n);
  for (uint32_t d = 0; d < n; ++d) {
    const uint32_t rep = r.representative[d];
    if (rep == d) continue;
    EXPECT_TRUE(NormalizedHash(texts[d]) == NormalizedHash(texts[rep]) ||
                PairSimilarity(sh[d], sh[rep], options.shingle) == 1.0)
        << texts[d] << " | " << texts[rep];
    uf.Union(d, rep);
  }
  std::set<uint64_t> direct;
  for (const VerifiedPair& p : r.pairs) {
    const double j = PairSimilarity(sh[p.a], sh[p.b], options.shingle);
    EXPECT_GE(j, options.threshold) << texts[p.a] << " | " << texts[p.b];
    EXPECT_NEAR(j, p.jaccard, 1e-6);
    uf.Union(p.a, p.b);
    direct.insert(uint64_t{p.a} << 32 | p.b);
  }
  EXPECT_EQ(uf.Canonical(), r.cluster);
  Score s;
  for (uint32_t i = 0; i < n; ++i) {
    for (uint32_t j = i + 1; j < n; ++j) {
      if (PairSimilarity(sh[i], sh[j], options.shingle) < options.threshold) continue;
      ++s.truth;
      s.in_cluster += r.cluster[i] == r.cluster[j];
      const uint32_t a = std::min(r.representative[i], r.representative[j]);
      const uint32_t b = std::max(r.representative[i], r.representative[j]);
      s.direct += a == b || direct.count(uint64_t{a} << 32 | b) > 0;
    }
  }
  return s;
}

void ExpectRecall(double threshold, int seeds, double min_recall) {
  NearDupOptions options;
  options.threshold = threshold;
  options.collect_pairs = true;
  Score total;
  for (int seed = 1; seed <= seeds; ++seed) {
    const std::vector<std::string> texts = RandomCorpus(seed);
    const Score s = CheckAgainstBruteForce(texts, MustRun(texts, options), options);
    total.truth += s.truth;
    total.in_cluster += s.in_cluster;
    total.direct += s.direct;
  }
  const double recall = static_cast<double>(total.in_cluster) / total.truth;
  const double direct = static_cast<double>(total.direct) / total.truth;
  std::printf("threshold %.2f, %d seeds: %llu pairs >= t, recall in clusters %.4f, direct %.4f\n",
              threshold, seeds, static_cast<unsigned long long>(total.truth), recall, direct);
  EXPECT_GT(total.truth, 1000u);
  EXPECT_GE(recall, min_recall);
  EXPECT_GE(direct, min_recall - 0.01);
}

TEST(NearDupTest, RecallAgainstBruteForceAtDefaults) { ExpectRecall(0.8, 30, 0.98); }

TEST(NearDupTest, RecallAgainstBruteForceAtOtherThresholds) {
  ExpectRecall(0.5, 8, 0.98);
  ExpectRecall(0.65, 8, 0.98);
  ExpectRecall(0.9, 8, 0.98);
}

TEST(NearDupTest, SameResultForAnyThreadCount) {
  const std::vector<std::string> texts = RandomCorpus(99, 300);
  NearDupOptions options;
  options.collect_pairs = true;
  std::vector<NearDupResult> runs;
  for (int threads : {1, 2, 3}) {
    options.threads = threads;
    runs.push_back(MustRun(texts, options));
  }
  for (size_t i = 1; i < runs.size(); ++i) {
    EXPECT_EQ(runs[i].cluster, runs[0].cluster);
    EXPECT_EQ(runs[i].representative, runs[0].representative);
    ASSERT_EQ(runs[i].pairs.size(), runs[0].pairs.size());
    for (size_t p = 0; p < runs[0].pairs.size(); ++p) {
      EXPECT_EQ(runs[i].pairs[p].a, runs[0].pairs[p].a);
      EXPECT_EQ(runs[i].pairs[p].b, runs[0].pairs[p].b);
    }
    EXPECT_EQ(runs[i].stats.candidate_pairs, runs[0].stats.candidate_pairs);
  }
}

// A 6-word tweet with one word replaced keeps 5 of 7 distinct tokens:
// Jaccard 0.71, a near-duplicate at threshold 0.7 but not at 0.8; one word
// added gives 6/7 = 0.86, a near-duplicate at the default.
TEST(NearDupTest, ShortPostsCompareAsTokenSets) {
  const std::vector<std::string> texts = {
      "We will not be silenced today", "we will NOT be censored today!",
      "We will not be silenced today folks", "Completely different tweet about weather"};
  NearDupResult strict = MustRun(texts);
  EXPECT_NE(strict.cluster[1], strict.cluster[0]);
  EXPECT_EQ(strict.cluster[2], 0u);
  EXPECT_EQ(strict.cluster[3], 3u);
  NearDupOptions loose;
  loose.threshold = 0.7;
  NearDupResult r = MustRun(texts, loose);
  EXPECT_EQ(r.cluster, (std::vector<uint32_t>{0, 0, 0, 3}));
}

// A short post and a long one with the same words (the long one a bridge
// document in the token-set index) compare by token sets.
TEST(NearDupTest, ShortAndLongPostsMeetThroughTokenSets) {
  const std::vector<std::string> texts = {
      "free speech now please retweet",
      "free speech now please retweet free speech now please retweet free speech"};
  EXPECT_EQ(MustRun(texts).cluster, (std::vector<uint32_t>{0, 0}));
}

TEST(NearDupTest, Cyrillic) {
  const std::string long_text =
      "Власти Киева снова ввели новые санкции против России а в Европе об этом молчат и делают "
      "вид что ничего не происходит хотя последствия почувствует каждый житель";
  const std::vector<std::string> texts = {
      "СРОЧНО! Власти Киева снова ввели санкции", "срочно власти киева снова ввели санкции…",
      long_text, long_text + " уже завтра", "Погода в Москве сегодня хорошая"};
  NearDupResult r = MustRun(texts);
  EXPECT_EQ(r.cluster, (std::vector<uint32_t>{0, 0, 2, 2, 4}));
  EXPECT_EQ(r.stats.identical_sets, 1u);
}

TEST(NearDupTest, ExactDuplicatesAndLinkOnlyDifferences) {
  const std::vector<std::string> texts = {"You won't see this on CNN https://t.co/N8ZqZso4sC",
                                          "you won't   see this on CNN https://t.co/N8ZqZso4sC",
                                          "You won't see this on CNN https://t.co/other",
                                          "Something else entirely here"};
  std::vector<uint64_t> hashes;
  for (const std::string& t : texts) hashes.push_back(NormalizedHash(t));
  const std::vector<std::string_view> views = Views(texts);
  Result<NearDupResult> r = FindNearDuplicates(views, hashes, {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->cluster, (std::vector<uint32_t>{0, 0, 0, 3}));
  EXPECT_EQ(r->representative, (std::vector<uint32_t>{0, 0, 0, 3}));
  EXPECT_EQ(r->stats.exact_duplicates, 1u);
  EXPECT_EQ(r->stats.identical_sets, 1u);
  EXPECT_EQ(r->stats.candidate_pairs, 0u);
}

TEST(NearDupTest, EmptyDocumentsStayAlone) {
  const std::vector<std::string> texts = {
      "", "   ", "!!!", "", "https://t.co/a", "https://t.co/a", "https://t.co/b", "!!!"};
  NearDupResult r = MustRun(texts);
  // Empty matching forms are never joined; "!!!" twice is an exact duplicate
  // (same normalised text), URL-only posts compare by their URLs.
  EXPECT_EQ(r.cluster, (std::vector<uint32_t>{0, 1, 2, 3, 4, 4, 6, 2}));
  EXPECT_TRUE(MustRun({}).cluster.empty());
}

TEST(NearDupTest, GiantBucketIsCapped) {
  std::string base;
  for (int w = 0; w < 30; ++w) base += "word" + std::to_string(w) + " ";
  std::vector<std::string> texts;
  for (int d = 0; d < 3000; ++d) texts.push_back(base + "tail" + std::to_string(d));
  NearDupOptions options;
  options.max_bucket = 64;
  NearDupResult r = MustRun(texts, options);
  EXPECT_GT(r.stats.capped_buckets, 0u);
  // Without the cap: 16 bands × 3000²/2 pairs; with it, about one star per band.
  EXPECT_LE(r.stats.candidate_pairs, 16u * 3000u);
  EXPECT_EQ(r.stats.clustered_docs, 3000u);
  EXPECT_EQ(r.stats.clusters, 1u);
}

TEST(NearDupTest, InvalidOptions) {
  const std::vector<std::string_view> texts = {"a b c"};
  NearDupOptions bad;
  bad.threshold = 0;
  EXPECT_EQ(FindNearDuplicates(texts, {}, bad).status().code(), StatusCode::kInvalidArgument);
  bad = {};
  bad.threshold = 1.5;
  EXPECT_EQ(FindNearDuplicates(texts, {}, bad).status().code(), StatusCode::kInvalidArgument);
  bad = {};
  bad.num_perm = 0;
  EXPECT_EQ(FindNearDuplicates(texts, {}, bad).status().code(), StatusCode::kInvalidArgument);
  bad = {};
  bad.max_bucket = 1;
  EXPECT_EQ(FindNearDuplicates(texts, {}, bad).status().code(), StatusCode::kInvalidArgument);
  const uint64_t two[] = {1, 2};
  EXPECT_EQ(FindNearDuplicates(texts, two, {}).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace echotrace::neardup
