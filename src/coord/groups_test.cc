// Group summaries: members, posts, span, burstiness, behaviours, shared keys.
#include "coord/groups.h"

#include <gtest/gtest.h>

#include <cmath>

namespace echotrace::coord {
namespace {

TEST(BurstinessTest, PeriodicPoissonLikeAndBursty) {
  EXPECT_DOUBLE_EQ(*Burstiness({0, 10, 20, 30, 40}), -1.0);  // periodic: σ = 0
  EXPECT_FALSE(Burstiness({5, 5, 5}).has_value());           // no inter-event time
  EXPECT_FALSE(Burstiness({1, 2}).has_value());              // too few
  // Bursts of four posts a second apart, an hour between bursts.
  std::vector<int64_t> t;
  for (int b = 0; b < 20; ++b) {
    for (int k = 0; k < 4; ++k) t.push_back(b * 3600 + k);
  }
  double bursty = *Burstiness(t);
  EXPECT_GT(bursty, 0.2);
  EXPECT_LT(bursty, 1.0);
  // Order does not matter; B = (CV - 1) / (CV + 1).
  std::vector<int64_t> u = {30, 0, 10, 70};
  double mean = 70.0 / 3, sd = std::sqrt((100 + 400 + 1600) / 3.0 - mean * mean);
  EXPECT_NEAR(*Burstiness(u), (sd - mean) / (sd + mean), 1e-12);
}

TEST(GroupsTest, SummarisesMembersPostsBehavioursAndKeys) {
  // Accounts 0, 1, 2 in group 0; 3, 4 in group 1; 5 in none.
  std::vector<int32_t> groups = {0, 0, 0, 1, 1, -1};
  std::vector<Action> posts = {{0, 100, 7, 1}, {1, 110, 7, 2}, {2, 120, 7, 3},
                               {0, 500, 8, 4}, {1, 510, 8, 5}, {3, 900, 9, 6},
                               {4, 905, 9, 7}, {5, 901, 9, 8}, {2, 130, 6, 9}};
  std::vector<Action> links = {{0, 100, 70, 1}, {2, 120, 70, 3}, {0, 100, 71, 1}, {1, 700, 72, 10}};
  std::vector<CoEdge> edges(3);
  edges[0].account_a = 0;
  edges[0].account_b = 1;
  edges[0].weight = 2;
  edges[1].account_a = 0;
  edges[1].account_b = 2;
  edges[1].behaviour = Behaviour::kCoLink;
  edges[1].weight = 1;
  edges[2].account_a = 4;
  edges[2].account_b = 5;  // crosses out of group 1: not counted
  edges[2].weight = 9;
  std::vector<GroupSummary> s = SummarizeGroups(
      groups, {{Behaviour::kCoPost, &posts}, {Behaviour::kCoLink, &links}}, edges, 2);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].accounts, (std::vector<uint32_t>{0, 1, 2}));
  EXPECT_EQ(s[0].posts, 7u);  // 1, 2, 3, 4, 5, 9, 10
  EXPECT_EQ(s[0].first_time, 100);
  EXPECT_EQ(s[0].last_time, 700);
  EXPECT_TRUE(s[0].burstiness.has_value());
  ASSERT_EQ(s[0].behaviours.size(), 2u);
  EXPECT_EQ(s[0].behaviours[0], (BehaviourFigures{Behaviour::kCoPost, 1, 2}));
  EXPECT_EQ(s[0].behaviours[1], (BehaviourFigures{Behaviour::kCoLink, 1, 1}));
  ASSERT_EQ(s[0].top_keys.size(), 2u);
  EXPECT_EQ(s[0].top_keys[0], (SharedKey{Behaviour::kCoPost, 7, 3, 3}));
  EXPECT_EQ(s[0].top_keys[1], (SharedKey{Behaviour::kCoPost, 8, 2, 2}));
  EXPECT_EQ(s[1].accounts, (std::vector<uint32_t>{3, 4}));
  EXPECT_EQ(s[1].posts, 2u);
  EXPECT_FALSE(s[1].burstiness.has_value());
  EXPECT_TRUE(s[1].behaviours.empty());
  ASSERT_EQ(s[1].top_keys.size(), 1u);
  EXPECT_EQ(s[1].top_keys[0].key, 9u);
}

}  // namespace
}  // namespace echotrace::coord
