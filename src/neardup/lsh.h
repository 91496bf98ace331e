// Locality-sensitive hashing by banding (Leskovec, Rajaraman, Ullman,
// "Mining of Massive Datasets", 3rd ed., ch. 3.4): a signature of K values
// is cut into b bands of r rows; two documents become a candidate pair when
// all r rows of at least one band agree. For Jaccard s the probability is
//
//   P(s) = 1 - (1 - s^r)^b,
//
// an S-curve whose steep part sits near (1/b)^(1/r).
//
// Band choice (ChooseBands). Every candidate is verified against the exact
// sets afterwards, so a false positive costs one merge of two short sorted
// vectors, while a false negative is a near-duplicate lost for good. We
// therefore first require P(t) >= min_recall_at_threshold (default 0.99:
// even a pair exactly at the threshold is found 99% of the time, and pairs
// above it more often) and among the (b, r) with b·r <= K that meet it
// minimise
//
//   fn_weight · ∫_t^1 (1 - P(s)) ds  +  fp_weight · ∫_0^t P(s) ds
//
// (midpoint rule, 1000 steps). When no (b, r) meets the recall floor (large
// t with small K), the one with the highest P(t) is taken. For t = 0.8 and
// K = 128 this gives b = 16, r = 6: P(0.8) = 0.9923, P(0.85) = 0.9995,
// P(0.5) = 0.22, P(0.3) = 0.012. (datasketch's default, equal weights and no
// floor, takes b = 9, r = 13 with P(0.8) = 0.40.)
//
// Candidate generation (CandidatePairs) is sort-based: per band, the
// (band key, doc) entries are radix-sorted and each run of equal keys is a
// bucket, its members in ascending index order. A pair (i, j), i < j, of a
// bucket is a candidate iff i is among the first max_bucket members of the
// bucket. A bucket of m <= max_bucket documents therefore yields all its
// m(m-1)/2 pairs; a larger one (thousands of near-identical posts) yields
// max_bucket·m - max_bucket(max_bucket+1)/2 pairs: every member is tried
// against the first max_bucket. The rule is monotone: documents appended
// with higher indices never change which pairs of earlier documents are
// tried, which is what lets an incremental run (neardup.h,
// ExtendNearDuplicates) try only the pairs involving a new document and
// still equal a full rebuild. What is given up inside an oversized bucket is
// the pair guarantee between two members that both rank after max_bucket
// (found only if another band pairs them, or through a chain in the
// clustering, which is the usual case: members of one bucket are mostly
// near-duplicates of the first ones).
#ifndef ECHOTRACE_NEARDUP_LSH_H_
#define ECHOTRACE_NEARDUP_LSH_H_

#include <cstdint>
#include <span>
#include <vector>

namespace echotrace::neardup {

struct BandParams {
  uint32_t bands = 0;
  uint32_t rows = 0;
  bool operator==(const BandParams&) const = default;
};

struct BandCriteria {
  double min_recall_at_threshold = 0.99;
  double fn_weight = 0.9;
  double fp_weight = 0.1;
};

// P(s) for the banding `p` (see above).
double CandidateProbability(double s, BandParams p);

// The (b, r) described above for Jaccard threshold t in (0, 1] and K >= 1
// values. Deterministic; pure.
BandParams ChooseBands(double threshold, uint32_t num_perm, const BandCriteria& criteria = {});

// Band key of band `band` of a signature: the low 32 bits of XXH3-64, seed
// `band`, of rows [band·r, band·r + r) written as little-endian uint32.
// 32 bits suffice: an accidental collision only adds a candidate that
// verification rejects. Precondition: (band + 1)·r <= sig.size().
uint32_t BandKey(std::span<const uint32_t> sig, uint32_t band, uint32_t rows);

// Candidate pairs from band keys. keys[d * bands + β] is document d's key
// for band β (d < num_docs, num_docs < 2^32). Pairs (i, j) with i < j are
// encoded as (uint64(i) << 32) | j, returned sorted and unique: the pairs of
// the rule above (max_bucket >= 2) with j >= first_new (0: all; an
// incremental run passes the index of its first new document).
// *capped_buckets, if not null, receives how many buckets (band, key) that
// hold a pair with j >= first_new had more than max_bucket members. Uses up
// to `threads` threads; the result does not depend on it.
std::vector<uint64_t> CandidatePairs(std::span<const uint32_t> keys, uint32_t bands,
                                     uint32_t max_bucket, int threads,
                                     uint64_t* capped_buckets = nullptr, uint32_t first_new = 0);

// Stable LSD radix sort of `v` by the bits [lo_bit, hi_bit) of each value
// (0 <= lo_bit < hi_bit <= 64); bits outside do not take part, so values
// equal there keep their order. Passes whose digit is the same for every
// value are skipped.
void RadixSort(std::vector<uint64_t>* v, int lo_bit, int hi_bit);

}  // namespace echotrace::neardup

#endif  // ECHOTRACE_NEARDUP_LSH_H_
