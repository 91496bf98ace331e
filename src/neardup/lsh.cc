// Band selection and sort-based candidate generation; see lsh.h.
//
// Why sorting rather than a hash map of buckets: one band of 2.5 million
// documents is 20 MB of packed (key << 32 | doc) words, which a radix sort
// orders in three passes over contiguous memory; a hash map of vectors
// would allocate per bucket and chase pointers. Documents are entered in
// index order and the sort is stable, so every bucket lists its members in
// ascending order, which makes pair emission (i < j) and the choice of the
// first max_bucket members of an oversized bucket deterministic.
#include "neardup/lsh.h"

#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <thread>
#include <utility>
#include <vector>

namespace echotrace::neardup {
namespace {

constexpr int kDigitBits = 11;
constexpr double kSteps = 1000;

// ∫_lo^hi f(s) ds by the midpoint rule.
template <typename F>
double Integrate(F f, double lo, double hi) {
  if (hi <= lo) return 0.0;
  const double h = (hi - lo) / kSteps;
  double sum = 0.0;
  for (int i = 0; i < kSteps; ++i) sum += f(lo + (i + 0.5) * h);
  return sum * h;
}

// Emits the pairs of one bucket `run` (ascending doc indices) under the
// rule of lsh.h: (p, q), p < q, when p < max_bucket and doc(q) >= first_new.
// New documents have the highest indices, so they are a suffix of the run.
void EmitBucket(std::span<const uint64_t> run, uint32_t max_bucket, uint32_t first_new,
                std::vector<uint64_t>* out, uint64_t* capped) {
  auto doc = [](uint64_t e) { return e & 0xFFFFFFFFu; };
  size_t q0 = 1;
  while (q0 < run.size() && doc(run[q0]) < first_new) ++q0;
  if (q0 >= run.size()) return;  // no pair with a new document
  if (run.size() > max_bucket) ++*capped;
  for (size_t q = q0; q < run.size(); ++q) {
    const size_t p_end = std::min<size_t>(q, max_bucket);
    for (size_t p = 0; p < p_end; ++p) out->push_back(doc(run[p]) << 32 | doc(run[q]));
  }
}

// Sorts and deduplicates out[from, end) and merges it into the sorted
// unique prefix out[0, from).
void Compact(std::vector<uint64_t>* out, size_t from) {
  std::vector<uint64_t> tail(out->begin() + static_cast<std::ptrdiff_t>(from), out->end());
  RadixSort(&tail, 0, 64);
  tail.erase(std::unique(tail.begin(), tail.end()), tail.end());
  out->resize(from);
  std::vector<uint64_t> merged(out->size() + tail.size());
  merged.erase(std::set_union(out->begin(), out->end(), tail.begin(), tail.end(), merged.begin()),
               merged.end());
  out->swap(merged);
}

// Candidates of the bands β ≡ part (mod parts), sorted and unique. Big
// buckets repeat their pairs in most bands, so the output is compacted
// whenever the unsorted tail outgrows the sorted prefix, which keeps memory
// near the number of distinct pairs.
std::vector<uint64_t> BandsPart(std::span<const uint32_t> keys, uint32_t bands, uint32_t max_bucket,
                                uint32_t first_new, uint32_t part, uint32_t parts,
                                uint64_t* capped) {
  const size_t num_docs = keys.size() / bands;
  std::vector<uint64_t> entries(num_docs), out;
  size_t sorted = 0;
  for (uint32_t band = part; band < bands; band += parts) {
    for (size_t d = 0; d < num_docs; ++d) entries[d] = uint64_t{keys[d * bands + band]} << 32 | d;
    RadixSort(&entries, 32, 64);
    size_t start = 0;
    for (size_t e = 1; e <= num_docs; ++e) {
      if (e < num_docs && entries[e] >> 32 == entries[start] >> 32) continue;
      if (e - start > 1) {
        EmitBucket({entries.data() + start, e - start}, max_bucket, first_new, &out, capped);
      }
      start = e;
    }
    if (out.size() - sorted > std::max<size_t>(sorted, size_t{1} << 22)) {
      Compact(&out, sorted);
      sorted = out.size();
    }
  }
  Compact(&out, sorted);
  return out;
}

}  // namespace

double CandidateProbability(double s, BandParams p) {
  return 1.0 - std::pow(1.0 - std::pow(s, p.rows), p.bands);
}

BandParams ChooseBands(double threshold, uint32_t num_perm, const BandCriteria& criteria) {
  // The search takes ~50 ms and every run (and the stage, to name its
  // parameters) asks for the same few values: remember the last answer.
  struct Memo {
    double threshold = -1;
    uint32_t num_perm = 0;
    BandCriteria criteria;
    BandParams bands;
  };
  thread_local Memo memo;
  if (memo.threshold == threshold && memo.num_perm == num_perm &&
      memo.criteria.min_recall_at_threshold == criteria.min_recall_at_threshold &&
      memo.criteria.fn_weight == criteria.fn_weight &&
      memo.criteria.fp_weight == criteria.fp_weight) {
    return memo.bands;
  }
  BandParams best, best_recall;
  double best_cost = INFINITY, best_p = -1.0, best_recall_cost = INFINITY;
  for (uint32_t r = 1; r <= num_perm; ++r) {
    for (uint32_t b = 1; b * r <= num_perm; ++b) {
      const BandParams p{b, r};
      const double fp =
          Integrate([&](double s) { return CandidateProbability(s, p); }, 0.0, threshold);
      const double fn =
          Integrate([&](double s) { return 1.0 - CandidateProbability(s, p); }, threshold, 1.0);
      const double cost = criteria.fn_weight * fn + criteria.fp_weight * fp;
      const double pt = CandidateProbability(threshold, p);
      if (pt >= criteria.min_recall_at_threshold && cost < best_cost) {
        best_cost = cost;
        best = p;
      }
      if (pt > best_p || (pt == best_p && cost < best_recall_cost)) {
        best_p = pt;
        best_recall_cost = cost;
        best_recall = p;
      }
    }
  }
  memo = {threshold, num_perm, criteria, best.bands > 0 ? best : best_recall};
  return memo.bands;
}

uint32_t BandKey(std::span<const uint32_t> sig, uint32_t band, uint32_t rows) {
  unsigned char bytes[4 * 64];
  uint64_t h = band;  // chained for bands wider than the buffer
  for (uint32_t done = 0; done < rows;) {
    const uint32_t n = std::min<uint32_t>(rows - done, 64);
    for (uint32_t i = 0; i < n; ++i) {
      const uint32_t v = sig[band * rows + done + i];
      for (int b = 0; b < 4; ++b) bytes[4 * i + b] = static_cast<unsigned char>(v >> (8 * b));
    }
    h = XXH3_64bits_withSeed(bytes, 4 * n, h);
    done += n;
  }
  return static_cast<uint32_t>(h);
}

std::vector<uint64_t> CandidatePairs(std::span<const uint32_t> keys, uint32_t bands,
                                     uint32_t max_bucket, int threads, uint64_t* capped_buckets,
                                     uint32_t first_new) {
  max_bucket = std::max<uint32_t>(max_bucket, 2);
  const uint32_t parts = std::clamp<uint32_t>(threads, 1, std::max<uint32_t>(bands, 1));
  std::vector<std::vector<uint64_t>> results(parts);
  std::vector<uint64_t> capped(parts, 0);
  std::vector<std::thread> pool;
  for (uint32_t p = 1; p < parts; ++p) {
    pool.emplace_back([&, p] {
      results[p] = BandsPart(keys, bands, max_bucket, first_new, p, parts, &capped[p]);
    });
  }
  if (bands > 0) results[0] = BandsPart(keys, bands, max_bucket, first_new, 0, parts, &capped[0]);
  for (std::thread& t : pool) t.join();
  std::vector<uint64_t> merged = std::move(results[0]);
  for (uint32_t p = 1; p < parts; ++p) {
    std::vector<uint64_t> next(merged.size() + results[p].size());
    next.erase(std::set_union(merged.begin(), merged.end(), results[p].begin(), results[p].end(),
                              next.begin()),
               next.end());
    merged.swap(next);
    std::vector<uint64_t>().swap(results[p]);
  }
  if (capped_buckets != nullptr) {
    *capped_buckets = 0;
    for (uint64_t c : capped) *capped_buckets += c;
  }
  return merged;
}

void RadixSort(std::vector<uint64_t>* v, int lo_bit, int hi_bit) {
  constexpr size_t kRadix = size_t{1} << kDigitBits;
  std::vector<uint64_t> tmp(v->size());
  std::vector<size_t> count(kRadix);
  for (int shift = lo_bit; shift < hi_bit; shift += kDigitBits) {
    const int width = std::min(kDigitBits, hi_bit - shift);
    const uint64_t mask = (uint64_t{1} << width) - 1;
    std::fill(count.begin(), count.end(), 0);
    for (uint64_t x : *v) ++count[(x >> shift) & mask];
    if (v->empty() || count[((*v)[0] >> shift) & mask] == v->size()) continue;  // one digit
    size_t sum = 0;
    for (size_t& c : count) sum += std::exchange(c, sum);
    for (uint64_t x : *v) tmp[count[(x >> shift) & mask]++] = x;
    v->swap(tmp);
  }
}

}  // namespace echotrace::neardup
