// MinHash signatures (Broder, "On the resemblance and containment of
// documents", 1997): for K hash functions h_1..h_K, the signature of a set S
// is (min_{x∈S} h_i(x))_i, and for two sets the probability that component i
// agrees is their Jaccard index, so the fraction of agreeing components
// estimates it with standard error sqrt(J(1-J)/K).
//
// "One fast hash plus cheap permutations": set elements are already 64-bit
// XXH3 hashes (shingle.h), uniformly distributed, so each h_i only has to
// remix them; we use multiply-add-shift (Dietzfelbinger et al. 1997):
//
//   h_i(x) = ((a_i · x + b_i) mod 2^64) >> 32        (a 32-bit value)
//
// with a_i odd. One 64-bit multiply and add per (element, i); the loop over i
// is a fixed-size structure-of-arrays loop the compiler vectorises (AVX2
// when the CPU has it, chosen at run time; plain SSE2 otherwise). The
// Mersenne-prime family (a·x+b mod 2^61-1) would need 128-bit products,
// which no x86 vector unit has. minhash_test.cc checks that estimates agree
// with exact Jaccard as closely as the binomial theory says.
//
// Parameters (a_i, b_i) come from SplitMix64 (Steele, Lea, Flood 2014)
// started at `seed`: state += 0x9E3779B97F4A7C15; z = state;
// z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9; z = (z ^ (z >> 27)) *
// 0x94D049BB133111EB; z ^= z >> 31. For i = 0..K-1 in order, a_i = next | 1,
// then b_i = next. Default seed kDefaultMinHashSeed.
//
// Values are uint32: a false agreement of two different minima costs 2^-32
// in the estimate, while uint32 halves memory and doubles vector lanes. The
// signature of the empty set is all 0xFFFFFFFF (kEmptyValue); empty sets are
// never compared.
//
// Persisted form (EncodeSignature), all integers little-endian:
//   bytes 0..3   magic "ETMH"
//   byte  4      format version, 1 (this hash family and seed expansion)
//   byte  5      shingle size k of the set (1 = token set), see shingle.h
//   bytes 6..7   K, number of values (uint16)
//   bytes 8..15  seed (uint64)
//   then K uint32 values.
#ifndef ECHOTRACE_NEARDUP_MINHASH_H_
#define ECHOTRACE_NEARDUP_MINHASH_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "echotrace/status.h"

namespace echotrace::neardup {

inline constexpr uint32_t kDefaultNumPerm = 128;
inline constexpr uint32_t kMaxNumPerm = 4096;
inline constexpr uint64_t kDefaultMinHashSeed = 0x6563686f74726163ULL;  // "echotrac"
inline constexpr uint32_t kEmptyValue = 0xFFFFFFFFu;

// Computes MinHash signatures with K fixed permutations. Immutable after
// construction: thread-safe to share.
class MinHasher {
 public:
  // Precondition: 1 <= num_perm <= kMaxNumPerm (checked by Validate callers;
  // clamped here).
  explicit MinHasher(uint32_t num_perm = kDefaultNumPerm, uint64_t seed = kDefaultMinHashSeed);

  uint32_t num_perm() const { return num_perm_; }
  uint64_t seed() const { return seed_; }

  // Writes the signature of `set` (any 64-bit values; duplicates are
  // harmless) to out[0..num_perm). `out` must hold num_perm values.
  void Sign(std::span<const uint64_t> set, uint32_t* out) const;
  std::vector<uint32_t> Sign(std::span<const uint64_t> set) const;

 private:
  uint32_t num_perm_;
  uint32_t padded_;  // num_perm rounded up to the kernel's block
  uint64_t seed_;
  std::vector<uint64_t> a_, b_;  // padded_ entries each
};

// Fraction of equal components: the MinHash estimate of Jaccard. Both must
// have the same size; 0 for empty spans.
double EstimateJaccard(std::span<const uint32_t> a, std::span<const uint32_t> b);

// A signature with what is needed to interpret it.
struct Signature {
  uint32_t shingle_k = 1;
  uint64_t seed = kDefaultMinHashSeed;
  std::vector<uint32_t> values;
  bool operator==(const Signature&) const = default;
};

// The persisted bytes (see the file comment). Precondition: values.size()
// <= 65535 and shingle_k <= 255.
std::string EncodeSignature(const Signature& sig);
// Parses EncodeSignature's output. Errors: Corruption naming what is wrong
// (magic, version, length).
Result<Signature> DecodeSignature(std::string_view bytes);

}  // namespace echotrace::neardup

#endif  // ECHOTRACE_NEARDUP_MINHASH_H_
