// reuse_bench: throughput of FindPassages (anchors + banded X-drop
// extension) on article-length document pairs, against the plain O(n·m)
// AlignFull on the same pairs. Not a test; figures go to BENCHMARKS.md with
// the command that made them.
//
// Each pair is two documents of --len tokens (default 2,000) drawn from a
// Zipf(1) vocabulary of 50,000 words, so common "words" match by chance as
// in real text, sharing one planted passage of 40-400 tokens with ~3%
// substituted and ~1% inserted tokens. Generation is not timed. Recall is
// the share of pairs where a passage overlapping the planted one is found.
//
//   reuse_bench [--pairs 10000] [--full 100] [--len 2000] [--seed 1]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <vector>

#include "reuse/aligner.h"
#include "reuse/passages.h"

namespace {

using echotrace::reuse::TokenId;
using Clock = std::chrono::steady_clock;

struct Pair {
  std::vector<TokenId> a, b;
  uint32_t a_begin, a_end;  // planted passage in a
};

class Zipf {
 public:
  explicit Zipf(size_t vocab) : cdf_(vocab) {
    double sum = 0;
    for (size_t i = 0; i < vocab; ++i) cdf_[i] = sum += 1.0 / double(i + 1);
    for (double& c : cdf_) c /= sum;
  }
  TokenId operator()(std::mt19937_64& rng) const {
    const double u = std::uniform_real_distribution<double>(0, 1)(rng);
    return std::lower_bound(cdf_.begin(), cdf_.end(), u) - cdf_.begin() + 1;
  }

 private:
  std::vector<double> cdf_;
};

Pair MakePair(const Zipf& zipf, uint64_t seed, size_t len) {
  std::mt19937_64 rng(seed);
  Pair p;
  const size_t plen = 40 + rng() % 361;
  std::vector<TokenId> passage(plen);
  for (TokenId& t : passage) t = zipf(rng);
  const size_t at_a = rng() % (len - plen), at_b = rng() % (len - plen);
  for (size_t i = 0; i < at_a; ++i) p.a.push_back(zipf(rng));
  for (size_t i = 0; i < at_b; ++i) p.b.push_back(zipf(rng));
  p.a_begin = static_cast<uint32_t>(p.a.size());
  for (TokenId t : passage) {
    p.a.push_back(t);
    const uint64_t r = rng() % 100;
    if (r == 0) p.b.push_back(zipf(rng));  // insertion before
    p.b.push_back(r < 4 && r > 0 ? zipf(rng) : t);
  }
  p.a_end = static_cast<uint32_t>(p.a.size());
  while (p.a.size() < len) p.a.push_back(zipf(rng));
  while (p.b.size() < len) p.b.push_back(zipf(rng));
  return p;
}

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

}  // namespace

int main(int argc, char** argv) {
  size_t pairs = 10000, full = 100, len = 2000;
  uint64_t seed = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    const unsigned long long v = std::strtoull(argv[i + 1], nullptr, 10);
    if (!std::strcmp(argv[i], "--pairs"))
      pairs = v;
    else if (!std::strcmp(argv[i], "--full"))
      full = v;
    else if (!std::strcmp(argv[i], "--len"))
      len = std::max<size_t>(v, 500);
    else if (!std::strcmp(argv[i], "--seed"))
      seed = v;
    else
      return std::fprintf(stderr, "unknown flag %s\n", argv[i]), 2;
  }
  const Zipf zipf(50000);
  Clock::duration fast{0}, slow{0}, anchors{0};
  size_t found = 0, passages = 0;
  uint64_t cells = 0;
  for (size_t k = 0; k < pairs; ++k) {
    const Pair p = MakePair(zipf, seed * 1000003 + k, len);
    const Clock::time_point t0 = Clock::now();
    auto r = echotrace::reuse::FindPassages(p.a, p.b);
    fast += Clock::now() - t0;
    const Clock::time_point t1 = Clock::now();
    if (!echotrace::reuse::FindAnchors(p.a, p.b).ok()) return 1;
    anchors += Clock::now() - t1;  // the anchor step alone, timed again
    if (!r.ok()) return std::fprintf(stderr, "%s\n", r.status().ToString().c_str()), 1;
    passages += r->size();
    bool hit = false;
    for (const auto& pp : *r) {
      cells += pp.alignment.cells;
      hit |= pp.alignment.a_begin < p.a_end && pp.alignment.a_end > p.a_begin;
    }
    found += hit;
  }
  uint64_t full_cells = 0;
  for (size_t k = 0; k < std::min(full, pairs); ++k) {
    const Pair p = MakePair(zipf, seed * 1000003 + k, len);
    const Clock::time_point t0 = Clock::now();
    auto r = echotrace::reuse::AlignFull(p.a, p.b);
    slow += Clock::now() - t0;
    if (!r.ok()) return 1;
    full_cells += r->cells;
  }
  const double fast_rate = double(pairs) / Seconds(fast);
  const double slow_rate = double(std::min(full, pairs)) / Seconds(slow);
  std::printf(
      "pairs=%zu len=%zu FindPassages: %.0f pairs/s (%.1f us/pair, of which anchors %.1f us), "
      "recall %.4f, %.2f passages/pair, %.0f DP cells/pair\n",
      pairs, len, fast_rate, 1e6 / fast_rate, 1e6 * Seconds(anchors) / double(pairs),
      double(found) / double(pairs), double(passages) / double(pairs),
      double(cells) / double(pairs));
  std::printf(
      "AlignFull on the first %zu pairs: %.1f pairs/s (%.0f DP cells/pair); "
      "speed-up %.0fx\n",
      std::min(full, pairs), slow_rate, double(full_cells) / double(std::min(full, pairs)),
      fast_rate / slow_rate);
  return 0;
}
