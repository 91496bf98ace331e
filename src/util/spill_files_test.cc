#include "util/spill_files.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <thread>
#include <vector>

namespace echotrace {
namespace {

std::string TempParent() {
  const auto p =
      std::filesystem::temp_directory_path() / ("echotrace_spill_test_" + std::to_string(getpid()));
  std::filesystem::create_directories(p);
  return p.string();
}

struct Rec {
  uint64_t key;
  uint32_t value;
};

// Many threads append to a few buckets in slices; every bucket gives back
// exactly the records sent to it (as a multiset), and the directory is gone
// with the object.
TEST(SpillFilesTest, RecordsComeBackPerBucket) {
  const std::string parent = TempParent();
  std::string dir;
  {
    auto spill = SpillFiles::Create(parent, "t", 5);
    ASSERT_TRUE(spill.ok()) << spill.status().ToString();
    dir = (*spill)->dir();
    EXPECT_TRUE(std::filesystem::is_directory(dir));
    std::vector<std::vector<Rec>> sent(5);
    std::vector<std::vector<std::vector<Rec>>> per_thread(4, std::vector<std::vector<Rec>>(5));
    std::mt19937_64 rng(7);
    for (int t = 0; t < 4; ++t) {
      for (int i = 0; i < 20000; ++i) {
        const size_t b = rng() % 4;  // bucket 4 stays empty
        Rec r{rng(), static_cast<uint32_t>(t * 100000 + i)};
        per_thread[t][b].push_back(r);
        sent[b].push_back(r);
      }
    }
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        for (size_t b = 0; b < 5; ++b) {
          const auto& v = per_thread[t][b];
          for (size_t at = 0; at < v.size(); at += 333) {
            const size_t n = std::min<size_t>(333, v.size() - at);
            EXPECT_TRUE((*spill)->Append(b, std::span<const Rec>(v.data() + at, n)).ok());
          }
        }
      });
    }
    for (auto& th : threads) th.join();
    auto by_key = [](const Rec& x, const Rec& y) {
      return std::tie(x.key, x.value) < std::tie(y.key, y.value);
    };
    uint64_t bytes = 0;
    for (size_t b = 0; b < 5; ++b) {
      auto got = (*spill)->Take<Rec>(b);
      ASSERT_TRUE(got.ok()) << got.status().ToString();
      ASSERT_EQ(got->size(), sent[b].size()) << "bucket " << b;
      std::sort(got->begin(), got->end(), by_key);
      std::sort(sent[b].begin(), sent[b].end(), by_key);
      for (size_t i = 0; i < got->size(); ++i) {
        ASSERT_EQ((*got)[i].key, sent[b][i].key);
        ASSERT_EQ((*got)[i].value, sent[b][i].value);
      }
      bytes += sent[b].size() * sizeof(Rec);
      // Taken: the bucket is empty again, and can be refilled.
      auto again = (*spill)->Take<Rec>(b);
      ASSERT_TRUE(again.ok());
      EXPECT_TRUE(again->empty());
    }
    EXPECT_EQ((*spill)->bytes_written(), bytes);
    EXPECT_TRUE(sent[4].empty());
  }
  EXPECT_FALSE(std::filesystem::exists(dir));
  std::filesystem::remove_all(parent);
}

TEST(SpillFilesTest, UnwritableParentIsAnIoErrorNamingThePath) {
  auto spill = SpillFiles::Create("/proc/no-such-dir", "t", 2);
  ASSERT_FALSE(spill.ok());
  EXPECT_EQ(spill.status().code(), StatusCode::kIOError);
  EXPECT_NE(spill.status().message().find("/proc/no-such-dir"), std::string::npos);
}

}  // namespace
}  // namespace echotrace
