// A small deterministic PRNG for the demo corpus: xoshiro256** seeded through
// splitmix64 (Blackman and Vigna, "Scrambled linear pseudorandom number
// generators", 2018). The standard library's distributions are avoided on
// purpose: their output differs between implementations, and the demo must
// be byte-identical for a seed on every machine.
#ifndef ECHOTRACE_DEMO_RNG_H_
#define ECHOTRACE_DEMO_RNG_H_

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace echotrace::demo {

class Rng {
 public:
  explicit Rng(uint64_t seed) {
    uint64_t x = seed;
    for (uint64_t& s : s_) s = SplitMix64(&x);
  }
  // An independent stream per generator stage, so that changing one stage
  // does not reshuffle the output of the others.
  Rng(uint64_t seed, std::string_view stream) : Rng(seed ^ Fnv1a(stream)) {}

  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, n); n > 0. Rejection sampling removes the modulo bias.
  uint64_t Below(uint64_t n) {
    const uint64_t limit = (0 - n) % n;  // 2^64 mod n
    uint64_t r = Next();
    while (r < limit) r = Next();
    return r % n;
  }
  // Uniform in [lo, hi]; lo <= hi.
  int Int(int lo, int hi) {
    return lo + static_cast<int>(Below(static_cast<uint64_t>(hi - lo) + 1));
  }
  // Uniform in [0, n) for a signed count (time spans); n > 0.
  int64_t Span(int64_t n) { return static_cast<int64_t>(Below(static_cast<uint64_t>(n))); }
  // Uniform in [0, 1) with 53 bits.
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Chance(double p) { return Unit() < p; }

  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[Below(v.size())];
  }
  // Fisher-Yates, defined here rather than std::shuffle for the same reason.
  template <typename T>
  void Shuffle(std::vector<T>* v) {
    for (size_t i = v->size(); i > 1; --i) std::swap((*v)[i - 1], (*v)[Below(i)]);
  }

  static uint64_t SplitMix64(uint64_t* x) {
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  static uint64_t Fnv1a(std::string_view s) {
    uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
    return h;
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

}  // namespace echotrace::demo

#endif  // ECHOTRACE_DEMO_RNG_H_
