// Leiden communities: planted partitions are recovered, results are
// deterministic under a seed and independent of edge order.
#include "coord/communities.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace echotrace::coord {
namespace {

// `groups` dense groups of `size` nodes (edge probability p_in) with sparse
// links between them (p_out); node i is in planted group i / size.
std::vector<WeightedEdge> PlantedPartition(uint32_t groups, uint32_t size, double p_in,
                                           double p_out, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<WeightedEdge> edges;
  const uint32_t n = groups * size;
  for (uint32_t i = 0; i < n; ++i) {
    for (uint32_t j = i + 1; j < n; ++j) {
      double p = i / size == j / size ? p_in : p_out;
      if (u(rng) < p) edges.push_back({i, j, 1.0 + static_cast<double>(rng() % 3)});
    }
  }
  return edges;
}

TEST(CommunitiesTest, RecoversPlantedGroups) {
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    const uint32_t groups = 2 + static_cast<uint32_t>(seed % 3), size = 20;
    std::vector<WeightedEdge> edges = PlantedPartition(groups, size, 0.6, 0.02, seed);
    Result<Communities> c = DetectCommunities(groups * size, edges, CommunityOptions());
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    ASSERT_EQ(c->num_groups, static_cast<int32_t>(groups)) << "seed " << seed;
    for (uint32_t i = 0; i < groups * size; ++i) {
      for (uint32_t j = 0; j < groups * size; ++j) {
        ASSERT_EQ(c->group[i] == c->group[j], i / size == j / size)
            << "seed " << seed << " nodes " << i << ", " << j;
      }
    }
    EXPECT_GT(c->modularity, 0.3);
  }
}

TEST(CommunitiesTest, DeterministicAndIndependentOfEdgeOrder) {
  std::vector<WeightedEdge> edges = PlantedPartition(6, 15, 0.3, 0.05, 7);
  CommunityOptions o;
  o.seed = 1234;
  Result<Communities> a = DetectCommunities(90, edges, o);
  Result<Communities> b = DetectCommunities(90, edges, o);
  std::mt19937_64 rng(3);
  std::shuffle(edges.begin(), edges.end(), rng);
  for (WeightedEdge& e : edges) std::swap(e.a, e.b);
  Result<Communities> c = DetectCommunities(90, edges, o);
  Result<Communities> d = DetectCommunities(90, edges, o);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok() && d.ok());
  EXPECT_EQ(c->group, d->group);
  EXPECT_EQ(a->group, b->group);
  EXPECT_EQ(a->group, c->group);
  EXPECT_DOUBLE_EQ(a->modularity, c->modularity);
}

TEST(CommunitiesTest, GroupsNumberedBySizeAndIsolatedNodesUnassigned) {
  // A triangle 3-4-5, a pair 0-1 and node 2 alone; parallel edges summed.
  std::vector<WeightedEdge> edges = {{0, 1, 1}, {1, 0, 2}, {3, 4, 1},
                                     {4, 5, 1}, {3, 5, 1}, {5, 5, 9}};
  Result<Communities> c = DetectCommunities(6, edges, CommunityOptions());
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->group, (std::vector<int32_t>{1, 1, -1, 0, 0, 0}));
  EXPECT_EQ(c->num_groups, 2);
}

TEST(CommunitiesTest, ResolutionSplitsMore) {
  std::vector<WeightedEdge> edges = PlantedPartition(8, 10, 0.7, 0.08, 11);
  CommunityOptions low, high;
  low.resolution = 0.2;
  high.resolution = 3.0;
  Result<Communities> a = DetectCommunities(80, edges, low);
  Result<Communities> b = DetectCommunities(80, edges, high);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_LT(a->num_groups, b->num_groups);
}

TEST(CommunitiesTest, RejectsBadInput) {
  EXPECT_EQ(DetectCommunities(2, {{0, 2, 1}}, CommunityOptions()).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_FALSE(DetectCommunities(2, {{0, 1, 0}}, CommunityOptions()).ok());
  EXPECT_FALSE(DetectCommunities(2, {{0, 1, -1}}, CommunityOptions()).ok());
  CommunityOptions o;
  o.resolution = 0;
  EXPECT_FALSE(DetectCommunities(2, {{0, 1, 1}}, o).ok());
  Result<Communities> empty = DetectCommunities(3, {}, CommunityOptions());
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->group, (std::vector<int32_t>{-1, -1, -1}));
}

}  // namespace
}  // namespace echotrace::coord
