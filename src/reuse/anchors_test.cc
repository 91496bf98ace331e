#include "reuse/anchors.h"

#include <gtest/gtest.h>
#include <xxhash.h>

#include <algorithm>
#include <random>
#include <set>
#include <utility>
#include <vector>

namespace echotrace::reuse {
namespace {

using Ids = std::vector<TokenId>;

TEST(NgramHashTest, EqualNgramsHashEqualAndOrderMatters) {
  const Ids t{10, 20, 30, 10, 20, 30, 40};
  const std::vector<uint64_t> h = NgramHashes(t, 3);
  ASSERT_EQ(h.size(), 5u);
  EXPECT_EQ(h[0], h[3]);
  EXPECT_NE(h[0], h[1]);
  EXPECT_NE(NgramHash(Ids{1, 2}), NgramHash(Ids{2, 1}));
  EXPECT_TRUE(NgramHashes(t, 8).empty());
  EXPECT_TRUE(NgramHashes(t, 0).empty());
  // The persisted definition: XXH3-64, seed n, of the ids as little-endian
  // 8-byte words.
  const unsigned char bytes[16] = {1, 0, 0, 0, 0, 0, 0, 0, 2, 1, 0, 0, 0, 0, 0, 0};
  EXPECT_EQ(NgramHash(Ids{1, 0x102}), XXH3_64bits_withSeed(bytes, 16, 2));
  // Long n-grams hash like any other.
  const Ids long_gram(40, 7);
  EXPECT_EQ(NgramHash(long_gram), NgramHash(Ids(40, 7)));
  EXPECT_NE(NgramHash(long_gram), NgramHash(Ids(39, 7)));
}

// Every (i, j) with equal n-grams, by brute force.
std::set<std::pair<uint32_t, uint32_t>> BruteAnchors(const Ids& a, const Ids& b, uint32_t n) {
  std::set<std::pair<uint32_t, uint32_t>> out;
  for (uint32_t i = 0; i + n <= a.size(); ++i) {
    for (uint32_t j = 0; j + n <= b.size(); ++j) {
      if (std::equal(a.begin() + i, a.begin() + i + n, b.begin() + j)) out.insert({i, j});
    }
  }
  return out;
}

TEST(FindAnchorsTest, MatchesBruteForceOnRandomSequences) {
  std::mt19937_64 rng(3);
  for (int round = 0; round < 200; ++round) {
    Ids a(rng() % 80), b(rng() % 80);
    for (TokenId& t : a) t = rng() % 3;
    for (TokenId& t : b) t = rng() % 3;
    const uint32_t n = 1 + rng() % 4;
    AnchorParams p;
    p.n = n;
    p.max_occurrences = 1000;
    Result<std::vector<Anchor>> got = FindAnchors(a, b, p);
    ASSERT_TRUE(got.ok());
    std::set<std::pair<uint32_t, uint32_t>> seen;
    for (size_t k = 0; k < got->size(); ++k) {
      seen.insert({(*got)[k].a_pos, (*got)[k].b_pos});
      if (k > 0) {  // sorted by (diagonal, a_pos)
        const Anchor &x = (*got)[k - 1], &y = (*got)[k];
        EXPECT_TRUE(x.diagonal() < y.diagonal() ||
                    (x.diagonal() == y.diagonal() && x.a_pos < y.a_pos));
      }
    }
    EXPECT_EQ(seen.size(), got->size());
    EXPECT_EQ(seen, BruteAnchors(a, b, n)) << "round " << round;
  }
}

TEST(FindAnchorsTest, FilterAndFrequencyCap) {
  const Ids a{1, 2, 3, 4, 5, 6, 7, 8};
  const Ids b{9, 1, 2, 3, 4, 5, 6, 7, 8};
  AnchorParams p;
  p.n = 3;
  EXPECT_EQ(FindAnchors(a, b, p)->size(), 6u);
  // Forbid the n-gram (1, 2, 3).
  const uint64_t banned = NgramHash(Ids{1, 2, 3});
  Result<std::vector<Anchor>> got = FindAnchors(a, b, p, [&](uint64_t h) { return h != banned; });
  ASSERT_EQ(got->size(), 5u);
  EXPECT_EQ(got->front(), (Anchor{1, 2}));
  // An n-gram repeated more than max_occurrences times does not anchor.
  const Ids rep_a{1, 1, 1, 1, 1, 1}, rep_b{1, 1, 1};
  p.max_occurrences = 3;
  EXPECT_TRUE(FindAnchors(rep_a, rep_b, p)->empty());
  p.max_occurrences = 4;
  EXPECT_EQ(FindAnchors(rep_a, rep_b, p)->size(), 4u);
  p.n = 0;
  EXPECT_FALSE(FindAnchors(a, b, p).ok());
}

TEST(ChainAnchorsTest, OverlappingAndTouchingNgramsChain) {
  const uint32_t n = 3;
  // Diagonal 2: anchors at 0, 1, 2 (overlapping) and 5 (touching 2 + 3),
  // then 9 (a hole); diagonal -1: one anchor.
  const std::vector<Anchor> anchors{{4, 3}, {0, 2}, {1, 3}, {2, 4}, {5, 7}, {9, 11}};
  std::vector<Anchor> sorted = anchors;
  std::sort(sorted.begin(), sorted.end(), [](const Anchor& x, const Anchor& y) {
    return std::pair(x.diagonal(), x.a_pos) < std::pair(y.diagonal(), y.a_pos);
  });
  const std::vector<AnchorChain> chains = ChainAnchors(sorted, n);
  ASSERT_EQ(chains.size(), 3u);
  EXPECT_EQ(chains[0], (AnchorChain{4, 3, 3, 1}));
  EXPECT_EQ(chains[1], (AnchorChain{0, 2, 8, 4}));
  EXPECT_EQ(chains[2], (AnchorChain{9, 11, 3, 1}));
}

TEST(ChainAnchorsTest, ChainsAreExactRuns) {
  std::mt19937_64 rng(9);
  for (int round = 0; round < 100; ++round) {
    Ids a(60), b(60);
    for (TokenId& t : a) t = rng() % 2;
    for (TokenId& t : b) t = rng() % 2;
    AnchorParams p;
    p.n = 2;
    p.max_occurrences = 100;
    const std::vector<AnchorChain> chains = ChainAnchors(*FindAnchors(a, b, p), p.n);
    for (const AnchorChain& c : chains) {
      ASSERT_LE(c.a_pos + c.length, a.size());
      EXPECT_TRUE(
          std::equal(a.begin() + c.a_pos, a.begin() + c.a_pos + c.length, b.begin() + c.b_pos));
      EXPECT_EQ(c.length, c.anchors + p.n - 1);  // every window in a run is shared
    }
  }
}

}  // namespace
}  // namespace echotrace::reuse
