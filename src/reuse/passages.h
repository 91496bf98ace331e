// Passages two documents share: anchors (anchors.h) extended by banded
// X-drop alignment (aligner.h), merged and measured. This is the per-pair
// core of the reuse detector; choosing candidate pairs (documents sharing
// at least k rare anchors) and clustering passages across the corpus happen
// around it. Pure functions, thread-safe.
#ifndef ECHOTRACE_REUSE_PASSAGES_H_
#define ECHOTRACE_REUSE_PASSAGES_H_

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "echotrace/status.h"
#include "reuse/aligner.h"
#include "reuse/anchors.h"
#include "text/tokenizer.h"

namespace echotrace::reuse {

// The id a token is aligned by: XXH3-64 (seed 0) of Token::norm, so tokens
// equal in matching form (case, NFKC) are equal.
TokenId TokenIdOf(std::string_view norm);
std::vector<TokenId> TokenIds(const std::vector<Token>& tokens);

struct PassageParams {
  AnchorParams anchors;
  ExtendParams extend;
  // Shortest passage reported, in tokens, on the shorter of its two sides.
  // 10 words is a distinctive sentence; a chance-shared phrase around a
  // common 5-gram ("... in the united states of america ...") is shorter.
  uint32_t min_tokens = 10;
  // Two alignments of the same pair that overlap, or leave a hole of at
  // most this many tokens in both documents, are one passage; the hole
  // becomes a changed block. 16 tokens is about a sentence, the size of
  // edit an extension gives up on (X-drop) or drifts out of its band for.
  uint32_t max_merge_gap = 16;
};

// OK, or InvalidArgument naming the bad parameter.
Status ValidatePassageParams(const PassageParams& p);

// One passage found in both documents.
struct PassagePair {
  // Token spans, score and the column-by-column edit ops (aligner.h).
  Alignment alignment;
  // Half-open byte offsets into each original text: from the start of the
  // first aligned token to the end of the last. Zero when found from token
  // ids alone (the span overload of FindPassages).
  uint32_t a_start = 0;
  uint32_t a_end = 0;
  uint32_t b_start = 0;
  uint32_t b_end = 0;
  uint32_t matches = 0;  // kMatch columns
  // matches / columns (all ops, gaps included), in (0, 1].
  double identity = 0;
  // Tokens of the passage on the shorter document's side / tokens of the
  // shorter document, in (0, 1]: 1 for a post that is wholly a quote.
  double containment = 0;
};

// Passages shared by token sequences A and B, ordered by (a_begin, b_begin).
// Each anchor chain (longest first) is extended unless it lies inside a
// passage already found; overlapping or nearly adjacent results are merged;
// passages shorter than min_tokens are dropped. A passage of A repeated in
// B is reported once per repetition. `allowed` filters anchor n-grams (all
// allowed when empty). Byte offsets are left 0. InvalidArgument on bad
// parameters or sequences of 2^32 tokens or more.
Result<std::vector<PassagePair>> FindPassages(std::span<const TokenId> a,
                                              std::span<const TokenId> b,
                                              const PassageParams& params = {},
                                              const NgramFilter& allowed = {});

// The same on tokenised documents (Tokenize of each stored text), with the
// byte offsets filled in.
Result<std::vector<PassagePair>> FindPassages(const std::vector<Token>& a,
                                              const std::vector<Token>& b,
                                              const PassageParams& params = {},
                                              const NgramFilter& allowed = {});

}  // namespace echotrace::reuse

#endif  // ECHOTRACE_REUSE_PASSAGES_H_
