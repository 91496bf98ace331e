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
#include <numeric>
#include <string>
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
  // Texts whose matching form is empty (white space, ignorables) are not
  // duplicates of each other in any useful sense: never joined.
  const uint64_t empty_hash = NormalizedHash("");
  std::vector<uint32_t> reps;
  for (size_t i = 0; i < n; ++i) {
    const bool same = i > 0 && order[i].first == order[i - 1].first && order[i].first != empty_hash;
    const uint32_t first = same ? (*rep)[order[i - 1].second] : order[i].second;
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
      for (uint32_t b = 0; b < bands.bands; ++b)
        keys[e * bands.bands + b] = BandKey(sig, b, bands.rows);
    }
  });
  stats->seconds_minhash += SecondsSince(t0);
  uint64_t capped = 0;
  std::vector<uint64_t> pairs =
      CandidatePairs(keys, bands.bands, options.max_bucket, threads, &capped);
  stats->capped_buckets += capped;
  stats->candidate_pairs += pairs.size();
  for (uint64_t& p : pairs) p = uint64_t{entries[p >> 32]} << 32 | entries[p & 0xFFFFFFFFu];
  stats->seconds_candidates += SecondsSince(t0);
  return pairs;
}

enum Verdict : uint8_t { kBelow, kAccepted, kSkipped, kSizeFiltered };

struct Verified {
  std::vector<uint8_t> verdict;
  std::vector<float> jaccard;  // for kAccepted and kBelow
};

// Step 6: exact similarity of each candidate of one index. `token_index`
// selects the token-set rule.
Verified Verify(const Features& f, const std::vector<uint64_t>& pairs, bool token_index,
                const NearDupOptions& options, int threads) {
  Verified v;
  v.verdict.resize(pairs.size());
  v.jaccard.resize(pairs.size());
  const double t = options.threshold;
  const Csr& sets = token_index ? f.tokens : f.shingles;
  ParallelFor(pairs.size(), 4096, threads, [&](size_t lo, size_t hi) {
    for (size_t p = lo; p < hi; ++p) {
      const uint32_t i = pairs[p] >> 32, j = pairs[p] & 0xFFFFFFFFu;
      if (token_index && !IsShort(f.num_tokens[i], options.shingle) &&
          !IsShort(f.num_tokens[j], options.shingle)) {
        v.verdict[p] = kSkipped;  // two long documents: the shingle rule applies
        continue;
      }
      const double small = static_cast<double>(std::min(sets.SizeOf(i), sets.SizeOf(j)));
      const double large = static_cast<double>(std::max(sets.SizeOf(i), sets.SizeOf(j)));
      if (small / large < t) {  // J <= |small| / |large|
        v.verdict[p] = kSizeFiltered;
        continue;
      }
      const double jaccard = Jaccard(sets.At(i), sets.At(j));
      v.jaccard[p] = static_cast<float>(jaccard);
      v.verdict[p] = jaccard >= t ? kAccepted : kBelow;
    }
  });
  return v;
}

// Unions the accepted pairs of one index and counts verdicts.
void Join(const Features& f, const std::vector<uint64_t>& pairs, const Verified& v, uint8_t k,
          bool collect, UnionFind* uf, NearDupResult* result) {
  NearDupStats& st = result->stats;
  for (size_t p = 0; p < pairs.size(); ++p) {
    switch (v.verdict[p]) {
      case kSkipped:
        ++st.skipped_pairs;
        continue;
      case kSizeFiltered:
        ++st.size_filtered;
        continue;
      case kBelow:
        continue;
      default:
        break;
    }
    ++st.verified_pairs;
    const uint32_t a = f.doc[pairs[p] >> 32], b = f.doc[pairs[p] & 0xFFFFFFFFu];
    uf->Union(a, b);
    if (collect) result->pairs.push_back({a, b, v.jaccard[p], k});
  }
}

// Feature indices of short and long documents (empty ones counted only).
void SplitRegimes(const Features& f, const ShingleOptions& options,
                  std::vector<uint32_t>* short_docs, std::vector<uint32_t>* long_docs,
                  NearDupStats* stats) {
  for (uint32_t i = 0; i < f.doc.size(); ++i) {
    if (f.num_tokens[i] == 0) {
      ++stats->empty_docs;
    } else if (IsShort(f.num_tokens[i], options)) {
      short_docs->push_back(i);
    } else {
      long_docs->push_back(i);
    }
  }
}

Result<NearDupResult> Run(std::span<const std::string_view> texts,
                          std::span<const uint64_t> norm_hashes, const NearDupOptions& options) {
  const int threads = options.threads > 0
                          ? options.threads
                          : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  const uint32_t n = static_cast<uint32_t>(texts.size());
  NearDupResult result;
  NearDupStats& st = result.stats;
  st.docs = n;
  UnionFind uf(n);
  std::vector<uint32_t> rep1(n), rep3(n);
  Clock::time_point t0 = Clock::now();

  const std::vector<uint32_t> reps = JoinExact(texts, norm_hashes, threads, &uf, &rep1, &st);
  st.seconds_exact = SecondsSince(&t0);
  const Features f = Shingle(texts, reps, options.shingle, threads);
  st.seconds_shingle = SecondsSince(&t0);

  std::iota(rep3.begin(), rep3.end(), 0u);
  std::vector<uint32_t> short_docs, long_docs;
  SplitRegimes(f, options.shingle, &short_docs, &long_docs, &st);
  short_docs = JoinIdentical(f, f.tokens, short_docs, &uf, &rep3, &st);
  long_docs = JoinIdentical(f, f.shingles, long_docs, &uf, &rep3, &st);
  st.short_docs = short_docs.size();
  st.long_docs = long_docs.size();
  // Bridge documents: long ones whose token set is small enough to reach
  // Jaccard >= t with a short document's (at most min_tokens - 1 members).
  const double bridge_max =
      std::floor((options.shingle.min_tokens_for_shingles - 1) / options.threshold + 1e-9);
  std::vector<uint32_t> token_entries = short_docs;
  for (uint32_t i : long_docs) {
    if (static_cast<double>(f.tokens.SizeOf(i)) <= bridge_max) token_entries.push_back(i);
  }
  st.bridge_docs = token_entries.size() - short_docs.size();
  std::sort(token_entries.begin(), token_entries.end());
  st.seconds_collapse = SecondsSince(&t0);

  const MinHasher hasher(options.num_perm, options.seed);
  st.bands = ChooseBands(options.threshold, options.num_perm, options.band_criteria);
  for (const bool token_index : {true, false}) {
    const Csr& sets = token_index ? f.tokens : f.shingles;
    const std::vector<uint32_t>& entries = token_index ? token_entries : long_docs;
    const std::vector<uint64_t> pairs =
        Candidates(sets, entries, hasher, st.bands, options, threads, &st, &t0);
    const Verified v = Verify(f, pairs, token_index, options, threads);
    st.seconds_verify += SecondsSince(&t0);
    Join(f, pairs, v, token_index ? 1 : static_cast<uint8_t>(options.shingle.k),
         options.collect_pairs, &uf, &result);
    st.seconds_union += SecondsSince(&t0);
  }

  std::sort(result.pairs.begin(), result.pairs.end(),
            [](const VerifiedPair& x, const VerifiedPair& y) {
              return std::pair(x.a, x.b) < std::pair(y.a, y.b);
            });
  result.cluster = uf.Canonical();
  result.representative.resize(n);
  for (uint32_t d = 0; d < n; ++d) result.representative[d] = rep3[rep1[d]];
  std::vector<uint32_t> size(n, 0);
  for (uint32_t c : result.cluster) ++size[c];
  for (uint32_t d = 0; d < n; ++d) {
    if (size[d] >= 2) {
      ++st.clusters;
      st.clustered_docs += size[d];
    }
  }
  st.seconds_union += SecondsSince(&t0);
  return result;
}

}  // namespace

Status ValidateOptions(const NearDupOptions& options) {
  if (!(options.threshold > 0.0 && options.threshold <= 1.0)) {
    return Status::InvalidArgument("near-duplicate threshold must be in (0, 1], got " +
                                   std::to_string(options.threshold));
  }
  if (options.num_perm < 1 || options.num_perm > kMaxNumPerm) {
    return Status::InvalidArgument("MinHash permutations must be in 1.." +
                                   std::to_string(kMaxNumPerm) + ", got " +
                                   std::to_string(options.num_perm));
  }
  if (!ValidShingleOptions(options.shingle)) {
    return Status::InvalidArgument(
        "shingle size must be in 1..16 and min_tokens_for_shingles at least the shingle size");
  }
  if (options.max_bucket < 2) {
    return Status::InvalidArgument("max_bucket must be at least 2");
  }
  if (options.threads < 0) return Status::InvalidArgument("threads must be >= 0");
  return Status::OK();
}

Result<NearDupResult> FindNearDuplicates(std::span<const std::string_view> texts,
                                         std::span<const uint64_t> norm_hashes,
                                         const NearDupOptions& options) {
  ET_RETURN_IF_ERROR(ValidateOptions(options));
  if (!norm_hashes.empty() && norm_hashes.size() != texts.size()) {
    return Status::InvalidArgument("near-duplicates: " + std::to_string(norm_hashes.size()) +
                                   " norm hashes for " + std::to_string(texts.size()) + " texts");
  }
  if (texts.size() >= UINT32_MAX) {
    return Status::InvalidArgument("near-duplicates: at most 4294967294 documents per run");
  }
  try {
    return Run(texts, norm_hashes, options);
  } catch (const std::bad_alloc&) {
    return Status::Internal("near-duplicates: out of memory for " + std::to_string(texts.size()) +
                            " documents; run on fewer documents at a time");
  }
}

double PairSimilarity(const DocShingles& a, const DocShingles& b, const ShingleOptions& options) {
  if (a.num_tokens == 0 || b.num_tokens == 0) return 0.0;
  if (IsShort(a.num_tokens, options) || IsShort(b.num_tokens, options)) {
    return Jaccard(a.tokens, b.tokens);
  }
  return Jaccard(a.shingles, b.shingles);
}

}  // namespace echotrace::neardup
