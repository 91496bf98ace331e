// Disjoint sets over 0..n-1 with path halving and union by size. The
// partition depends only on the set of unions made, never on their order;
// callers that need a canonical name per set use the smallest member
// (Canonical), which is order-independent too. Not thread-safe.
#ifndef ECHOTRACE_NEARDUP_UNION_FIND_H_
#define ECHOTRACE_NEARDUP_UNION_FIND_H_

#include <cstdint>
#include <numeric>
#include <utility>
#include <vector>

namespace echotrace::neardup {

class UnionFind {
 public:
  explicit UnionFind(uint32_t n) : parent_(n), size_(n, 1) {
    std::iota(parent_.begin(), parent_.end(), 0u);
  }

  uint32_t Find(uint32_t x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];
      x = parent_[x];
    }
    return x;
  }

  // Joins the sets of a and b; returns false when they were already one.
  bool Union(uint32_t a, uint32_t b) {
    a = Find(a);
    b = Find(b);
    if (a == b) return false;
    if (size_[a] < size_[b] || (size_[a] == size_[b] && b < a)) std::swap(a, b);
    parent_[b] = a;
    size_[a] += size_[b];
    return true;
  }

  // For every element, the smallest element of its set.
  std::vector<uint32_t> Canonical() {
    const uint32_t n = static_cast<uint32_t>(parent_.size());
    std::vector<uint32_t> smallest(n, UINT32_MAX), out(n);
    for (uint32_t x = 0; x < n; ++x) {
      const uint32_t r = Find(x);
      if (smallest[r] == UINT32_MAX) smallest[r] = x;  // x ascends: first is smallest
      out[x] = smallest[r];
    }
    return out;
  }

 private:
  std::vector<uint32_t> parent_;
  std::vector<uint32_t> size_;
};

}  // namespace echotrace::neardup

#endif  // ECHOTRACE_NEARDUP_UNION_FIND_H_
