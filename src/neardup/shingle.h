// Shingles: the sets near-duplicate detection compares.
//
// A document becomes a sequence of *eligible tokens* and then one or two
// sets of 64-bit hashes. This is a persisted contract (signatures stored in
// the store are MinHashes of these sets): changing any rule below changes
// every stored signature and must bump kShingleFormatVersion.
//
//  1. Tokens: echotrace::Tokenize(text) (text/tokenizer.h), each token's
//     `norm` (NFKC + case fold; URLs normalised; "@name", "#tag").
//     Punctuation never becomes a token.
//  2. Eligible tokens: every token except URLs (TokenKind::kUrl). Reason: on
//     Twitter every link is wrapped in a t.co short link whose path is a
//     random code, different on every post of the same link, so the URL
//     makes identical copies look different; and outside Twitter a post that
//     differs from another only by its link is still the same talking point.
//     When a document consists of URLs only, its URLs are eligible (it would
//     otherwise have no set at all). ShingleOptions::keep_urls keeps them
//     always. Mentions, hashtags, numbers, CJK and emoji tokens are eligible.
//  3. Token hash: XXH3-64 (xxHash 0.8, XXH3_64bits_withSeed) of the bytes of
//     `norm`, seed 0.
//  4. A k-shingle is k consecutive eligible tokens (removed URLs do not
//     break a window). Its hash is XXH3-64 with seed k of the 8·k bytes of
//     the k token hashes, each written little-endian, in text order. A
//     1-shingle is therefore XXH3-64(seed 1) of one token hash's 8 bytes.
//  5. Sets are sorted ascending and unique (a set, not a multiset).
//
// Two regimes. A document with n eligible tokens is *short* when
// n < min_tokens_for_shingles (default 11) and is compared by its token set
// (k = 1); a *long* document is compared by its k-shingle set (k = 3).
// The similarity of a pair is the Jaccard index of the token sets when at
// least one of the two is short, else of the k-shingle sets. Why 11: a word
// replaced in the middle of a text of n tokens changes k of its n-k+1
// shingles, leaving (n-2k+1)/(n+1) = (n-5)/(n+1) for k = 3; below n = 11
// that is under 0.5, so one edited word makes a short post look unrelated,
// whereas its token set keeps (n-1)/(n+1). A 6-word tweet has only four
// 3-shingles; as a token set it still scores 5/7 = 0.71 after one word is
// replaced and 6/7 = 0.86 after one is added or removed.
#ifndef ECHOTRACE_NEARDUP_SHINGLE_H_
#define ECHOTRACE_NEARDUP_SHINGLE_H_

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace echotrace::neardup {

// Version of the rules above; stored beside persisted signatures.
inline constexpr uint32_t kShingleFormatVersion = 1;

struct ShingleOptions {
  // Tokens per shingle for long documents, 1..16.
  uint32_t k = 3;
  // Documents with fewer eligible tokens than this compare as token sets.
  // Must be >= k (a long document needs at least one k-shingle).
  uint32_t min_tokens_for_shingles = 11;
  // Keep URL tokens even when the document has other tokens.
  bool keep_urls = false;
};

// The sets of one document. Buffers are reused by ComputeShingles.
struct DocShingles {
  // Eligible tokens, counting repeats; decides the regime.
  uint32_t num_tokens = 0;
  // Sorted unique 1-shingle hashes; filled for every document.
  std::vector<uint64_t> tokens;
  // Sorted unique k-shingle hashes; filled only for long documents.
  std::vector<uint64_t> shingles;
};

// True when a document with `num_tokens` eligible tokens is short.
inline bool IsShort(uint32_t num_tokens, const ShingleOptions& options) {
  return num_tokens < options.min_tokens_for_shingles;
}

// Hash of one token's matching form (rule 3).
uint64_t TokenHash(std::string_view norm);

// Hash of the k-shingle made of `token_hashes` (rule 4; k = size).
uint64_t ShingleHash(std::span<const uint64_t> token_hashes);

// Fills *out (cleared first) with the eligible token hashes of `text` in
// text order. `text` must be valid UTF-8 (see SanitizeUtf8); ill-formed
// bytes are dropped like punctuation, never a crash. Thread-safe.
void EligibleTokenHashes(std::string_view text, bool keep_urls, std::vector<uint64_t>* out);

// Computes both sets of `text` into *out, reusing its buffers. Options must
// be valid (ValidateShingleOptions). Thread-safe for distinct *out.
void ComputeShingles(std::string_view text, const ShingleOptions& options, DocShingles* out);

// From eligible token hashes in text order: the sorted unique k-shingle set
// (empty when there are fewer than k tokens).
std::vector<uint64_t> ShingleSet(std::span<const uint64_t> token_hashes, uint32_t k);

// Exact Jaccard index |A∩B| / |A∪B| of two sorted unique sets; 0 when both
// are empty.
double Jaccard(std::span<const uint64_t> a, std::span<const uint64_t> b);

// Size of the intersection of two sorted unique sets.
size_t IntersectionSize(std::span<const uint64_t> a, std::span<const uint64_t> b);

// True when the options are usable: 1 <= k <= 16, min_tokens_for_shingles
// >= k.
bool ValidShingleOptions(const ShingleOptions& options);

}  // namespace echotrace::neardup

#endif  // ECHOTRACE_NEARDUP_SHINGLE_H_
