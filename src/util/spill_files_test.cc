#include "util/spill_files.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <span>
#include <string>
#include <thread>
#include <utility>
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

// Forks a child that creates scratch files under `parent` with `prefix`,
// writes their directory to a pipe and then either dies at once by
// SIGKILL (no destructor runs) or waits to be killed. Returns its pid and
// the directory.
std::pair<pid_t, std::string> ChildWithScratch(const std::string& parent, const char* prefix,
                                               bool die_now) {
  int fds[2];
  if (::pipe(fds) != 0) return {-1, ""};
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    auto spill = SpillFiles::Create(parent, prefix, 2);
    std::string dir = spill.ok() ? (*spill)->dir() : "";
    if (spill.ok()) {
      const uint64_t r = 7;
      (void)(*spill)->Append<uint64_t>(0, std::span<const uint64_t>(&r, 1));
    }
    dir += '\n';
    (void)!::write(fds[1], dir.data(), dir.size());
    if (!die_now) ::pause();
    ::kill(::getpid(), SIGKILL);
  }
  ::close(fds[1]);
  std::string dir;
  char c;
  while (::read(fds[0], &c, 1) == 1 && c != '\n') dir += c;
  ::close(fds[0]);
  return {pid, dir};
}

// Issue 17 item 20: a reuse run killed by SIGKILL left its scratch
// directories behind for good. The next Create removes them, and never
// those of a process still running.
TEST(SpillFilesTest, StaleScratchOfAKilledRunIsRemovedLiveOnesAreKept) {
  const std::string parent = TempParent() + "/stale";
  std::filesystem::remove_all(parent);
  std::filesystem::create_directories(parent);
  auto [live, live_dir] = ChildWithScratch(parent, "echotrace-reuse-t", false);
  ASSERT_GT(live, 0);
  struct Reaper {
    pid_t pid;
    ~Reaper() {
      if (pid <= 0) return;
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
  } reaper{live};
  auto [dead, dead_dir] = ChildWithScratch(parent, "echotrace-reuse-t", true);
  ASSERT_GT(dead, 0);
  ::waitpid(dead, nullptr, 0);
  ASSERT_FALSE(dead_dir.empty());
  ASSERT_FALSE(live_dir.empty());
  ASSERT_TRUE(std::filesystem::exists(dead_dir));
  // An older run's directory without the lock file, of a pid that cannot
  // exist (above pid_max), and one of another prefix: only the first goes.
  const std::string old_dir = parent + "/echotrace-reuse-t-99999999-0";
  const std::string other = parent + "/echotrace-reuse-u-99999999-0";
  std::filesystem::create_directories(old_dir);
  std::filesystem::create_directories(other);

  auto mine = SpillFiles::Create(parent, "echotrace-reuse-t", 2);
  ASSERT_TRUE(mine.ok()) << mine.status().ToString();
  EXPECT_FALSE(std::filesystem::exists(dead_dir)) << dead_dir;
  EXPECT_FALSE(std::filesystem::exists(old_dir));
  EXPECT_TRUE(std::filesystem::exists(live_dir)) << live_dir;
  EXPECT_TRUE(std::filesystem::exists(other));
  // A second object of this process does not take the first one's.
  auto second = SpillFiles::Create(parent, "echotrace-reuse-t", 2);
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(std::filesystem::exists((*mine)->dir()));

  ::kill(live, SIGKILL);
  ::waitpid(live, nullptr, 0);
  reaper.pid = 0;
  auto third = SpillFiles::Create(parent, "echotrace-reuse-t", 2);
  ASSERT_TRUE(third.ok());
  EXPECT_FALSE(std::filesystem::exists(live_dir)) << live_dir;
  EXPECT_TRUE(std::filesystem::exists((*mine)->dir()));
  mine->reset();
  second->reset();
  third->reset();
  std::filesystem::remove_all(parent);
}

}  // namespace
}  // namespace echotrace
