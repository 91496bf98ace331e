// The aligner against slow, obviously correct references:
//  - AlignFull against exhaustive enumeration of every alignment of every
//    pair of substrings on tiny inputs;
//  - ExtendSeed without X-drop against a plain O(n·m) pinned DP restricted
//    to the band (exactly S* of aligner.h), on small-alphabet sequences full
//    of chance matches;
//  - ExtendSeed with the default X-drop against AlignFull on random
//    sequences with a planted passage carrying edits.
#include "reuse/aligner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <random>
#include <vector>

namespace echotrace::reuse {
namespace {

using Ids = std::vector<TokenId>;
constexpr int32_t kNeg = std::numeric_limits<int32_t>::min() / 4;

Ids RandomIds(std::mt19937_64& rng, size_t len, uint64_t vocab) {
  Ids out(len);
  for (TokenId& t : out) t = vocab == 0 ? rng() : rng() % vocab;
  return out;
}

// Checks the invariants every alignment must satisfy and returns its
// rescored value.
int32_t Rescore(const Ids& a, const Ids& b, const Alignment& al, const Scoring& s = {}) {
  size_t na = 0, nb = 0;
  for (EditOp op : al.ops) na += op != EditOp::kInsert, nb += op != EditOp::kDelete;
  EXPECT_EQ(na, al.a_end - al.a_begin);
  EXPECT_EQ(nb, al.b_end - al.b_begin);
  Result<int32_t> r = ScoreOps(a, b, al.a_begin, al.b_begin, al.ops, s);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : kNeg;
}

// ---- AlignFull against exhaustive enumeration ----------------------------

void Enumerate(const Ids& a, const Ids& b, size_t i, size_t j, EditOp prev, int32_t score,
               const Scoring& s, int32_t* best) {
  *best = std::max(*best, score);
  if (i < a.size() && j < b.size()) {
    const bool eq = a[i] == b[j];
    Enumerate(a, b, i + 1, j + 1, eq ? EditOp::kMatch : EditOp::kSubstitute,
              score + (eq ? s.match : s.mismatch), s, best);
  }
  if (i < a.size()) {
    const int32_t c = prev == EditOp::kDelete ? s.gap_extend : s.gap_open;
    Enumerate(a, b, i + 1, j, EditOp::kDelete, score + c, s, best);
  }
  if (j < b.size()) {
    const int32_t c = prev == EditOp::kInsert ? s.gap_extend : s.gap_open;
    Enumerate(a, b, i, j + 1, EditOp::kInsert, score + c, s, best);
  }
}

// Best local score: every alignment of every pair of substrings.
int32_t BruteForceLocal(const Ids& a, const Ids& b, const Scoring& s) {
  int32_t best = 0;
  for (size_t i = 0; i <= a.size(); ++i) {
    for (size_t j = 0; j <= b.size(); ++j) Enumerate(a, b, i, j, EditOp::kMatch, 0, s, &best);
  }
  return best;
}

TEST(AlignFullTest, MatchesExhaustiveEnumerationOnTinyInputs) {
  std::mt19937_64 rng(7);
  const Scoring scorings[] = {Scoring{}, Scoring{1, -1, -2, -1}, Scoring{3, -1, -5, -1},
                              Scoring{1, -2, -1, -1}};
  int cases = 0;
  for (int round = 0; round < 400; ++round) {
    const Scoring& s = scorings[round % 4];
    const Ids a = RandomIds(rng, rng() % 7, 3), b = RandomIds(rng, rng() % 7, 3);
    Result<Alignment> al = AlignFull(a, b, s);
    ASSERT_TRUE(al.ok());
    ASSERT_EQ(al->score, BruteForceLocal(a, b, s)) << "round " << round;
    EXPECT_EQ(Rescore(a, b, *al, s), al->score);
    ++cases;
  }
  EXPECT_EQ(cases, 400);
}

TEST(AlignFullTest, HandComputedCases) {
  const Scoring s;  // +2 / -3 / -4 / -1
  // Identical: 5 matches.
  Result<Alignment> al = AlignFull(Ids{1, 2, 3, 4, 5}, Ids{1, 2, 3, 4, 5}, s);
  ASSERT_TRUE(al.ok());
  EXPECT_EQ(al->score, 10);
  // One substitution in the middle of 7: 6 * 2 - 3 = 9.
  al = AlignFull(Ids{1, 2, 3, 4, 5, 6, 7}, Ids{1, 2, 3, 9, 5, 6, 7}, s);
  EXPECT_EQ(al->score, 9);
  EXPECT_EQ(al->ops[3], EditOp::kSubstitute);
  // One inserted token: 6 * 2 - 4 = 8; two inserted: 6 * 2 - 4 - 1 = 7.
  al = AlignFull(Ids{1, 2, 3, 4, 5, 6}, Ids{1, 2, 3, 8, 4, 5, 6}, s);
  EXPECT_EQ(al->score, 8);
  al = AlignFull(Ids{1, 2, 3, 4, 5, 6}, Ids{1, 2, 3, 8, 9, 4, 5, 6}, s);
  EXPECT_EQ(al->score, 7);
  EXPECT_EQ(al->ops[3], EditOp::kInsert);
  EXPECT_EQ(al->b_end, 8u);
  // Swapped neighbours: 8 matches, two substitutions = 16 - 6 = 10.
  al = AlignFull(Ids{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, Ids{1, 2, 3, 4, 6, 5, 7, 8, 9, 10}, s);
  EXPECT_EQ(al->score, 10);
  EXPECT_EQ(al->a_begin, 0u);
  EXPECT_EQ(al->a_end, 10u);
  // Ties end at the first maximum: 3 matches (6) equal 3 + swap + 3 (6).
  al = AlignFull(Ids{1, 2, 3, 4, 5, 6, 7, 8}, Ids{1, 2, 3, 5, 4, 6, 7, 8}, s);
  EXPECT_EQ(al->score, 6);
  EXPECT_EQ(al->a_end, 3u);
  // Nothing in common.
  al = AlignFull(Ids{1, 2, 3}, Ids{4, 5, 6}, s);
  EXPECT_TRUE(al->empty());
  EXPECT_EQ(al->score, 0);
  al = AlignFull(Ids{}, Ids{4, 5, 6}, s);
  EXPECT_TRUE(al->empty());
}

TEST(AlignFullTest, RejectsBadScoring) {
  EXPECT_FALSE(AlignFull(Ids{1}, Ids{1}, Scoring{0, -1, -2, -1}).ok());
  EXPECT_FALSE(AlignFull(Ids{1}, Ids{1}, Scoring{1, 1, -2, -1}).ok());
  EXPECT_FALSE(AlignFull(Ids{1}, Ids{1}, Scoring{1, -1, -1, -2}).ok());
  EXPECT_FALSE(AlignFull(Ids{1}, Ids{1}, Scoring{1, -1, -2, 0}).ok());
}

TEST(ScoreOpsTest, RejectsOpsThatDoNotFit) {
  const Ids a{1, 2}, b{1, 3};
  EXPECT_EQ(*ScoreOps(a, b, 0, 0, {EditOp::kMatch, EditOp::kSubstitute}, {}), -1);
  EXPECT_FALSE(ScoreOps(a, b, 0, 0, {EditOp::kMatch, EditOp::kMatch}, {}).ok());
  EXPECT_FALSE(ScoreOps(a, b, 1, 0, {EditOp::kMatch}, {}).ok());
  EXPECT_FALSE(ScoreOps(a, b, 0, 0, {EditOp::kMatch, EditOp::kDelete, EditOp::kDelete}, {}).ok());
  // Delete then insert are two gaps, each opened.
  EXPECT_EQ(*ScoreOps(a, b, 0, 0, {EditOp::kMatch, EditOp::kDelete, EditOp::kInsert}, {}), -6);
}

// ---- ExtendSeed against the pinned banded DP (no X-drop) -----------------

// Best score of an alignment of a' and b' that starts at (0, 0) and keeps
// every cell (x, y) within |x - y| <= band: the plain O(n·m) recurrence with
// cells outside the band left unreachable.
int32_t PinnedBanded(const Ids& a, const Ids& b, uint32_t band, const Scoring& s) {
  const size_t n = a.size(), m = b.size();
  std::vector<std::vector<int32_t>> h(n + 1, std::vector<int32_t>(m + 1, kNeg)), e = h, f = h;
  h[0][0] = 0;
  int32_t best = 0;
  for (size_t x = 0; x <= n; ++x) {
    for (size_t y = 0; y <= m; ++y) {
      if ((x == 0 && y == 0) || (x > y ? x - y : y - x) > band) continue;
      if (y > 0) e[x][y] = std::max(h[x][y - 1] + s.gap_open, e[x][y - 1] + s.gap_extend);
      if (x > 0) f[x][y] = std::max(h[x - 1][y] + s.gap_open, f[x - 1][y] + s.gap_extend);
      const int32_t d =
          x > 0 && y > 0 ? h[x - 1][y - 1] + (a[x - 1] == b[y - 1] ? s.match : s.mismatch) : kNeg;
      h[x][y] = std::max({d, e[x][y], f[x][y]});
      best = std::max(best, h[x][y]);
    }
  }
  return best;
}

// S* of aligner.h: the best in-band alignment containing the seed.
int32_t ReferenceSeeded(const Ids& a, const Ids& b, const Seed& seed, uint32_t band,
                        const Scoring& s) {
  const Ids la(a.rend() - seed.a_pos, a.rend()), lb(b.rend() - seed.b_pos, b.rend());
  const Ids ra(a.begin() + seed.a_pos + seed.length, a.end());
  const Ids rb(b.begin() + seed.b_pos + seed.length, b.end());
  return PinnedBanded(la, lb, band, s) + static_cast<int32_t>(seed.length) * s.match +
         PinnedBanded(ra, rb, band, s);
}

TEST(ExtendSeedTest, WithoutXDropEqualsPinnedBandedDp) {
  std::mt19937_64 rng(11);
  for (int round = 0; round < 400; ++round) {
    // Small alphabets make chance matches and many equal-score paths.
    const uint64_t vocab = 2 + rng() % 4;
    Ids a = RandomIds(rng, rng() % 50, vocab), b = RandomIds(rng, rng() % 50, vocab);
    const uint32_t len = 1 + rng() % 5;
    a.resize(std::max<size_t>(a.size(), len));
    b.resize(std::max<size_t>(b.size(), len));
    const Seed seed{static_cast<uint32_t>(rng() % (a.size() - len + 1)),
                    static_cast<uint32_t>(rng() % (b.size() - len + 1)), len};
    std::copy_n(a.begin() + seed.a_pos, len, b.begin() + seed.b_pos);
    ExtendParams p;
    p.band = static_cast<uint32_t>(rng() % 9);
    p.x_drop = 1 << 30;
    if (round % 3 == 1) p.scoring = Scoring{1, -1, -2, -1};
    Result<Alignment> al = ExtendSeed(a, b, seed, p);
    ASSERT_TRUE(al.ok()) << al.status().ToString();
    ASSERT_EQ(al->score, ReferenceSeeded(a, b, seed, p.band, p.scoring)) << "round " << round;
    EXPECT_EQ(Rescore(a, b, *al, p.scoring), al->score);
    EXPECT_LE(al->a_begin, seed.a_pos);
    EXPECT_GE(al->a_end, seed.a_pos + len);
    // With a finite X-drop the result is a valid alignment scoring no more.
    p.x_drop = static_cast<int32_t>(rng() % 8);
    Result<Alignment> dropped = ExtendSeed(a, b, seed, p);
    ASSERT_TRUE(dropped.ok());
    EXPECT_LE(dropped->score, al->score);
    EXPECT_EQ(Rescore(a, b, *dropped, p.scoring), dropped->score);
  }
}

// ---- ExtendSeed against AlignFull with planted edits ---------------------

struct Planted {
  Ids a, b;
  uint32_t a_begin, a_end, b_begin, b_end;  // the planted passage
  Seed seed;
  uint32_t max_drift;  // largest |diagonal - seed diagonal| of a kept token
};

// Background tokens are unique 64-bit values, so the planted passage is
// the only thing the two sequences share. Edits (substitution, 1-2 token
// insertion or deletion, swapped neighbours) are separated by at least 4
// kept tokens and the passage begins and ends with 4 kept tokens, so every
// prefix and suffix of the planted alignment scores > 0 under the default
// scoring (the planted passage is the best local alignment) and no dip
// exceeds 6 (well under the default X-drop).
Planted Plant(std::mt19937_64& rng) {
  Planted pl;
  const Ids passage = RandomIds(rng, 30 + rng() % 170, 0);
  pl.a = RandomIds(rng, rng() % 300, 0);
  pl.b = RandomIds(rng, rng() % 300, 0);
  pl.a_begin = static_cast<uint32_t>(pl.a.size());
  pl.b_begin = static_cast<uint32_t>(pl.b.size());
  std::vector<std::pair<uint32_t, uint32_t>> kept;  // (pos in a, pos in b)
  size_t since_edit = 0;
  for (size_t k = 0; k < passage.size(); ++k) {
    const bool room = since_edit >= 4 && k + 6 < passage.size();
    const int edit = room && rng() % 5 == 0 ? static_cast<int>(rng() % 4) : -1;
    if (edit == 0) {  // substitution
      pl.a.push_back(passage[k]), pl.b.push_back(rng());
    } else if (edit == 1) {  // insertion into b
      for (size_t r = 1 + rng() % 2; r > 0; --r) pl.b.push_back(rng());
      --k;
    } else if (edit == 2) {  // deletion from b
      pl.a.push_back(passage[k]);
      if (rng() % 2) pl.a.push_back(passage[++k]);
    } else if (edit == 3) {  // swapped neighbours
      pl.a.push_back(passage[k]), pl.a.push_back(passage[k + 1]);
      pl.b.push_back(passage[k + 1]), pl.b.push_back(passage[k]);
      ++k;
    } else {
      kept.emplace_back(pl.a.size(), pl.b.size());
      pl.a.push_back(passage[k]), pl.b.push_back(passage[k]);
      ++since_edit;
      continue;
    }
    since_edit = 0;
  }
  pl.a_end = static_cast<uint32_t>(pl.a.size());
  pl.b_end = static_cast<uint32_t>(pl.b.size());
  const Ids tail_a = RandomIds(rng, rng() % 300, 0), tail_b = RandomIds(rng, rng() % 300, 0);
  pl.a.insert(pl.a.end(), tail_a.begin(), tail_a.end());
  pl.b.insert(pl.b.end(), tail_b.begin(), tail_b.end());
  // Seed: a random run of 5 kept tokens on one diagonal.
  std::vector<size_t> starts;
  for (size_t k = 0; k + 5 <= kept.size(); ++k) {
    if (kept[k + 4].first - kept[k].first == 4 && kept[k + 4].second - kept[k].second == 4) {
      starts.push_back(k);
    }
  }
  const auto [sa, sb] = kept[starts[rng() % starts.size()]];
  pl.seed = {sa, sb, 5};
  const int64_t d0 = int64_t{sb} - sa;
  pl.max_drift = 0;
  for (auto [ka, kb] : kept) {
    pl.max_drift = std::max<uint32_t>(pl.max_drift, std::abs(int64_t{kb} - ka - d0));
  }
  return pl;
}

TEST(ExtendSeedTest, EqualsFullDpOnPlantedEditsWithinBand) {
  std::mt19937_64 rng(2024);
  int equal_cases = 0, out_of_band = 0;
  for (int round = 0; round < 400; ++round) {
    const Planted pl = Plant(rng);
    ExtendParams p;
    p.band = 1 + static_cast<uint32_t>(rng() % 8);
    Result<Alignment> ext = ExtendSeed(pl.a, pl.b, pl.seed, p);
    Result<Alignment> full = AlignFull(pl.a, pl.b, p.scoring);
    ASSERT_TRUE(ext.ok() && full.ok());
    EXPECT_EQ(Rescore(pl.a, pl.b, *ext), ext->score);
    ASSERT_LE(ext->score, full->score);
    if (pl.max_drift > p.band) {
      ++out_of_band;
      continue;
    }
    ++equal_cases;
    ASSERT_EQ(ext->score, full->score) << "round " << round;
    EXPECT_EQ(full->a_begin, pl.a_begin);
    EXPECT_EQ(full->a_end, pl.a_end);
    EXPECT_EQ(ext->a_begin, pl.a_begin);
    EXPECT_EQ(ext->a_end, pl.a_end);
    EXPECT_EQ(ext->b_begin, pl.b_begin);
    EXPECT_EQ(ext->b_end, pl.b_end);
  }
  EXPECT_GE(equal_cases, 200);
  EXPECT_GE(out_of_band, 10);  // the band limit is exercised too
}

TEST(ExtendSeedTest, SwappedNeighboursStayOnePassage) {
  // 20 shared tokens; B swaps tokens 8 and 9, and 14 and 15.
  Ids a, b;
  for (TokenId t = 100; t < 120; ++t) a.push_back(t);
  b = a;
  std::swap(b[8], b[9]);
  std::swap(b[14], b[15]);
  a.insert(a.begin(), {1, 2, 3});
  b.insert(b.begin(), {4, 5});
  Result<Alignment> al = ExtendSeed(a, b, {3, 2, 5}, {});
  ASSERT_TRUE(al.ok());
  EXPECT_EQ(al->a_begin, 3u);
  EXPECT_EQ(al->a_end, 23u);
  EXPECT_EQ(al->b_begin, 2u);
  EXPECT_EQ(al->b_end, 22u);
  EXPECT_EQ(al->score, 16 * 2 - 4 * 3);
  EXPECT_EQ(al->score, AlignFull(a, b)->score);
}

TEST(ExtendSeedTest, StopsAtUnrelatedTextAndCostsLinear) {
  std::mt19937_64 rng(5);
  // Two 2,000-token "articles" sharing a 40-token passage.
  Ids a = RandomIds(rng, 2000, 5000), b = RandomIds(rng, 2000, 5000);
  const Ids passage = RandomIds(rng, 40, 0);
  std::copy(passage.begin(), passage.end(), a.begin() + 700);
  std::copy(passage.begin(), passage.end(), b.begin() + 1300);
  Result<Alignment> al = ExtendSeed(a, b, {710, 1310, 5}, {});
  ASSERT_TRUE(al.ok());
  EXPECT_LE(al->a_begin, 700u);
  EXPECT_GE(al->a_begin, 690u);
  EXPECT_GE(al->a_end, 740u);
  EXPECT_LE(al->a_end, 750u);
  EXPECT_GE(al->score, 80);
  // The full DP evaluates 4,000,000 cells; the extension a few thousand.
  EXPECT_LT(al->cells, 4000u * 2);
}

TEST(ExtendSeedTest, SeedAtTheEdgesAndWholeSequence) {
  const Ids a{1, 2, 3, 4, 5}, b{1, 2, 3, 4, 5};
  Result<Alignment> al = ExtendSeed(a, b, {0, 0, 5}, {});
  ASSERT_TRUE(al.ok());
  EXPECT_EQ(al->score, 10);
  EXPECT_EQ(al->ops.size(), 5u);
  al = ExtendSeed(a, b, {2, 2, 1}, {});
  EXPECT_EQ(al->score, 10);
  EXPECT_EQ(al->a_begin, 0u);
  EXPECT_EQ(al->a_end, 5u);
  ExtendParams zero_band;
  zero_band.band = 0;
  al = ExtendSeed(a, b, {4, 4, 1}, zero_band);
  EXPECT_EQ(al->score, 10);
}

TEST(ExtendSeedTest, RejectsBadSeeds) {
  const Ids a{1, 2, 3}, b{1, 2, 4};
  EXPECT_FALSE(ExtendSeed(a, b, {0, 0, 0}, {}).ok());
  EXPECT_FALSE(ExtendSeed(a, b, {0, 0, 3}, {}).ok());  // tokens differ
  EXPECT_FALSE(ExtendSeed(a, b, {2, 0, 2}, {}).ok());  // past the end of A
  ExtendParams p;
  p.x_drop = -1;
  EXPECT_FALSE(ExtendSeed(a, b, {0, 0, 1}, p).ok());
}

}  // namespace
}  // namespace echotrace::reuse
