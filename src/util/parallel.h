// ParallelFor: the one loop the detectors use to spread independent work
// over threads (near-duplicates, passage reuse).
//
// How: the caller and up to threads-1 helper threads take chunks of `grain`
// consecutive indices from a shared atomic counter until [0, n) is used up,
// so a slow chunk does not hold back the others (dynamic scheduling, no
// work queue). Which thread runs which chunk varies from run to run; the
// body must therefore write only to state owned by its indices (its own
// slot, or a per-chunk output joined in index order afterwards). Results
// then do not depend on the thread count or the timing.
//
// Errors: the library reports errors as Status, so a body that can fail
// writes its Status to its own slot and the caller checks the slots after
// the loop. An exception escaping the body (std::bad_alloc) is caught; no
// further chunks are handed out, every thread is joined, and the first
// exception is rethrown in the caller's thread (instead of std::terminate).
#ifndef ECHOTRACE_UTIL_PARALLEL_H_
#define ECHOTRACE_UTIL_PARALLEL_H_

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

namespace echotrace {

// Calls `body` on every index in [0, n) exactly once, from the calling
// thread and at most threads-1 others (threads <= 1: the calling thread
// only; never more threads than chunks). `grain` (0 is taken as 1) indices
// are handed out at a time. `body` is either body(i) for each index or
// body(begin, end) for each chunk [begin, end). It must be safe to call
// concurrently on distinct indices. Returns when every call has returned;
// rethrows the first exception a call threw (see above).
template <typename Body>
void ParallelFor(size_t n, size_t grain, int threads, const Body& body) {
  static_assert(
      std::is_invocable_v<const Body&, size_t> || std::is_invocable_v<const Body&, size_t, size_t>,
      "ParallelFor body takes (index) or (begin, end)");
  grain = std::max<size_t>(grain, 1);
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr first_error;
  std::mutex error_mu;
  auto work = [&] {
    for (;;) {
      if (failed.load(std::memory_order_relaxed)) return;
      const size_t begin = next.fetch_add(grain);
      if (begin >= n) return;
      const size_t end = std::min(n, begin + grain);
      try {
        if constexpr (std::is_invocable_v<const Body&, size_t, size_t>) {
          body(begin, end);
        } else {
          for (size_t i = begin; i < end; ++i) body(i);
        }
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mu);
        if (!first_error) first_error = std::current_exception();
        failed.store(true, std::memory_order_relaxed);
        return;
      }
    }
  };
  const size_t chunks = n / grain + (n % grain != 0 ? 1 : 0);
  const size_t helpers = std::min<size_t>(threads > 1 ? static_cast<size_t>(threads) - 1 : 0,
                                          chunks > 0 ? chunks - 1 : 0);
  std::vector<std::thread> pool;
  pool.reserve(helpers);
  for (size_t t = 0; t < helpers; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
  if (first_error) std::rethrow_exception(first_error);
}

}  // namespace echotrace

#endif  // ECHOTRACE_UTIL_PARALLEL_H_
