#include "neardup/minhash.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "neardup/shingle.h"

namespace echotrace::neardup {
namespace {

// Two sets with exactly `common` shared and `only_a`, `only_b` private
// random elements.
void MakePair(std::mt19937_64* rng, int common, int only_a, int only_b, std::vector<uint64_t>* a,
              std::vector<uint64_t>* b) {
  a->clear();
  b->clear();
  for (int i = 0; i < common; ++i) {
    const uint64_t x = (*rng)();
    a->push_back(x);
    b->push_back(x);
  }
  for (int i = 0; i < only_a; ++i) a->push_back((*rng)());
  for (int i = 0; i < only_b; ++i) b->push_back((*rng)());
  std::sort(a->begin(), a->end());
  std::sort(b->begin(), b->end());
}

TEST(MinHashTest, DeterministicAndSeeded) {
  const std::vector<uint64_t> set = {11, 22, 33, 44};
  EXPECT_EQ(MinHasher().Sign(set), MinHasher().Sign(set));
  EXPECT_NE(MinHasher(128, 1).Sign(set), MinHasher(128, 2).Sign(set));
  EXPECT_EQ(MinHasher().Sign(set).size(), 128u);
}

TEST(MinHashTest, IgnoresOrderAndRepeats) {
  const MinHasher h;
  const std::vector<uint64_t> a = {5, 9, 1, 7}, b = {1, 5, 7, 9, 9, 1};
  EXPECT_EQ(h.Sign(a), h.Sign(b));
}

TEST(MinHashTest, EmptySetIsAllEmptyValues) {
  const std::vector<uint32_t> sig = MinHasher(100).Sign({});
  EXPECT_EQ(sig.size(), 100u);
  EXPECT_TRUE(std::all_of(sig.begin(), sig.end(), [](uint32_t v) { return v == kEmptyValue; }));
}

TEST(MinHashTest, SizesThatAreNotMultiplesOfTheBlock) {
  const std::vector<uint64_t> set = {1, 2, 3};
  const std::vector<uint32_t> full = MinHasher(128).Sign(set);
  const std::vector<uint32_t> part = MinHasher(100).Sign(set);
  // The same seed gives the same first permutations.
  EXPECT_TRUE(std::equal(part.begin(), part.end(), full.begin()));
  EXPECT_EQ(MinHasher(1).Sign(set).size(), 1u);
}

// Signatures are persisted: the permutations of the default seed are frozen.
TEST(MinHashTest, PersistedValuesAreFrozen) {
  const std::vector<uint64_t> set = {TokenHash("hello"), TokenHash("world")};
  const std::vector<uint32_t> sig = MinHasher().Sign(set);
  EXPECT_EQ(sig[0], 0x32ed98edu);
  EXPECT_EQ(sig[127], 0xe6c0473cu);
}

// The estimate is unbiased with standard error sqrt(J(1-J)/K): over many
// pairs spanning J in [0, 1], the mean absolute error for K = 128 is about
// 0.8 · 0.04 ≈ 0.03; we allow 0.05, and |mean signed error| <= 0.01.
TEST(MinHashTest, EstimateErrorWithinTheory) {
  std::mt19937_64 rng(42);
  const MinHasher h(128);
  double abs_err = 0, signed_err = 0, z_over = 0;
  const int kPairs = 2000;
  std::vector<uint64_t> a, b;
  for (int p = 0; p < kPairs; ++p) {
    const int common = std::uniform_int_distribution<int>(0, 60)(rng);
    const int only_a = std::uniform_int_distribution<int>(0, 20)(rng);
    const int only_b = std::uniform_int_distribution<int>(common + only_a == 0 ? 1 : 0, 20)(rng);
    MakePair(&rng, common, only_a, only_b, &a, &b);
    const double truth = Jaccard(a, b);
    const double est = EstimateJaccard(h.Sign(a), h.Sign(b));
    abs_err += std::abs(est - truth);
    signed_err += est - truth;
    const double sd = std::sqrt(std::max(truth * (1 - truth), 1e-4) / 128);
    if (std::abs(est - truth) > 4 * sd) ++z_over;
  }
  RecordProperty("mean_abs_error", std::to_string(abs_err / kPairs));
  EXPECT_LE(abs_err / kPairs, 0.05);
  EXPECT_LE(std::abs(signed_err / kPairs), 0.01);
  EXPECT_LE(z_over, kPairs * 0.002);  // 4-sigma outliers: permutations act independent
}

TEST(MinHashTest, EncodeDecodeRoundTrip) {
  Signature sig{3, 99, MinHasher(128, 99).Sign(std::vector<uint64_t>{1, 2, 3})};
  const std::string bytes = EncodeSignature(sig);
  EXPECT_EQ(bytes.size(), 16u + 4 * 128);
  EXPECT_EQ(bytes.substr(0, 4), "ETMH");
  EXPECT_EQ(bytes[4], 1);
  EXPECT_EQ(bytes[5], 3);
  EXPECT_EQ(static_cast<unsigned char>(bytes[6]), 128);
  EXPECT_EQ(static_cast<unsigned char>(bytes[8]), 99);
  EXPECT_EQ(static_cast<unsigned char>(bytes[16]), sig.values[0] & 0xFF);  // little-endian
  Result<Signature> back = DecodeSignature(bytes);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, sig);
}

TEST(MinHashTest, DecodeRejectsCorruptBytes) {
  const std::string good = EncodeSignature({1, 7, {1, 2, 3}});
  EXPECT_EQ(DecodeSignature("").status().code(), StatusCode::kCorruption);
  EXPECT_EQ(DecodeSignature("XXXX" + good.substr(4)).status().code(), StatusCode::kCorruption);
  std::string v2 = good;
  v2[4] = 2;
  EXPECT_EQ(DecodeSignature(v2).status().code(), StatusCode::kCorruption);
  EXPECT_EQ(DecodeSignature(good.substr(0, good.size() - 1)).status().code(),
            StatusCode::kCorruption);
}

}  // namespace
}  // namespace echotrace::neardup
