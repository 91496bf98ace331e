// Shingle extraction; the rules are in shingle.h.
#include "neardup/shingle.h"

#include <xxhash.h>

#include <algorithm>

#include "text/tokenizer.h"

namespace echotrace::neardup {
namespace {

constexpr uint32_t kMaxK = 16;

void SortUnique(std::vector<uint64_t>* v) {
  std::sort(v->begin(), v->end());
  v->erase(std::unique(v->begin(), v->end()), v->end());
}

}  // namespace

uint64_t TokenHash(std::string_view norm) {
  return XXH3_64bits_withSeed(norm.data(), norm.size(), 0);
}

uint64_t ShingleHash(std::span<const uint64_t> token_hashes) {
  // Written byte by byte so the persisted value does not depend on the
  // machine's endianness.
  unsigned char bytes[8 * kMaxK];
  const size_t k = std::min<size_t>(token_hashes.size(), kMaxK);
  for (size_t t = 0; t < k; ++t) {
    for (int b = 0; b < 8; ++b)
      bytes[8 * t + b] = static_cast<unsigned char>(token_hashes[t] >> (8 * b));
  }
  return XXH3_64bits_withSeed(bytes, 8 * k, k);
}

void EligibleTokenHashes(std::string_view text, bool keep_urls, std::vector<uint64_t>* out) {
  out->clear();
  const std::vector<Token> tokens = Tokenize(text);
  size_t urls = 0;
  for (const Token& t : tokens) {
    if (t.kind == TokenKind::kUrl && !keep_urls) {
      ++urls;
      continue;
    }
    out->push_back(TokenHash(t.norm));
  }
  if (out->empty() && urls > 0) {  // URLs only: they are all there is
    for (const Token& t : tokens) out->push_back(TokenHash(t.norm));
  }
}

std::vector<uint64_t> ShingleSet(std::span<const uint64_t> token_hashes, uint32_t k) {
  std::vector<uint64_t> set;
  if (k == 0 || token_hashes.size() < k) return set;
  set.reserve(token_hashes.size() - k + 1);
  for (size_t i = 0; i + k <= token_hashes.size(); ++i) {
    set.push_back(ShingleHash(token_hashes.subspan(i, k)));
  }
  SortUnique(&set);
  return set;
}

void ComputeShingles(std::string_view text, const ShingleOptions& options, DocShingles* out) {
  thread_local std::vector<uint64_t> hashes;
  EligibleTokenHashes(text, options.keep_urls, &hashes);
  out->num_tokens = static_cast<uint32_t>(hashes.size());
  out->tokens.clear();
  for (uint64_t h : hashes) out->tokens.push_back(ShingleHash({&h, 1}));
  SortUnique(&out->tokens);
  out->shingles.clear();
  if (!IsShort(out->num_tokens, options)) out->shingles = ShingleSet(hashes, options.k);
}

size_t IntersectionSize(std::span<const uint64_t> a, std::span<const uint64_t> b) {
  size_t i = 0, j = 0, common = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++common;
      ++i;
      ++j;
    }
  }
  return common;
}

double Jaccard(std::span<const uint64_t> a, std::span<const uint64_t> b) {
  if (a.empty() && b.empty()) return 0.0;
  const size_t common = IntersectionSize(a, b);
  return static_cast<double>(common) / static_cast<double>(a.size() + b.size() - common);
}

bool ValidShingleOptions(const ShingleOptions& options) {
  return options.k >= 1 && options.k <= kMaxK && options.min_tokens_for_shingles >= options.k;
}

}  // namespace echotrace::neardup
