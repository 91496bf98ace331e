#include "util/parallel.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "echotrace/status.h"

namespace echotrace {
namespace {

// Every index of [0, n) is passed exactly once, for random n, grain and
// thread counts (including n = 0, grain 0 and more threads than chunks),
// through both body forms.
TEST(ParallelForTest, VisitsEveryIndexExactlyOnce) {
  std::mt19937 rng(7);
  for (int round = 0; round < 200; ++round) {
    const size_t n = std::uniform_int_distribution<size_t>(0, 3000)(rng);
    const size_t grain = std::uniform_int_distribution<size_t>(0, 70)(rng);
    const int threads = std::uniform_int_distribution<int>(-1, 9)(rng);
    std::unique_ptr<std::atomic<int>[]> seen(new std::atomic<int>[n + 1]);
    for (size_t i = 0; i <= n; ++i) seen[i] = 0;
    if (round % 2 == 0) {
      ParallelFor(n, grain, threads, [&](size_t i) { seen[i].fetch_add(1); });
    } else {
      ParallelFor(n, grain, threads, [&](size_t lo, size_t hi) {
        ASSERT_LT(lo, hi);
        ASSERT_LE(hi, n);
        ASSERT_LE(hi - lo, std::max<size_t>(grain, 1));
        for (size_t i = lo; i < hi; ++i) seen[i].fetch_add(1);
      });
    }
    for (size_t i = 0; i < n; ++i) ASSERT_EQ(seen[i].load(), 1) << "n=" << n << " i=" << i;
    ASSERT_EQ(seen[n].load(), 0);
  }
}

// The work really is spread: every call waits (up to 10 s) until two calls
// have started, which only a second thread can make happen while the first
// waits; so the calls come from more than one thread.
TEST(ParallelForTest, UsesHelperThreads) {
  std::mutex mu;
  std::set<std::thread::id> ids;
  std::atomic<int> started{0};
  ParallelFor(64, 1, 4, [&](size_t) {
    started.fetch_add(1);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (started.load() < 2 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::yield();
    }
    std::lock_guard<std::mutex> lock(mu);
    ids.insert(std::this_thread::get_id());
  });
  EXPECT_GT(ids.size(), 1u);
}

// threads <= 1 runs everything on the calling thread, in index order.
TEST(ParallelForTest, OneThreadRunsInOrderOnCaller) {
  const std::thread::id self = std::this_thread::get_id();
  for (int threads : {-3, 0, 1}) {
    std::vector<size_t> order;
    ParallelFor(100, 7, threads, [&](size_t i) {
      EXPECT_EQ(std::this_thread::get_id(), self);
      order.push_back(i);
    });
    ASSERT_EQ(order.size(), 100u);
    for (size_t i = 0; i < order.size(); ++i) EXPECT_EQ(order[i], i);
  }
}

// An exception from any thread reaches the caller (not std::terminate),
// after every thread has been joined, and stops handing out work.
TEST(ParallelForTest, RethrowsFirstExceptionAfterJoining) {
  for (int threads : {1, 2, 4}) {
    std::atomic<size_t> calls{0};
    EXPECT_THROW(ParallelFor(100000, 1, threads,
                             [&](size_t i) {
                               calls.fetch_add(1);
                               if (i == 10) throw std::runtime_error("index 10");
                             }),
                 std::runtime_error);
    // Each thread stops at its next chunk once one failed.
    EXPECT_LT(calls.load(), 100000u) << threads;
  }
}

// Failures a body reports as Status go to the body's own slot; the loop
// itself neither hides nor reorders them.
TEST(ParallelForTest, StatusPerSlotIsKept) {
  std::vector<Status> slots(50);
  ParallelFor(slots.size(), 3, 4, [&](size_t i) {
    if (i % 7 == 3) slots[i] = Status::IOError("slot " + std::to_string(i));
  });
  for (size_t i = 0; i < slots.size(); ++i) {
    EXPECT_EQ(slots[i].ok(), i % 7 != 3) << i;
    if (!slots[i].ok()) {
      EXPECT_NE(slots[i].message().find(std::to_string(i)), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace echotrace
