// Near-duplicate clusters over an in-memory corpus.
//
// FindNearDuplicates takes the texts of documents 0..n-1 (the caller's doc
// index is the position) and returns, for each document, the id of its
// cluster: the smallest document index in it. Two documents end in one
// cluster when a chain of verified pairs joins them; a pair is verified when
// its exact similarity (shingle.h: token-set Jaccard if either document is
// short, else 3-shingle Jaccard) is >= threshold, or when both have the same
// normalised-text hash. The steps:
//
//  1. Exact duplicates: documents with equal norm_hash (docs.norm_hash,
//     NormalizedHash) are joined; only the smallest index of each group goes
//     on (texts whose matching form is empty are never joined). Equal
//     64-bit hashes are trusted (a false match has probability
//     ~n²/2^65, about 2e-7 for 2.5 million documents).
//  2. Shingling (shingle.h) of the remaining documents, in parallel.
//  3. Identical sets: documents whose compared set is identical (same
//     regime, same set, checked element by element) have similarity 1 and
//     are joined; only the smallest index goes on. On tweets this removes
//     the copies that differ only by their t.co link before any MinHash.
//  4. MinHash (minhash.h, K = num_perm) of each remaining set, and band keys
//     (lsh.h) with (b, r) = ChooseBands(threshold, K). Two LSH indexes:
//     the token-set index holds the short documents plus the long ones
//     whose token set has at most floor((min_tokens_for_shingles - 1) / t)
//     members ("bridge" documents: only they can reach Jaccard >= t with a
//     short one, since J(A, B) <= |A| / |B|); the shingle index holds the
//     long documents.
//  5. Candidate pairs per index (lsh.h), buckets above max_bucket linked to
//     their first member.
//  6. Verification of every candidate against the exact sets (a pair of two
//     long documents met in the token-set index is left to the shingle
//     index, whose similarity rule applies to it), then union-find.
//
// Guarantees. Every join is justified: an equal norm_hash, equal sets, or a
// computed Jaccard >= threshold (never an estimate). A pair with similarity
// >= t is found directly with probability >= P(t) of the banding (0.992 at
// the defaults), except inside buckets larger than max_bucket where only
// pairs with the bucket's first member are tried; either way it usually
// still lands in one cluster through other verified pairs. Results are
// identical for every thread count.
//
// Memory, for n documents after exact deduplication with an average of s
// set elements: 8·s·n bytes of sets, 4·b·n bytes of band keys per index,
// 8 bytes per candidate pair plus 4 per pair for the verified similarity.
#ifndef ECHOTRACE_NEARDUP_NEARDUP_H_
#define ECHOTRACE_NEARDUP_NEARDUP_H_

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "echotrace/status.h"
#include "neardup/lsh.h"
#include "neardup/minhash.h"
#include "neardup/shingle.h"

namespace echotrace::neardup {

struct NearDupOptions {
  // Jaccard threshold in (0, 1].
  double threshold = 0.8;
  // MinHash values per set, 1..kMaxNumPerm.
  uint32_t num_perm = kDefaultNumPerm;
  uint64_t seed = kDefaultMinHashSeed;
  ShingleOptions shingle;
  BandCriteria band_criteria;
  // Buckets with more members are linked to their first member (lsh.h);
  // >= 2. The cost of a bucket is at most max_bucket²/2 verifications.
  uint32_t max_bucket = 256;
  // Worker threads; 0 means std::thread::hardware_concurrency().
  int threads = 0;
  // Keep the verified pairs in NearDupResult::pairs.
  bool collect_pairs = false;
};

// A verified LSH pair, a < b (document indices of representatives).
struct VerifiedPair {
  uint32_t a = 0;
  uint32_t b = 0;
  float jaccard = 0;
  uint8_t shingle_k = 0;  // 1: token sets, else the k-shingle sets
};

struct NearDupStats {
  uint64_t docs = 0;
  uint64_t exact_duplicates = 0;  // documents joined in step 1 (not their group's first)
  uint64_t identical_sets = 0;    // documents joined in step 3
  uint64_t empty_docs = 0;        // no eligible token: exact duplicates only
  uint64_t short_docs = 0;        // representatives in the token-set regime
  uint64_t long_docs = 0;         // representatives in the shingle regime
  uint64_t bridge_docs = 0;       // long representatives also in the token-set index
  BandParams bands;
  uint64_t candidate_pairs = 0;  // unique, over both indexes
  uint64_t capped_buckets = 0;
  uint64_t skipped_pairs = 0;   // two long documents met in the token-set index
  uint64_t size_filtered = 0;   // rejected by |A|/|B| < t without a merge
  uint64_t verified_pairs = 0;  // candidates with Jaccard >= threshold
  uint64_t clusters = 0;        // clusters with two or more documents
  uint64_t clustered_docs = 0;  // documents in those clusters
  // Wall-clock seconds per step.
  double seconds_exact = 0, seconds_shingle = 0, seconds_collapse = 0, seconds_minhash = 0,
         seconds_candidates = 0, seconds_verify = 0, seconds_union = 0;
};

struct NearDupResult {
  // Per document: the smallest document index of its cluster (itself when
  // it is alone).
  std::vector<uint32_t> cluster;
  // Per document: the representative it was joined to in step 1 or 3, so
  // equal to it (itself when it went on to MinHash).
  std::vector<uint32_t> representative;
  // When collect_pairs: the verified pairs, sorted by (a, b).
  std::vector<VerifiedPair> pairs;
  NearDupStats stats;
};

// InvalidArgument naming the option when `options` are unusable.
Status ValidateOptions(const NearDupOptions& options);

// Clusters the documents texts[0..n). norm_hashes is empty (then computed
// with NormalizedHash) or holds one value per text. Texts must be valid
// UTF-8 (ill-formed bytes are dropped, not an error) and must outlive the
// call; nothing is retained. Errors: InvalidArgument for bad options, a
// norm_hashes size that differs from texts, or n >= 2^32 - 1; Internal when
// memory runs out. Thread-safe (it only reads its arguments).
Result<NearDupResult> FindNearDuplicates(std::span<const std::string_view> texts,
                                         std::span<const uint64_t> norm_hashes,
                                         const NearDupOptions& options);

// The similarity rule of step 6 for two documents' shingles: token-set
// Jaccard if either is short, else k-shingle Jaccard; 0 if either has no
// eligible token. Reference for tests and callers re-checking a pair.
double PairSimilarity(const DocShingles& a, const DocShingles& b, const ShingleOptions& options);

}  // namespace echotrace::neardup

#endif  // ECHOTRACE_NEARDUP_NEARDUP_H_
