// KeyRuns against a plain multimap on random keys: every lookup, present or
// absent, in several runs, with hashes repeated across block boundaries.
#include "store/key_runs.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <random>

#include "store/store_test_util.h"

namespace echotrace::store_internal {
namespace {

TEST(KeyRunsTest, FindsWhatAMultimapFinds) {
  testing::TempDir dir;
  const std::string path = dir.File("keys");
  for (uint64_t seed : {1u, 2u, 3u}) {
    std::mt19937_64 rng(seed);
    KeyRuns runs(path);
    std::multimap<uint64_t, int64_t> all;
    int64_t next_id = 1;
    // Small hash spaces make long runs of one hash (crossing 256-key
    // blocks); large ones make nearly every lookup a miss.
    for (uint64_t space : {uint64_t{50}, uint64_t{5000}, ~uint64_t{0}}) {
      std::vector<KeyRuns::Key> keys;
      const size_t n = 300 + rng() % 3000;
      for (size_t i = 0; i < n; ++i) {
        const uint64_t h = rng() % space;
        keys.push_back({h, next_id});
        all.emplace(h, next_id++);
      }
      ASSERT_TRUE(runs.Add(keys).ok());
    }
    EXPECT_EQ(runs.runs(), 3u);
    EXPECT_EQ(runs.size(), all.size());
    std::vector<uint64_t> probes;
    for (const auto& [h, id] : all) probes.push_back(h);
    for (int i = 0; i < 20000; ++i) probes.push_back(rng() % (i % 2 ? 6000 : ~uint64_t{0}));
    for (uint64_t h : probes) {
      std::vector<int64_t> got;
      ASSERT_TRUE(runs.Find(h, &got).ok());
      std::vector<int64_t> want;
      for (auto [it, end] = all.equal_range(h); it != end; ++it) want.push_back(it->second);
      std::sort(got.begin(), got.end());
      std::sort(want.begin(), want.end());
      ASSERT_EQ(got, want) << "hash " << h;
    }
    EXPECT_TRUE(std::filesystem::exists(path));
    runs.Clear();
    EXPECT_FALSE(std::filesystem::exists(path));
    std::vector<int64_t> none;
    ASSERT_TRUE(runs.Find(probes.front(), &none).ok());
    EXPECT_TRUE(none.empty());
  }
}

TEST(KeyRunsTest, UnwritablePlaceIsAnIoError) {
  KeyRuns runs("/proc/no-such-dir/keys");
  EXPECT_EQ(runs.Add({{1, 1}}).code(), StatusCode::kIOError);
  EXPECT_EQ(runs.size(), 0u);
}

}  // namespace
}  // namespace echotrace::store_internal
