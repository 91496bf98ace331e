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
//  5. Candidate pairs per index (lsh.h): within a bucket, a pair (i, j),
//     i < j, is tried iff i is among the bucket's first max_bucket members.
//  6. Verification of every candidate against the exact sets (a pair of two
//     long documents met in the token-set index is left to the shingle
//     index, whose similarity rule applies to it), then union-find.
//
// Guarantees. Every join is justified: an equal norm_hash, equal sets, or a
// computed Jaccard >= threshold (never an estimate). A pair with similarity
// >= t is found directly with probability >= P(t) of the banding (0.992 at
// the defaults), except inside buckets larger than max_bucket where only
// pairs with one of the bucket's first max_bucket members are tried; either
// way it usually still lands in one cluster through other verified pairs.
// Results are identical for every thread count.
//
// Incremental. Every step is monotone in the document order: appending
// documents with higher indices never changes the representative of an
// earlier document (steps 1 and 3 keep the smallest index), its regime,
// sets or band keys, nor which pairs of earlier documents are tried (the
// bucket rule of step 5) or how they verify. So the joins of a run over
// documents 0..n-1 are exactly the joins of a run over 0..m-1 plus the joins
// that involve at least one document >= m, and ExtendNearDuplicates, given
// the earlier run's clusters and its LSH index (NearDupResult::index),
// computes only the latter and returns the clusters a full run over 0..n-1
// returns. Cluster names follow: a cluster keeps its smallest member, so
// when a new document joins two earlier clusters the merged one keeps the
// smaller name and the other name is retired.
//
// Memory, for n documents after exact deduplication with an average of s
// set elements: 8·s·n bytes of sets, 4·b·n bytes of band keys per index,
// 8 bytes per candidate pair plus 4 per pair for the verified similarity;
// with collect_index, the band keys are kept (4·b bytes per entry and
// index) plus 13 bytes per entry.
#ifndef ECHOTRACE_NEARDUP_NEARDUP_H_
#define ECHOTRACE_NEARDUP_NEARDUP_H_

#include <cstdint>
#include <functional>
#include <span>
#include <string>
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
  // Pairs of a bucket are tried only with its first max_bucket members
  // (lsh.h); >= 2. A bucket of m > max_bucket members costs about
  // max_bucket·m verifications.
  uint32_t max_bucket = 256;
  // Worker threads; 0 means std::thread::hardware_concurrency().
  int threads = 0;
  // Keep the verified pairs in NearDupResult::pairs.
  bool collect_pairs = false;
  // Fill NearDupResult::index (what ExtendNearDuplicates needs later).
  bool collect_index = false;
};

// The LSH index of a run: one entry per document that reached MinHash (a
// representative after steps 1 and 3 with at least one eligible token), in
// ascending document order, with what a later incremental run compares new
// documents against: the regime, the hash of the compared set (step 3) and
// the band keys (step 5). About 80 bytes per entry at the defaults.
struct LshIndex {
  enum Kind : uint8_t {
    kShort = 0,   // token-set index only
    kLong = 1,    // shingle index only
    kBridge = 2,  // long, and in the token-set index too
  };
  static bool InTokenIndex(uint8_t kind) { return kind != kLong; }
  static bool InShingleIndex(uint8_t kind) { return kind != kShort; }

  std::vector<uint32_t> doc;
  std::vector<uint8_t> kind;
  // XXH3-64 of the compared set as little-endian words: the token set when
  // short, else the k-shingle set.
  std::vector<uint64_t> set_hash;
  // Band keys, `bands` per entry, of the entries in the token-set index (in
  // entry order), and of the entries in the shingle index.
  std::vector<uint32_t> token_keys;
  std::vector<uint32_t> shingle_keys;
  uint32_t bands = 0;

  size_t size() const { return doc.size(); }
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
  // When collect_pairs: the verified pairs, sorted by (a, b). From
  // ExtendNearDuplicates only the new ones (b >= num_old).
  std::vector<VerifiedPair> pairs;
  // When collect_index: the run's LSH index; from ExtendNearDuplicates only
  // the entries of new documents.
  LshIndex index;
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

// What an incremental run needs of the run it extends, which covered
// documents [0, num_old) with the same options.
struct PriorRun {
  uint32_t num_old = 0;
  // Per earlier document: the cluster (smallest member) and representative
  // that run returned.
  std::span<const uint32_t> cluster;
  std::span<const uint32_t> representative;
  // Its LSH index (collect_index), entries < num_old.
  const LshIndex* index = nullptr;
};

// Fetches the texts of earlier documents `docs` (ascending, unique, each <
// num_old) into *texts, one per document in the same order. Called from
// the thread that called ExtendNearDuplicates only (twice: identical-set
// candidates, then LSH candidates), so it may use a database handle. Errors
// are passed on by ExtendNearDuplicates.
using FetchTexts =
    std::function<Status(std::span<const uint32_t> docs, std::vector<std::string>* texts)>;

// Extends `prior` to documents [0, n), n = texts.size(): returns what
// FindNearDuplicates(texts, norm_hashes, options) returns (cluster and
// representative of every document) while reading only the new texts
// [num_old, n) plus, through `fetch`, the earlier ones a new document must
// be compared with (identical-set candidates and LSH candidates). texts[d]
// for d < num_old is never read. `pairs` and `index` hold only what is new;
// stats count the new documents' work (docs = n - num_old; clusters and
// clustered_docs are totals). Preconditions the caller checks: `options`
// (but threads and collect_*) equal the prior run's, and `prior` is that
// run's output. Errors: InvalidArgument for bad options, sizes that do not
// agree (norm_hashes is required here), or index entries out of range;
// fetch's errors; Internal when memory runs out.
Result<NearDupResult> ExtendNearDuplicates(std::span<const std::string_view> texts,
                                           std::span<const uint64_t> norm_hashes,
                                           const PriorRun& prior, const FetchTexts& fetch,
                                           const NearDupOptions& options);

// The similarity rule of step 6 for two documents' shingles: token-set
// Jaccard if either is short, else k-shingle Jaccard; 0 if either has no
// eligible token. Reference for tests and callers re-checking a pair.
double PairSimilarity(const DocShingles& a, const DocShingles& b, const ShingleOptions& options);

}  // namespace echotrace::neardup

#endif  // ECHOTRACE_NEARDUP_NEARDUP_H_
