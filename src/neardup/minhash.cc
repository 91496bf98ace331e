// MinHash kernel and the signature byte format; see minhash.h.
//
// The kernel keeps a block of 32 running minima and streams the set through
// it, so the inner loop has a constant trip count and no dependence between
// lanes: GCC vectorises it at -O2. target_clones builds an AVX2 copy beside
// the baseline one and picks at load time, so the binary still runs on CPUs
// without AVX2.
#include "neardup/minhash.h"

#include <algorithm>
#include <cstring>

namespace echotrace::neardup {
namespace {

constexpr uint32_t kBlock = 32;

uint64_t SplitMix64(uint64_t* state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define ET_MINHASH_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define ET_MINHASH_CLONES
#endif

ET_MINHASH_CLONES
void MinBlock(const uint64_t* set, size_t n, const uint64_t* a, const uint64_t* b, uint32_t* out) {
  uint32_t acc[kBlock];
  for (uint32_t i = 0; i < kBlock; ++i) acc[i] = kEmptyValue;
  for (size_t e = 0; e < n; ++e) {
    const uint64_t x = set[e];
    for (uint32_t i = 0; i < kBlock; ++i) {
      const uint32_t h = static_cast<uint32_t>((a[i] * x + b[i]) >> 32);
      acc[i] = acc[i] < h ? acc[i] : h;
    }
  }
  std::memcpy(out, acc, sizeof(acc));
}

void PutLe(uint64_t v, int bytes, std::string* out) {
  for (int i = 0; i < bytes; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

uint64_t GetLe(std::string_view s, size_t pos, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v |= uint64_t{static_cast<unsigned char>(s[pos + i])} << (8 * i);
  return v;
}

}  // namespace

MinHasher::MinHasher(uint32_t num_perm, uint64_t seed)
    : num_perm_(std::clamp<uint32_t>(num_perm, 1, kMaxNumPerm)), seed_(seed) {
  padded_ = (num_perm_ + kBlock - 1) / kBlock * kBlock;
  a_.resize(padded_);
  b_.resize(padded_);
  uint64_t state = seed;
  for (uint32_t i = 0; i < num_perm_; ++i) {
    a_[i] = SplitMix64(&state) | 1;
    b_[i] = SplitMix64(&state);
  }
  // Padding lanes get harmless parameters; their minima are discarded.
  for (uint32_t i = num_perm_; i < padded_; ++i) a_[i] = 1;
}

void MinHasher::Sign(std::span<const uint64_t> set, uint32_t* out) const {
  uint32_t block[kBlock];
  for (uint32_t base = 0; base < padded_; base += kBlock) {
    MinBlock(set.data(), set.size(), a_.data() + base, b_.data() + base, block);
    const uint32_t take = std::min(kBlock, num_perm_ - base);
    std::memcpy(out + base, block, take * sizeof(uint32_t));
  }
}

std::vector<uint32_t> MinHasher::Sign(std::span<const uint64_t> set) const {
  std::vector<uint32_t> out(num_perm_);
  Sign(set, out.data());
  return out;
}

double EstimateJaccard(std::span<const uint32_t> a, std::span<const uint32_t> b) {
  const size_t n = std::min(a.size(), b.size());
  if (n == 0) return 0.0;
  size_t equal = 0;
  for (size_t i = 0; i < n; ++i) equal += a[i] == b[i];
  return static_cast<double>(equal) / static_cast<double>(n);
}

std::string EncodeSignature(const Signature& sig) {
  std::string out = "ETMH";
  out.push_back(1);
  out.push_back(static_cast<char>(sig.shingle_k & 0xFF));
  PutLe(sig.values.size(), 2, &out);
  PutLe(sig.seed, 8, &out);
  for (uint32_t v : sig.values) PutLe(v, 4, &out);
  return out;
}

Result<Signature> DecodeSignature(std::string_view bytes) {
  constexpr size_t kHeader = 16;
  if (bytes.size() < kHeader || bytes.substr(0, 4) != "ETMH") {
    return Status::Corruption("MinHash signature: missing the \"ETMH\" header");
  }
  if (bytes[4] != 1) {
    return Status::Corruption("MinHash signature: unknown format version " +
                              std::to_string(static_cast<unsigned char>(bytes[4])) +
                              " (this build reads version 1)");
  }
  Signature sig;
  sig.shingle_k = static_cast<unsigned char>(bytes[5]);
  const size_t count = GetLe(bytes, 6, 2);
  sig.seed = GetLe(bytes, 8, 8);
  if (bytes.size() != kHeader + 4 * count) {
    return Status::Corruption("MinHash signature: " + std::to_string(bytes.size()) +
                              " bytes, expected " + std::to_string(kHeader + 4 * count) + " for " +
                              std::to_string(count) + " values");
  }
  sig.values.resize(count);
  for (size_t i = 0; i < count; ++i)
    sig.values[i] = static_cast<uint32_t>(GetLe(bytes, kHeader + 4 * i, 4));
  return sig;
}

}  // namespace echotrace::neardup
