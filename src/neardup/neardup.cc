// The near-duplicate pipeline; the steps and guarantees are in neardup.h.
//
// Determinism: parallel steps write each document's (or pair's) result to
// its own slot, or build per-chunk outputs that are concatenated in chunk
// order; everything order-sensitive (grouping, union-find, cluster naming)
// runs on sorted data in one thread. Union-find's partition does not depend
// on the order of unions and clusters are named by their smallest member, so
// the output is the same for every thread count.
#include "neardup/neardup.h"

#include <xxhash.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <new>
#include <thread>
#include <utility>

#include "neardup/union_find.h"
#include "text/normalize.h"

namespace echotrace::neardup {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point* t0) {
  const Clock::time_point now = Clock::now();
  const double s = std::chrono::duration<double>(now - *t0).count();
  *t0 = now;
  return s;
}

// Calls f(begin, end) on [0, n) in chunks of `grain`, from `threads` threads.
template <typename F>
void ParallelFor(size_t n, size_t grain, int threads, const F& f) {
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (;;) {
      const size_t begin = next.fetch_add(grain);
      if (begin >= n) return;
      f(begin, std::min(n, begin + grain));
    }
  };
  std::vector<std::thread> pool;
  const size_t chunks = (n + grain - 1) / grain;
  for (int t = 1; t < threads && static_cast<size_t>(t) < chunks; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
}

// Variable-length sets stored back to back.
struct Csr {
  std::vector<uint64_t> offsets{0};
  std::vector<uint64_t> values;
  std::span<const uint64_t> At(size_t i) const {
    return {values.data() + offsets[i], offsets[i + 1] - offsets[i]};
  }
  size_t SizeOf(size_t i) const { return offsets[i + 1] - offsets[i]; }
  void Append(std::span<const uint64_t> s) {
    values.insert(values.end(), s.begin(), s.end());
    offsets.push_back(values.size());
  }
  void Extend(const Csr& other) {
    const uint64_t base = values.size();
    values.insert(values.end(), other.values.begin(), other.values.end());
    for (size_t i = 1; i < other.offsets.size(); ++i) offsets.push_back(base + other.offsets[i]);
  }
};

// Sets of the documents that survive step 1, in ascending document order.
struct Features {
  std::vector<uint32_t> doc;
  std::vector<uint32_t> num_tokens;
  Csr tokens, shingles;  // shingles: empty set for short documents
};

// Step 1. Returns the representatives (ascending); sets rep[d].
std::vector<uint32_t> JoinExact(std::span<const std::string_view> texts,
                                std::span<const uint64_t> norm_hashes, int threads, UnionFind* uf,
                                std::vector<uint32_t>* rep, NearDupStats* stats) {
  const size_t n = texts.size();
  std::vector<uint64_t> computed;
  if (norm_hashes.empty()) {
    computed.resize(n);
    ParallelFor(n, 1024, threads, [&](size_t lo, size_t hi) {
      for (size_t d = lo; d < hi; ++d) computed[d] = NormalizedHash(texts[d]);
    });
    norm_hashes = computed;
  }
  std::vector<std::pair<uint64_t, uint32_t>> order(n);
  for (size_t d = 0; d < n; ++d) order[d] = {norm_hashes[d], static_cast<uint32_t>(d)};
  std::sort(order.begin(), order.end());
  std::vector<uint32_t> reps;
  for (size_t i = 0; i < n; ++i) {
    const uint32_t first = (i > 0 && order[i].first == order[i - 1].first) ? (*rep)[order[i - 1].second]
                                                                           : order[i].second;
    (*rep)[order[i].second] = first;
    if (first == order[i].second) {
      reps.push_back(first);
    } else {
      uf->Union(first, order[i].second);
      ++stats->exact_duplicates;
    }
  }
  std::sort(reps.begin(), reps.end());
  return reps;
}

// Step 2, in chunks whose outputs are concatenated in order.
Features Shingle(std::span<const std::string_view> texts, const std::vector<uint32_t>& reps,
                 const ShingleOptions& options, int threads) {
  constexpr size_t kGrain = 2048;
  std::vector<Features> parts((reps.size() + kGrain - 1) / kGrain);
  ParallelFor(reps.size(), kGrain, threads, [&](size_t lo, size_t hi) {
    Features& part = parts[lo / kGrain];
    DocShingles ds;
    for (size_t i = lo; i < hi; ++i) {
      ComputeShingles(texts[reps[i]], options, &ds);
      part.doc.push_back(reps[i]);
      part.num_tokens.push_back(ds.num_tokens);
      part.tokens.Append(ds.tokens);
      part.shingles.Append(ds.shingles);
    }
  });
  Features all;
  for (Features& part : parts) {
    all.doc.insert(all.doc.end(), part.doc.begin(), part.doc.end());
    all.num_tokens.insert(all.num_tokens.end(), part.num_tokens.begin(), part.num_tokens.end());
    all.tokens.Extend(part.tokens);
    all.shingles.Extend(part.shingles);
    part = Features();
  }
  return all;
}

// Step 3 for one regime: joins members with identical sets; returns the
// members that go on (ascending feature index).
std::vector<uint32_t> JoinIdentical(const Features& f, const Csr& sets,
                                    const std::vector<uint32_t>& members, UnionFind* uf,
                                    std::vector<uint32_t>* rep3, NearDupStats* stats) {
  std::vector<std::pair<uint64_t, uint32_t>> keyed(members.size());
  for (size_t i = 0; i < members.size(); ++i) {
    const std::span<const uint64_t> s = sets.At(members[i]);
    keyed[i] = {XXH3_64bits(s.data(), s.size_bytes()), members[i]};
  }
  std::sort(keyed.begin(), keyed.end());
  std::vector<uint32_t> kept;
  size_t first = 0;
  for (size_t i = 0; i < keyed.size(); ++i) {
    if (i > 0 && keyed[i].first != keyed[first].first) first = i;
    const uint32_t a = keyed[first].second, b = keyed[i].second;
    const std::span<const uint64_t> sa = sets.At(a), sb = sets.At(b);
    if (a != b && std::equal(sa.begin(), sa.end(), sb.begin(), sb.end())) {
      uf->Union(f.doc[a], f.doc[b]);
      (*rep3)[f.doc[b]] = f.doc[a];
      ++stats->identical_sets;
    } else {
      kept.push_back(b);  // a group's first, or a hash collision
    }
  }
  std::sort(kept.begin(), kept.end());
  return kept;
}

// Steps 4 and 5 for one index: candidate pairs of feature indices.
std::vector<uint64_t> Candidates(const Csr& sets, const std::vector<uint32_t>& entries,
                                 const MinHasher& hasher, BandParams bands,
                                 const NearDupOptions& options, int threads, NearDupStats* stats,
                                 Clock::time_point* t0) {
  std::vector<uint32_t> keys(entries.size() * bands.bands);
  ParallelFor(entries.size(), 512, threads, [&](size_t lo, size_t hi) {
    std::vector<uint32_t> sig(hasher.num_perm());
    for (size_t e = lo; e < hi; ++e) {
      hasher.Sign(sets.At(entries[e]), sig.data());
      for (uint32_t b = 0; b < bands.bands; ++b) keys[e * bands.bands + b] = BandKey(sig, b, bands.rows);
    }
  });
  stats->seconds_minhash += SecondsSince(t0);
  uint64_t capped = 0;
  std::vector<uint64_t> pairs = CandidatePairs(keys, bands.bands, options.max_bucket, threads, &capped);
  stats->capped_buckets += capped;
  stats->candidate_pairs += pairs.size();
  for (uint64_t& p : pairs) p = uint64_t{entries[p >> 32]} << 32 | entries[p & 0xFFFFFFFFu];
  stats->seconds_candidates += SecondsSince(t0);
  return pairs;
}

constexpr float kSkipped = -1.0f;
constexpr float kSizeFiltered = -2.0f;

// Step 6: exact similarity of each candidate of one index, or a negative
// code. `token_index` selects the token-set rule.
std::vector<float> Verify(const Features& f, const std::vector<uint64_t>& pairs, bool token_index,
                          const NearDupOptions& options, int threads) {
  std::vector<float> sims(pairs.size());
  const double t = options.threshold;
  ParallelFor(pairs.size(), 4096, threads, [&](size_t lo, size_t hi) {
    for (size_t p = lo; p < hi; ++p) {
      const uint32_t i = pairs[p] >> 32, j = pairs[p] & 0xFFFFFFFFu;
      const bool both_long = !IsShort(f.num_tokens[i], options.shingle) &&
                             !IsShort(f.num_tokens[j], options.shingle);
      if (token_index && both_long) {
        sims[p] = kSkipped;
        continue;
      }
      const Csr& sets = token_index ? f.tokens : f.shingles;
      const size_t small = std::min(sets.SizeOf(i), sets.SizeOf(j));
      const size_t large = std::max(sets.SizeOf(i), sets.SizeOf(j));
      if (static_cast<double>(small) / static_cast<double>(large) < t) {
        sims[p] = kSizeFiltered;
        continue;
      }
      sims[p] = static_cast<float>(Jaccard(sets.At(i), sets.At(j)));
      if (Jaccard(sets.At(i), sets.At(j)) < t) sims[p] = std::min(sims[p], std::nextafter(static_cast<float>(t), 0.0f));
    }
  });
  return sims;
}

}  // namespace
