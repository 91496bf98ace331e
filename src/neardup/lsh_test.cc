#include "neardup/lsh.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <span>
#include <vector>

namespace echotrace::neardup {
namespace {

TEST(LshTest, DefaultBandsForThresholdPoint8) {
  const BandParams p = ChooseBands(0.8, 128);
  EXPECT_EQ(p, (BandParams{16, 6}));
  EXPECT_GE(CandidateProbability(0.8, p), 0.99);
  EXPECT_GE(CandidateProbability(0.85, p), 0.999);
  EXPECT_LE(CandidateProbability(0.3, p), 0.02);
}

TEST(LshTest, BandChoiceProperties) {
  for (uint32_t k : {16u, 64u, 128u, 256u}) {
    double prev_knee = 0;
    for (double t = 0.3; t <= 0.951; t += 0.05) {
      const BandParams p = ChooseBands(t, k);
      ASSERT_GE(p.bands, 1u);
      ASSERT_GE(p.rows, 1u);
      EXPECT_LE(p.bands * p.rows, k) << t;
      // Either the recall floor holds, or no banding reaches it.
      if (CandidateProbability(t, p) < 0.99) {
        for (uint32_t r = 1; r <= k; ++r) {
          for (uint32_t b = 1; b * r <= k; ++b) {
            EXPECT_LE(CandidateProbability(t, {b, r}), CandidateProbability(t, p) + 1e-12);
          }
        }
      }
      // The S-curve moves right as the threshold rises.
      const double knee = std::pow(1.0 / p.bands, 1.0 / p.rows);
      EXPECT_GE(knee + 0.1, prev_knee) << t;
      prev_knee = knee;
    }
  }
}

TEST(LshTest, CandidateProbabilityIsMonotone) {
  const BandParams p{16, 6};
  EXPECT_DOUBLE_EQ(CandidateProbability(0.0, p), 0.0);
  EXPECT_DOUBLE_EQ(CandidateProbability(1.0, p), 1.0);
  for (double s = 0; s < 1; s += 0.01) {
    EXPECT_LE(CandidateProbability(s, p), CandidateProbability(s + 0.01, p));
  }
}

TEST(LshTest, BandKeyDependsOnBandAndRows) {
  std::vector<uint32_t> sig(128);
  for (uint32_t i = 0; i < 128; ++i) sig[i] = i * 7;
  EXPECT_EQ(BandKey(sig, 3, 6), BandKey(sig, 3, 6));
  EXPECT_NE(BandKey(sig, 3, 6), BandKey(sig, 4, 6));
  std::vector<uint32_t> other = sig;
  other[3 * 6 + 5] ^= 1;
  EXPECT_NE(BandKey(sig, 3, 6), BandKey(other, 3, 6));
  EXPECT_EQ(BandKey(sig, 2, 6), BandKey(other, 2, 6));
  EXPECT_EQ(BandKey(sig, 0, 128), BandKey(sig, 0, 128));  // wider than one hash buffer
}

TEST(LshTest, RadixSortMatchesStdSort) {
  std::mt19937_64 rng(7);
  for (int bits : {8, 20, 33, 64}) {
    std::vector<uint64_t> v(5000);
    for (uint64_t& x : v) x = bits == 64 ? rng() : rng() & ((uint64_t{1} << bits) - 1);
    std::vector<uint64_t> expected = v;
    std::sort(expected.begin(), expected.end());
    RadixSort(&v, 0, 64);
    EXPECT_EQ(v, expected);
  }
  // Sorting on the high half only is stable for the low half.
  std::vector<uint64_t> v = {(uint64_t{2} << 32) | 1, (uint64_t{1} << 32) | 9,
                             (uint64_t{2} << 32) | 0, (uint64_t{1} << 32) | 3};
  RadixSort(&v, 32, 64);
  EXPECT_EQ(v, (std::vector<uint64_t>{(uint64_t{1} << 32) | 9, (uint64_t{1} << 32) | 3,
                                      (uint64_t{2} << 32) | 1, (uint64_t{2} << 32) | 0}));
}

// Brute force: a pair is a candidate iff some band key is equal.
TEST(LshTest, CandidatePairsMatchBruteForce) {
  std::mt19937 rng(3);
  const uint32_t docs = 300, bands = 5;
  std::vector<uint32_t> keys(docs * bands);
  for (uint32_t& k : keys) k = rng() % 40;  // many collisions
  std::set<uint64_t> expected;
  for (uint32_t i = 0; i < docs; ++i) {
    for (uint32_t j = i + 1; j < docs; ++j) {
      for (uint32_t b = 0; b < bands; ++b) {
        if (keys[i * bands + b] == keys[j * bands + b]) expected.insert(uint64_t{i} << 32 | j);
      }
    }
  }
  for (int threads : {1, 2, 3}) {
    uint64_t capped = 7;
    const std::vector<uint64_t> got = CandidatePairs(keys, bands, 1000, threads, &capped);
    EXPECT_EQ(got, std::vector<uint64_t>(expected.begin(), expected.end())) << threads;
    EXPECT_EQ(capped, 0u);
  }
}

// The bucket rule of lsh.h by nested loops: (i, j), i < j, is a candidate
// iff in some band they share a key, i has fewer than max_bucket earlier
// members in that bucket, and j >= first_new.
std::vector<uint64_t> ReferencePairs(const std::vector<uint32_t>& keys, uint32_t bands,
                                     uint32_t max_bucket, uint32_t first_new) {
  const uint32_t docs = static_cast<uint32_t>(keys.size() / bands);
  std::set<uint64_t> expected;
  for (uint32_t i = 0; i < docs; ++i) {
    for (uint32_t j = std::max(i + 1, first_new); j < docs; ++j) {
      for (uint32_t b = 0; b < bands; ++b) {
        const uint32_t key = keys[i * bands + b];
        if (key != keys[j * bands + b]) continue;
        uint32_t rank = 0;
        for (uint32_t d = 0; d < i; ++d) rank += keys[d * bands + b] == key;
        if (rank < max_bucket) expected.insert(uint64_t{i} << 32 | j);
      }
    }
  }
  return {expected.begin(), expected.end()};
}

TEST(LshTest, BucketRuleMatchesNestedLoops) {
  for (uint32_t seed = 0; seed < 20; ++seed) {
    std::mt19937 rng(seed);
    const uint32_t docs = 200 + rng() % 100, bands = 1 + rng() % 5;
    const uint32_t max_bucket = 2 + rng() % 12, first_new = rng() % docs;
    std::vector<uint32_t> keys(docs * bands);
    for (uint32_t& k : keys) k = rng() % (seed % 2 ? 6 : 40);  // giant buckets on odd seeds
    for (int threads : {1, 3}) {
      EXPECT_EQ(CandidatePairs(keys, bands, max_bucket, threads, nullptr, first_new),
                ReferencePairs(keys, bands, max_bucket, first_new))
          << seed << " " << threads;
    }
  }
}

// Appending documents never changes which pairs of earlier ones are tried:
// the pairs of a prefix plus the pairs with a document after it are all the
// pairs.
TEST(LshTest, BucketRuleIsMonotone) {
  for (uint32_t seed = 0; seed < 10; ++seed) {
    std::mt19937 rng(seed);
    const uint32_t docs = 2000, bands = 4, max_bucket = 5, m = 1 + rng() % (docs - 1);
    std::vector<uint32_t> keys(docs * bands);
    for (uint32_t& k : keys) k = rng() % 50;
    const std::vector<uint64_t> all = CandidatePairs(keys, bands, max_bucket, 2);
    std::vector<uint64_t> parts = CandidatePairs(
        std::span<const uint32_t>(keys).first(size_t{m} * bands), bands, max_bucket, 2);
    const std::vector<uint64_t> tail = CandidatePairs(keys, bands, max_bucket, 2, nullptr, m);
    parts.insert(parts.end(), tail.begin(), tail.end());
    std::sort(parts.begin(), parts.end());
    EXPECT_EQ(parts, all) << seed;
  }
}

TEST(LshTest, OversizedBucketsPairWithTheirFirstMembers) {
  const uint32_t docs = 1000, bands = 2;
  std::vector<uint32_t> keys(docs * bands);
  for (uint32_t d = 0; d < docs; ++d) {
    keys[d * bands] = 5;          // one giant bucket
    keys[d * bands + 1] = d / 2;  // pairs (2m, 2m+1)
  }
  uint64_t capped = 0;
  const std::vector<uint64_t> got = CandidatePairs(keys, bands, 64, 2, &capped);
  EXPECT_EQ(capped, 1u);
  // Member q pairs with the first min(q, 64): 63·64/2 + 936·64 pairs, plus
  // the (2m, 2m+1) pairs with 2m >= 64 (468 of them).
  EXPECT_EQ(got.size(), 2016u + 936u * 64u + 468u);
  for (uint32_t d = 1; d < docs; ++d) {
    EXPECT_TRUE(std::binary_search(got.begin(), got.end(), uint64_t{d}));
    EXPECT_TRUE(std::binary_search(got.begin(), got.end(), uint64_t{63} << 32 | std::max(d, 64u)));
  }
  EXPECT_FALSE(std::binary_search(got.begin(), got.end(), uint64_t{64} << 32 | 66));
}

TEST(LshTest, NoDocumentsNoPairs) { EXPECT_TRUE(CandidatePairs({}, 16, 256, 2).empty()); }

}  // namespace
}  // namespace echotrace::neardup
