// Co-action detection against a nested loop over all pairs of actions on
// random data (many seeds), plus the cases the definitions single out.
#include "coord/coactions.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <random>
#include <set>
#include <tuple>

namespace echotrace::coord {
namespace {

// The obviously-correct reference: every pair of actions, crowding counted
// by brute force, post pairs merged in a map.
CoActionResult Reference(const std::vector<Action>& input, Behaviour behaviour,
                         const CoActionOptions& options) {
  CoActionResult r;
  r.windows = options.windows;
  std::sort(r.windows.begin(), r.windows.end());
  r.windows.erase(std::unique(r.windows.begin(), r.windows.end()), r.windows.end());
  const size_t nw = r.windows.size();
  std::vector<Action> acts;
  std::set<std::pair<int64_t, uint64_t>> seen;
  for (const Action& a : input) {
    if (seen.insert({a.post, a.key}).second) acts.push_back(a);
  }
  const size_t n = acts.size();
  const uint32_t cap = options.max_posts_in_window;
  std::vector<std::vector<bool>> crowded(n, std::vector<bool>(nw, false));
  for (size_t i = 0; i < n; ++i) {
    for (size_t w = 0; w < nw; ++w) {
      uint32_t count = 0;
      for (size_t j = 0; j < n; ++j) {
        if (acts[j].key == acts[i].key && std::llabs(acts[j].time - acts[i].time) <= r.windows[w]) {
          ++count;
        }
      }
      crowded[i][w] = cap > 0 && count > cap;
    }
  }
  struct Entry {
    uint32_t mask = 0;
    uint64_t key = UINT64_MAX;
    int64_t ta = 0, tb = 0;
  };
  std::map<std::pair<uint32_t, uint32_t>, std::map<std::pair<int64_t, int64_t>, Entry>> pairs;
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = i + 1; j < n; ++j) {
      const Action& x = acts[i];
      const Action& y = acts[j];
      if (x.key != y.key || x.account == y.account) continue;
      uint32_t mask = 0;
      for (size_t w = 0; w < nw; ++w) {
        if (std::llabs(x.time - y.time) <= r.windows[w] && !crowded[i][w] && !crowded[j][w]) {
          mask |= 1u << w;
        }
      }
      if (mask == 0) continue;
      const Action& a = x.account < y.account ? x : y;
      const Action& b = x.account < y.account ? y : x;
      Entry& e = pairs[{a.account, b.account}][{a.post, b.post}];
      e.mask |= mask;
      e.key = std::min(e.key, x.key);
      e.ta = a.time;
      e.tb = b.time;
    }
  }
  for (const auto& [ab, posts] : pairs) {
    CoEdge edge;
    edge.account_a = ab.first;
    edge.account_b = ab.second;
    edge.behaviour = behaviour;
    edge.window_weights.assign(nw, 0);
    edge.first_time = INT64_MAX;
    edge.last_time = INT64_MIN;
    std::set<int64_t> pa, pb;
    std::vector<std::tuple<int64_t, int64_t, int64_t, CoActionPair>> ev;
    for (const auto& [pp, e] : posts) {
      ++edge.weight;
      for (size_t w = 0; w < nw; ++w) edge.window_weights[w] += (e.mask >> w) & 1;
      pa.insert(pp.first);
      pb.insert(pp.second);
      edge.first_time = std::min({edge.first_time, e.ta, e.tb});
      edge.last_time = std::max({edge.last_time, e.ta, e.tb});
      ev.emplace_back(std::min(e.ta, e.tb), pp.first, pp.second,
                      CoActionPair{pp.first, pp.second, e.ta, e.tb, e.key});
    }
    r.stats.pairs += edge.weight;
    edge.tightest = -1;
    for (size_t w = 0; w < nw && edge.tightest < 0; ++w) {
      if (edge.window_weights[w] >= options.min_weight) edge.tightest = static_cast<int>(w);
    }
    if (edge.tightest < 0) continue;
    edge.posts_a = static_cast<uint32_t>(pa.size());
    edge.posts_b = static_cast<uint32_t>(pb.size());
    edge.symmetry =
        static_cast<double>(std::max(edge.posts_a, edge.posts_b)) / (edge.posts_a + edge.posts_b);
    std::sort(ev.begin(), ev.end(), [](const auto& x, const auto& y) {
      return std::tie(std::get<0>(x), std::get<1>(x), std::get<2>(x)) <
             std::tie(std::get<0>(y), std::get<1>(y), std::get<2>(y));
    });
    for (size_t k = 0; k < ev.size() && k < options.evidence_per_edge; ++k) {
      edge.evidence.push_back(std::get<3>(ev[k]));
    }
    r.edges.push_back(std::move(edge));
  }
  // Bursts: maximal runs of crowded actions in (key, time, account, post)
  // order, with two or more accounts.
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    return std::tie(acts[x].key, acts[x].time, acts[x].account, acts[x].post) <
           std::tie(acts[y].key, acts[y].time, acts[y].account, acts[y].post);
  });
  for (size_t w = 0; w < nw; ++w) {
    for (size_t i = 0; i < n;) {
      if (!crowded[order[i]][w]) {
        ++i;
        continue;
      }
      size_t j = i;
      std::set<uint32_t> accounts;
      while (j < n && acts[order[j]].key == acts[order[i]].key && crowded[order[j]][w]) {
        accounts.insert(acts[order[j]].account);
        ++j;
      }
      if (accounts.size() >= 2) {
        r.bursts.push_back(Burst{acts[order[i]].key, static_cast<int>(w), acts[order[i]].time,
                                 acts[order[j - 1]].time, static_cast<uint32_t>(j - i),
                                 static_cast<uint32_t>(accounts.size()), acts[order[i]].post});
      }
      i = j;
    }
  }
  std::sort(r.bursts.begin(), r.bursts.end(), [](const Burst& x, const Burst& y) {
    return std::tie(x.window, x.key, x.first_time) < std::tie(y.window, y.key, y.first_time);
  });
  r.stats.edges = r.edges.size();
  return r;
}

// Random actions with many ties: times on a grid that windows are multiples
// of, few keys and accounts, some posts with several keys.
std::vector<Action> RandomActions(std::mt19937_64& rng, size_t n, int accounts, int keys,
                                  int64_t span, int64_t grid) {
  std::vector<Action> out;
  std::uniform_int_distribution<int> acct(0, accounts - 1), key(0, keys - 1);
  std::uniform_int_distribution<int64_t> time(0, span / grid);
  std::uniform_int_distribution<int> extra(0, 9);
  int64_t post = 1000;
  while (out.size() < n) {
    Action a{static_cast<uint32_t>(acct(rng)), time(rng) * grid,
             static_cast<uint64_t>(key(rng)) * 0x9E3779B97F4A7C15ull, post};
    post += 1 + static_cast<int64_t>(rng() % 3);
    out.push_back(a);
    int more = extra(rng);
    if (more >= 8) {  // a second key on the same post (e.g. two links)
      a.key = static_cast<uint64_t>(key(rng)) * 0x9E3779B97F4A7C15ull;
      out.push_back(a);
    }
    if (more == 9) out.push_back(a);  // the same action repeated
  }
  std::shuffle(out.begin(), out.end(), rng);
  return out;
}

void ExpectSame(const CoActionResult& fast, const CoActionResult& slow, uint64_t seed) {
  ASSERT_EQ(fast.windows, slow.windows) << "seed " << seed;
  ASSERT_EQ(fast.edges.size(), slow.edges.size()) << "seed " << seed;
  for (size_t i = 0; i < fast.edges.size(); ++i) {
    ASSERT_EQ(fast.edges[i], slow.edges[i])
        << "seed " << seed << " edge " << i << " (" << slow.edges[i].account_a << ","
        << slow.edges[i].account_b << ")";
  }
  EXPECT_EQ(fast.bursts, slow.bursts) << "seed " << seed;
  EXPECT_EQ(fast.stats.pairs, slow.stats.pairs) << "seed " << seed;
  EXPECT_EQ(fast.stats.edges, slow.stats.edges) << "seed " << seed;
}

TEST(CoActionsTest, MatchesNestedLoopWithoutCap) {
  size_t edges = 0, multi_window = 0;
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    std::mt19937_64 rng(seed);
    const size_t n = 20 + rng() % 180;
    std::vector<Action> acts = RandomActions(rng, n, 2 + static_cast<int>(rng() % 10),
                                             1 + static_cast<int>(rng() % 8), 400, 5);
    CoActionOptions o;
    o.windows = {60, 0, 10, 5};
    if (seed % 3 == 0) o.windows = {30};
    o.max_posts_in_window = 0;
    o.min_weight = 1 + static_cast<uint32_t>(seed % 3);
    o.evidence_per_edge = static_cast<uint32_t>(seed % 7);
    Result<CoActionResult> fast = DetectCoActions(acts, Behaviour::kCoLink, o);
    ASSERT_TRUE(fast.ok()) << fast.status().ToString();
    ExpectSame(*fast, Reference(acts, Behaviour::kCoLink, o), seed);
    EXPECT_TRUE(fast->bursts.empty());
    edges += fast->edges.size();
    for (const CoEdge& e : fast->edges) multi_window += e.window_weights.front() != e.weight;
  }
  // The random data exercises what it should: many edges, windows that differ.
  EXPECT_GT(edges, 1000u);
  EXPECT_GT(multi_window, 100u);
}

TEST(CoActionsTest, MatchesNestedLoopWithCap) {
  size_t edges = 0, bursts = 0;
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    std::mt19937_64 rng(seed * 7919);
    const size_t n = 20 + rng() % 180;
    std::vector<Action> acts = RandomActions(rng, n, 2 + static_cast<int>(rng() % 12),
                                             1 + static_cast<int>(rng() % 4), 300, 5);
    CoActionOptions o;
    o.windows = {5, 20, 100};
    o.max_posts_in_window = 2 + static_cast<uint32_t>(rng() % 10);
    o.min_weight = 1 + static_cast<uint32_t>(seed % 2);
    o.evidence_per_edge = 3;
    Result<CoActionResult> fast = DetectCoActions(acts, Behaviour::kCoPost, o);
    ASSERT_TRUE(fast.ok()) << fast.status().ToString();
    ExpectSame(*fast, Reference(acts, Behaviour::kCoPost, o), seed);
    edges += fast->edges.size();
    bursts += fast->bursts.size();
  }
  EXPECT_GT(edges, 500u);
  EXPECT_GT(bursts, 100u);
}

TEST(CoActionsTest, OrderOfInputDoesNotMatter) {
  std::mt19937_64 rng(42);
  std::vector<Action> acts = RandomActions(rng, 500, 8, 5, 1000, 1);
  CoActionOptions o;
  o.windows = {10, 60};
  o.max_posts_in_window = 20;
  Result<CoActionResult> a = DetectCoActions(acts, Behaviour::kCoPost, o);
  std::shuffle(acts.begin(), acts.end(), rng);
  Result<CoActionResult> b = DetectCoActions(acts, Behaviour::kCoPost, o);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->edges, b->edges);
  EXPECT_EQ(a->bursts, b->bursts);
}

CoActionOptions Simple(int64_t window) {
  CoActionOptions o;
  o.windows = {window};
  o.min_weight = 1;
  o.max_posts_in_window = 0;
  return o;
}

TEST(CoActionsTest, WindowEdgeAndEqualTimesCount) {
  std::vector<Action> acts = {
      {1, 100, 7, 1}, {2, 160, 7, 2},  // Δt == W: counts
      {1, 500, 8, 3}, {3, 561, 8, 4},  // Δt == W + 1: does not
      {2, 900, 9, 5}, {3, 900, 9, 6},  // equal times: count
  };
  Result<CoActionResult> r = DetectCoActions(acts, Behaviour::kCoPost, Simple(60));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->edges.size(), 2u);
  EXPECT_EQ(r->edges[0].account_a, 1u);
  EXPECT_EQ(r->edges[0].account_b, 2u);
  EXPECT_EQ(r->edges[0].weight, 1u);
  EXPECT_EQ(r->edges[1].account_a, 2u);
  EXPECT_EQ(r->edges[1].account_b, 3u);
  EXPECT_EQ(r->edges[1].first_time, 900);
}

TEST(CoActionsTest, SameAccountTwiceIsNoEdge) {
  std::vector<Action> acts = {{4, 10, 1, 1}, {4, 10, 1, 2}, {4, 15, 1, 3}};
  Result<CoActionResult> r = DetectCoActions(acts, Behaviour::kCoPost, Simple(60));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->edges.empty());
  EXPECT_EQ(r->stats.shared_keys, 0u);
}

TEST(CoActionsTest, PostsSharingSeveralKeysAreOneCoAction) {
  std::vector<Action> acts = {{1, 10, 100, 1}, {1, 10, 200, 1}, {1, 10, 300, 1},
                              {2, 20, 100, 2}, {2, 20, 200, 2}, {2, 20, 300, 2}};
  Result<CoActionResult> r = DetectCoActions(acts, Behaviour::kCoLink, Simple(60));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->edges.size(), 1u);
  EXPECT_EQ(r->edges[0].weight, 1u);
  ASSERT_EQ(r->edges[0].evidence.size(), 1u);
  EXPECT_EQ(r->edges[0].evidence[0], (CoActionPair{1, 2, 10, 20, 100}));
}

TEST(CoActionsTest, SymmetryTellsHyperactiveAccountFromPair) {
  // Account 1 posts the same text four times around one post of account 2.
  std::vector<Action> acts = {
      {1, 0, 5, 1}, {1, 10, 5, 2}, {1, 20, 5, 3}, {1, 30, 5, 4}, {2, 15, 5, 9}};
  Result<CoActionResult> r = DetectCoActions(acts, Behaviour::kCoPost, Simple(60));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->edges.size(), 1u);
  EXPECT_EQ(r->edges[0].weight, 4u);
  EXPECT_EQ(r->edges[0].posts_a, 4u);
  EXPECT_EQ(r->edges[0].posts_b, 1u);
  EXPECT_DOUBLE_EQ(r->edges[0].symmetry, 0.8);
}

TEST(CoActionsTest, TightestWindowAndMinWeight) {
  // Accounts 1, 2: two co-actions 5 s apart. Accounts 1, 3: one 5 s apart,
  // one 50 s apart. Accounts 2, 4: one only.
  std::vector<Action> acts = {{1, 0, 1, 1},    {2, 5, 1, 2},    {1, 1000, 2, 3}, {2, 1005, 2, 4},
                              {1, 2000, 3, 5}, {3, 2005, 3, 6}, {1, 3000, 4, 7}, {3, 3050, 4, 8},
                              {2, 5000, 5, 9}, {4, 5001, 5, 10}};
  CoActionOptions o;
  o.windows = {3600, 10, 60};
  Result<CoActionResult> r = DetectCoActions(acts, Behaviour::kCoPost, o);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->windows, (std::vector<int64_t>{10, 60, 3600}));
  ASSERT_EQ(r->edges.size(), 2u);
  EXPECT_EQ(r->edges[0].account_b, 2u);
  EXPECT_EQ(r->edges[0].tightest, 0);
  EXPECT_EQ(r->edges[1].account_b, 3u);
  EXPECT_EQ(r->edges[1].tightest, 1);
  EXPECT_EQ(r->edges[1].window_weights, (std::vector<uint32_t>{1, 2, 2}));
  EXPECT_EQ(r->stats.candidate_edges, 3u);
}

TEST(CoActionsTest, ViralMinuteIsABurstNotTenThousandSquaredPairs) {
  std::vector<Action> acts;
  for (uint32_t i = 0; i < 10000; ++i) acts.push_back({i, 1000 + i % 60, 77, i + 1});
  // A genuine pair elsewhere on another key.
  acts.push_back({1, 5000, 78, 20001});
  acts.push_back({2, 5001, 78, 20002});
  acts.push_back({1, 6000, 79, 20003});
  acts.push_back({2, 6001, 79, 20004});
  CoActionOptions o;
  o.windows = {60, 3600};
  auto t0 = std::chrono::steady_clock::now();
  Result<CoActionResult> r = DetectCoActions(acts, Behaviour::kCoPost, o);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_TRUE(r.ok());
  EXPECT_LT(secs, 2.0);
  ASSERT_EQ(r->edges.size(), 1u);
  EXPECT_EQ(r->edges[0].weight, 2u);
  ASSERT_EQ(r->bursts.size(), 2u);  // one per window
  EXPECT_EQ(r->bursts[0].key, 77u);
  EXPECT_EQ(r->bursts[0].posts, 10000u);
  EXPECT_EQ(r->bursts[0].accounts, 10000u);
  EXPECT_EQ(r->stats.crowded_posts, 10000u);
}

TEST(CoActionsTest, RejectsBadOptionsAndInconsistentPosts) {
  CoActionOptions o;
  o.windows = {};
  EXPECT_EQ(DetectCoActions({}, Behaviour::kCoPost, o).status().code(),
            StatusCode::kInvalidArgument);
  o.windows = {-1};
  EXPECT_FALSE(DetectCoActions({}, Behaviour::kCoPost, o).ok());
  o.windows = {60};
  o.min_weight = 0;
  EXPECT_FALSE(DetectCoActions({}, Behaviour::kCoPost, o).ok());
  o.min_weight = 2;
  std::vector<Action> bad = {{1, 10, 1, 5}, {2, 10, 2, 5}};
  Result<CoActionResult> r = DetectCoActions(bad, Behaviour::kCoPost, o);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(DetectCoActions({}, Behaviour::kCoPost, o).ok());
}

TEST(TimeResolutionTest, DetectsMinutesHoursDaysAndSeconds) {
  EXPECT_EQ(DetectTimeResolution({1458000000, 1458000060, 1458003000}), 60);
  EXPECT_EQ(DetectTimeResolution({1458000000, 1458000060, 1458003001}), 1);
  EXPECT_EQ(DetectTimeResolution({3600, 7200, 36000}), 3600);
  EXPECT_EQ(DetectTimeResolution({86400, 2 * 86400, 10 * 86400}), 86400);
  EXPECT_EQ(DetectTimeResolution({120, 120, 60}), 1);  // two distinct times: no evidence
  EXPECT_EQ(DetectTimeResolution({}), 1);
  EXPECT_EQ(DetectTimeResolution({-120, 60, 180}), 60);
}

TEST(TimeResolutionTest, WidensWindowsBelowResolutionWithWarning) {
  std::vector<std::string> warnings;
  EXPECT_EQ(WidenWindows({10, 60, 3600}, 60, &warnings), (std::vector<int64_t>{60, 3600}));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("widened to 60 s"), std::string::npos);
  warnings.clear();
  EXPECT_EQ(WidenWindows({10, 60}, 1, &warnings), (std::vector<int64_t>{10, 60}));
  EXPECT_TRUE(warnings.empty());
}

}  // namespace
}  // namespace echotrace::coord
