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
#include "util/str_cat.h"

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
            words.push_back(StrCat("https://t.co/", rng()));
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

TEST(NearDupTest, GiantBucketPairsWithItsFirstMembers) {
  std::string base;
  for (int w = 0; w < 30; ++w) base += StrCat("word", w) + " ";
  std::vector<std::string> texts;
  for (int d = 0; d < 3000; ++d) texts.push_back(base + StrCat("tail", d));
  NearDupOptions options;
  options.max_bucket = 64;
  NearDupResult r = MustRun(texts, options);
  EXPECT_GT(r.stats.capped_buckets, 0u);
  // Without the rule: up to 16 bands × 3000²/2 pairs; with it, at most 64
  // per member and band.
  EXPECT_LE(r.stats.candidate_pairs, 16u * 64u * 3000u);
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

// --- Incremental runs (ExtendNearDuplicates) ---

// A corpus for incremental runs: RandomCorpus plus what stresses the
// monotone steps: exact and identical-set copies far apart in the order,
// one big family whose buckets exceed a small max_bucket, and "bridge"
// families that only meet through a later document.
std::vector<std::string> IncrementalCorpus(uint32_t seed) {
  std::vector<std::string> texts = RandomCorpus(seed, 60);
  std::mt19937 rng(seed * 7 + 1);
  std::string big;
  for (int w = 0; w < 25; ++w) big += StrCat("big", w) + " ";
  for (int d = 0; d < 60; ++d) texts.push_back(big + StrCat("tail", rng() % 40));
  const size_t n = texts.size();
  for (int c = 0; c < 15; ++c) {
    const std::string& t = texts[rng() % n];
    texts.push_back(c % 3 == 0   ? t
                    : c % 3 == 1 ? t + StrCat(" https://t.co/x", c)
                                 : "  " + t + "  ");
  }
  // Chains: f0..f19, f3..f22, f6..f25, ...: neighbours are near-duplicates
  // (shingle Jaccard 0.71 at distance 3 fails 0.8; the in-between texts
  // f1..f20, f2..f21 join them), so clusters grow and merge as the chain's
  // links arrive in any order.
  for (int f = 0; f < 3; ++f) {
    for (int start = 0; start < 12; ++start) {
      std::string t;
      for (int w = start; w < start + 20; ++w) t += StrCat("c", f) + StrCat("w", w) + " ";
      texts.push_back(t);
    }
  }
  std::shuffle(texts.begin(), texts.end(), rng);
  return texts;
}

// Runs over texts[0, cuts[0]), then extends to each further cut; returns the
// last result with all new pairs and index entries gathered, and checks on
// the way that clusters keep their names except in documented merges.
NearDupResult RunInParts(const std::vector<std::string>& texts, const std::vector<uint32_t>& cuts,
                         const NearDupOptions& options, std::vector<uint32_t>* fetched,
                         uint64_t* renamed = nullptr) {
  std::vector<uint64_t> hashes;
  for (const std::string& t : texts) hashes.push_back(NormalizedHash(t));
  NearDupOptions o = options;
  o.collect_pairs = o.collect_index = true;
  const std::vector<std::string_view> first(texts.begin(), texts.begin() + cuts[0]);
  Result<NearDupResult> r =
      FindNearDuplicates(first, std::span<const uint64_t>(hashes).first(cuts[0]), o);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  NearDupResult acc = std::move(r).value();
  for (size_t c = 1; c < cuts.size(); ++c) {
    const uint32_t m = cuts[c - 1], n = cuts[c];
    // Earlier texts are hidden: they may only be fetched.
    std::vector<std::string_view> views(n);
    for (uint32_t d = m; d < n; ++d) views[d] = texts[d];
    const FetchTexts fetch = [&](std::span<const uint32_t> docs, std::vector<std::string>* out) {
      out->clear();
      for (uint32_t d : docs) {
        EXPECT_LT(d, m);
        fetched->push_back(d);
        out->push_back(texts[d]);
      }
      return Status::OK();
    };
    PriorRun prior;
    prior.num_old = m;
    prior.cluster = acc.cluster;
    prior.representative = acc.representative;
    prior.index = &acc.index;
    Result<NearDupResult> e =
        ExtendNearDuplicates(views, std::span<const uint64_t>(hashes).first(n), prior, fetch, o);
    EXPECT_TRUE(e.ok()) << e.status().ToString();
    if (!e.ok()) return acc;
    NearDupResult next = std::move(e).value();
    for (uint32_t d = 0; d < m; ++d) {
      // Still together with its old cluster; renamed only to a smaller
      // earlier cluster it merged with, never to a new document.
      const uint32_t was = acc.cluster[d], now = next.cluster[d];
      EXPECT_EQ(next.cluster[was], now);
      EXPECT_LE(now, was);
      if (now != was) {
        EXPECT_EQ(acc.cluster[now], now);
        if (renamed != nullptr) ++*renamed;
      }
      EXPECT_EQ(next.representative[d], acc.representative[d]);
    }
    for (const VerifiedPair& p : next.pairs) EXPECT_GE(p.b, m);
    next.pairs.insert(next.pairs.begin(), acc.pairs.begin(), acc.pairs.end());
    LshIndex& ix = next.index;
    ix.doc.insert(ix.doc.begin(), acc.index.doc.begin(), acc.index.doc.end());
    ix.kind.insert(ix.kind.begin(), acc.index.kind.begin(), acc.index.kind.end());
    ix.set_hash.insert(ix.set_hash.begin(), acc.index.set_hash.begin(), acc.index.set_hash.end());
    ix.token_keys.insert(ix.token_keys.begin(), acc.index.token_keys.begin(),
                         acc.index.token_keys.end());
    ix.shingle_keys.insert(ix.shingle_keys.begin(), acc.index.shingle_keys.begin(),
                           acc.index.shingle_keys.end());
    acc = std::move(next);
  }
  std::sort(acc.pairs.begin(), acc.pairs.end(), [](const VerifiedPair& x, const VerifiedPair& y) {
    return std::pair(x.a, x.b) < std::pair(y.a, y.b);
  });
  return acc;
}

void ExpectSameAsFull(const std::vector<std::string>& texts, const NearDupResult& inc,
                      const NearDupOptions& options, const std::string& what) {
  NearDupOptions o = options;
  o.collect_pairs = o.collect_index = true;
  const NearDupResult full = MustRun(texts, o);
  EXPECT_EQ(inc.cluster, full.cluster) << what;
  EXPECT_EQ(inc.representative, full.representative) << what;
  ASSERT_EQ(inc.pairs.size(), full.pairs.size()) << what;
  for (size_t i = 0; i < full.pairs.size(); ++i) {
    EXPECT_EQ(inc.pairs[i].a, full.pairs[i].a) << what;
    EXPECT_EQ(inc.pairs[i].b, full.pairs[i].b) << what;
    EXPECT_EQ(inc.pairs[i].jaccard, full.pairs[i].jaccard) << what;
    EXPECT_EQ(inc.pairs[i].shingle_k, full.pairs[i].shingle_k) << what;
  }
  EXPECT_EQ(inc.index.doc, full.index.doc) << what;
  EXPECT_EQ(inc.index.kind, full.index.kind) << what;
  EXPECT_EQ(inc.index.set_hash, full.index.set_hash) << what;
  EXPECT_EQ(inc.index.token_keys, full.index.token_keys) << what;
  EXPECT_EQ(inc.index.shingle_keys, full.index.shingle_keys) << what;
}

TEST(NearDupIncrementalTest, EqualsAFullRunInTwoAndThreeParts) {
  uint64_t renamed = 0, capped = 0;
  for (uint32_t seed = 1; seed <= 16; ++seed) {
    const std::vector<std::string> texts = IncrementalCorpus(seed);
    const uint32_t n = static_cast<uint32_t>(texts.size());
    std::mt19937 rng(seed);
    NearDupOptions options;
    options.max_bucket = 2 + rng() % 10;  // the big family's buckets exceed it
    options.threshold = seed % 4 == 0 ? 0.6 : 0.8;
    options.threads = 1 + static_cast<int>(seed % 3);
    std::vector<uint32_t> two = {1 + static_cast<uint32_t>(rng() % (n - 1)), n};
    std::vector<uint32_t> three = {static_cast<uint32_t>(rng() % (n / 2)), 0, n};
    three[1] = three[0] + static_cast<uint32_t>(rng() % (n - three[0]));
    for (const std::vector<uint32_t>& cuts : {two, three}) {
      std::vector<uint32_t> fetched;
      const NearDupResult inc = RunInParts(texts, cuts, options, &fetched, &renamed);
      ExpectSameAsFull(texts, inc, options, StrCat("seed ", seed));
      capped += inc.stats.capped_buckets;
    }
  }
  EXPECT_GT(capped, 0u);   // incremental runs met buckets above max_bucket
  EXPECT_GT(renamed, 0u);  // and merged earlier clusters
}

// A new document that is a near-duplicate of two earlier clusters merges
// them: the merged cluster keeps the smaller name.
TEST(NearDupIncrementalTest, NewDocumentMergesTwoEarlierClusters) {
  auto words = [](int from, int to) {  // "w<from> ... w<to>"
    std::string t;
    for (int w = from; w <= to; ++w) t += StrCat("w", w) + " ";
    return t;
  };
  // 3-shingle Jaccard: 0 ~ 1 0.95, 3 ~ 4 0.95, 0 ~ 3 0.71 (apart); the new
  // w2..w22 is 0.85 from 0 and from 3.
  const std::vector<std::string> texts = {
      words(1, 20), words(1, 20) + "extra", "unrelated words here",
      words(4, 23), words(4, 23) + "more",  words(2, 22),
  };
  const NearDupResult before = MustRun({texts.begin(), texts.begin() + 5});
  ASSERT_EQ(before.cluster, (std::vector<uint32_t>{0, 0, 2, 3, 3}));
  std::vector<uint32_t> fetched;
  const NearDupResult after = RunInParts(texts, {5, 6}, {}, &fetched);
  EXPECT_EQ(after.cluster, (std::vector<uint32_t>{0, 0, 2, 0, 0, 0}));
  ExpectSameAsFull(texts, after, {}, "merge");
  EXPECT_FALSE(std::count(fetched.begin(), fetched.end(), 2u));  // unrelated: never read
}

TEST(NearDupIncrementalTest, RejectsAMismatchedPrior) {
  const std::vector<std::string_view> texts = {"a b c", "a b c d"};
  const uint64_t hashes[] = {1, 2};
  LshIndex index;
  PriorRun prior;
  prior.num_old = 1;
  const uint32_t zero[] = {0};
  prior.cluster = zero;
  prior.representative = zero;
  prior.index = &index;
  const FetchTexts fetch = [](std::span<const uint32_t>, std::vector<std::string>*) {
    return Status::OK();
  };
  // Index built with other bands.
  EXPECT_EQ(ExtendNearDuplicates(texts, hashes, prior, fetch, {}).status().code(),
            StatusCode::kInvalidArgument);
  index.bands = ChooseBands(0.8, kDefaultNumPerm).bands;
  EXPECT_TRUE(ExtendNearDuplicates(texts, hashes, prior, fetch, {}).ok());
  EXPECT_EQ(
      ExtendNearDuplicates(texts, std::span<const uint64_t>(hashes).first(1), prior, fetch, {})
          .status()
          .code(),
      StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace echotrace::neardup
