// Anchors for passage reuse: word n-grams two documents share, and their
// grouping into diagonal chains (runs of consecutive shared n-grams) so that
// each chain seeds one extension instead of every n-gram seeding its own.
//
// Which n-grams may anchor at all (rare in the corpus, not boilerplate) is
// the corpus-level document-frequency filter's decision; it plugs in here
// as an NgramFilter. Pure functions, thread-safe.
#ifndef ECHOTRACE_REUSE_ANCHORS_H_
#define ECHOTRACE_REUSE_ANCHORS_H_

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "echotrace/status.h"
#include "reuse/aligner.h"

namespace echotrace::reuse {

// Hash of the n-gram tokens[0, n): XXH3-64, seed n, of the n token ids as
// consecutive 8-byte little-endian integers (the shingle hash of the
// near-duplicate detector, so one corpus table can serve both). A contract
// once the corpus document-frequency table keys on it (docs/algorithms.md).
uint64_t NgramHash(std::span<const TokenId> ngram);

// NgramHash of every window tokens[i, i + n), i = 0 .. size - n; empty when
// size < n or n == 0.
std::vector<uint64_t> NgramHashes(std::span<const TokenId> tokens, uint32_t n);

// Whether an n-gram (by NgramHash) may anchor. Called once per distinct
// n-gram shared by the two documents; must be thread-safe if FindAnchors is
// called from several threads.
using NgramFilter = std::function<bool(uint64_t ngram_hash)>;

struct AnchorParams {
  // n-gram order. 5 words, as passim: long enough that chance shared
  // 5-grams between unrelated texts are few (and those that remain, such
  // as "in the united states of", are what the DF filter removes), short
  // enough that a lightly edited sentence still has an unedited 5-gram.
  uint32_t n = 5;
  // An n-gram occurring more often than this in either document does not
  // anchor: repeated boilerplate ("share this article") would otherwise
  // yield occurrences(A) x occurrences(B) anchors.
  uint32_t max_occurrences = 16;
};

// A shared n-gram: A[a_pos, a_pos + n) == B[b_pos, b_pos + n) token for
// token (hash collisions are checked away).
struct Anchor {
  uint32_t a_pos = 0;
  uint32_t b_pos = 0;
  int64_t diagonal() const { return int64_t{b_pos} - int64_t{a_pos}; }
  bool operator==(const Anchor&) const = default;
};

// All shared n-grams allowed by `allowed` (every one when it is empty),
// sorted by (diagonal, a_pos). InvalidArgument when n == 0 or either side
// has 2^32 or more tokens. Cost O((|A| + |B|) log(|A| + |B|) + anchors).
Result<std::vector<Anchor>> FindAnchors(std::span<const TokenId> a, std::span<const TokenId> b,
                                        const AnchorParams& params = {},
                                        const NgramFilter& allowed = {});

// A maximal run of anchors on one diagonal whose n-grams overlap or touch:
// an exact match A[a_pos, a_pos + length) == B[b_pos, b_pos + length).
struct AnchorChain {
  uint32_t a_pos = 0;
  uint32_t b_pos = 0;
  uint32_t length = 0;   // tokens
  uint32_t anchors = 0;  // n-grams in the run
  bool operator==(const AnchorChain&) const = default;
};

// Chains of `anchors` (sorted as FindAnchors returns them; n as used to
// find them), in the same (diagonal, a_pos) order.
std::vector<AnchorChain> ChainAnchors(const std::vector<Anchor>& anchors, uint32_t n);

}  // namespace echotrace::reuse

#endif  // ECHOTRACE_REUSE_ANCHORS_H_
