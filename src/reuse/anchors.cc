// Shared n-grams by sort-merge: A's (hash, position) list is sorted, B's
// n-grams are looked up in it and the few shared ones sorted too, then the
// two lists are walked together, so memory is linear and there is no hash
// table to size; equal hashes are then checked token by token, so a 64-bit
// collision can never produce a seed whose tokens differ (ExtendSeed
// rejects those).
#include "reuse/anchors.h"

#include <xxhash.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>
#include <utility>

namespace echotrace::reuse {
namespace {

struct Gram {
  uint64_t hash;
  uint32_t pos;
  bool operator<(const Gram& o) const { return hash != o.hash ? hash < o.hash : pos < o.pos; }
};

std::vector<Gram> SortedGrams(std::span<const TokenId> tokens, uint32_t n) {
  const std::vector<uint64_t> hashes = NgramHashes(tokens, n);
  std::vector<Gram> grams(hashes.size());
  for (size_t i = 0; i < hashes.size(); ++i) grams[i] = {hashes[i], static_cast<uint32_t>(i)};
  std::sort(grams.begin(), grams.end());
  return grams;
}

// The grams of `tokens` whose hash is among `sorted` (sorted by hash),
// sorted. Shared n-grams are few, so this sorts a short list instead of the
// whole document.
std::vector<Gram> SharedGrams(std::span<const TokenId> tokens, uint32_t n,
                              const std::vector<Gram>& sorted) {
  const std::vector<uint64_t> hashes = NgramHashes(tokens, n);
  std::vector<Gram> out;
  for (size_t i = 0; i < hashes.size(); ++i) {
    const auto it = std::lower_bound(sorted.begin(), sorted.end(), hashes[i],
                                     [](const Gram& g, uint64_t h) { return g.hash < h; });
    if (it != sorted.end() && it->hash == hashes[i]) {
      out.push_back({hashes[i], static_cast<uint32_t>(i)});
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// End of the run of equal hashes starting at i.
size_t RunEnd(const std::vector<Gram>& g, size_t i) {
  size_t j = i;
  while (j < g.size() && g[j].hash == g[i].hash) ++j;
  return j;
}

}  // namespace

uint64_t NgramHash(std::span<const TokenId> ngram) {
  if constexpr (std::endian::native == std::endian::little) {
    return XXH3_64bits_withSeed(ngram.data(), ngram.size() * sizeof(TokenId), ngram.size());
  }
  // Serialise explicitly so the hash does not depend on host byte order.
  constexpr size_t kInline = 32;  // n-grams up to this order hash without allocating
  unsigned char inline_bytes[kInline * 8] = {};
  std::vector<unsigned char> heap;
  unsigned char* bytes = inline_bytes;
  if (ngram.size() > kInline) {
    heap.resize(ngram.size() * 8);
    bytes = heap.data();
  }
  for (size_t i = 0; i < ngram.size(); ++i) {
    for (int k = 0; k < 8; ++k) bytes[i * 8 + k] = static_cast<unsigned char>(ngram[i] >> (8 * k));
  }
  return XXH3_64bits_withSeed(bytes, ngram.size() * 8, ngram.size());
}

std::vector<uint64_t> NgramHashes(std::span<const TokenId> tokens, uint32_t n) {
  std::vector<uint64_t> out;
  if (n == 0 || tokens.size() < n) return out;
  out.reserve(tokens.size() - n + 1);
  for (size_t i = 0; i + n <= tokens.size(); ++i) out.push_back(NgramHash(tokens.subspan(i, n)));
  return out;
}

Result<std::vector<Anchor>> FindAnchors(std::span<const TokenId> a, std::span<const TokenId> b,
                                        const AnchorParams& params, const NgramFilter& allowed) {
  if (params.n == 0) return Status::InvalidArgument("reuse anchors: n must be > 0");
  constexpr size_t kMax = std::numeric_limits<uint32_t>::max();
  if (a.size() >= kMax || b.size() >= kMax) {
    return Status::InvalidArgument("reuse anchors: a document has 2^32 or more tokens");
  }
  const uint32_t n = params.n;
  const std::vector<Gram> ga = SortedGrams(a, n), gb = SharedGrams(b, n, ga);
  std::vector<Anchor> out;
  size_t i = 0, j = 0;
  while (i < ga.size() && j < gb.size()) {
    if (ga[i].hash != gb[j].hash) {
      (ga[i].hash < gb[j].hash ? i : j)++;
      continue;
    }
    const size_t i_end = RunEnd(ga, i), j_end = RunEnd(gb, j);
    const bool frequent = i_end - i > params.max_occurrences || j_end - j > params.max_occurrences;
    if (!frequent && (!allowed || allowed(ga[i].hash))) {
      for (size_t x = i; x < i_end; ++x) {
        for (size_t y = j; y < j_end; ++y) {
          const uint32_t pa = ga[x].pos, pb = gb[y].pos;
          if (std::equal(a.begin() + pa, a.begin() + pa + n, b.begin() + pb)) {
            out.push_back({pa, pb});
          }
        }
      }
    }
    i = i_end, j = j_end;
  }
  std::sort(out.begin(), out.end(), [](const Anchor& x, const Anchor& y) {
    return x.diagonal() != y.diagonal() ? x.diagonal() < y.diagonal() : x.a_pos < y.a_pos;
  });
  return out;
}

std::vector<AnchorChain> ChainAnchors(const std::vector<Anchor>& anchors, uint32_t n) {
  std::vector<AnchorChain> out;
  int64_t diag = 0;
  for (const Anchor& an : anchors) {
    if (!out.empty() && an.diagonal() == diag) {
      AnchorChain& c = out.back();
      // Overlapping or touching n-grams on one diagonal are one exact run.
      if (an.a_pos <= c.a_pos + c.length) {
        c.length = std::max(c.length, an.a_pos + n - c.a_pos);
        ++c.anchors;
        continue;
      }
    }
    out.push_back({an.a_pos, an.b_pos, n, 1});
    diag = an.diagonal();
  }
  return out;
}

}  // namespace echotrace::reuse
