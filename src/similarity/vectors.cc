// Sparse vectors and character n-grams; see vectors.h.
#include "similarity/vectors.h"

#include <xxhash.h>

#include <algorithm>
#include <cmath>

#include "similarity/analyzer.h"
#include "text/normalize.h"
#include "text/tokenizer.h"

namespace echotrace::sim {

namespace {
constexpr uint32_t kBuckets = 1u << 22;

// Byte length of the UTF-8 sequence starting with `lead` (1 for stray
// continuation bytes, so a bad byte never stalls the scan).
size_t SeqLen(unsigned char lead) {
  if (lead < 0xC0) return 1;
  if (lead < 0xE0) return 2;
  if (lead < 0xF0) return 3;
  return 4;
}
}  // namespace

double Dot(const SparseVec& a, const SparseVec& b) {
  double s = 0;
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i].first < b[j].first) {
      ++i;
    } else if (b[j].first < a[i].first) {
      ++j;
    } else {
      s += static_cast<double>(a[i].second) * b[j].second;
      ++i;
      ++j;
    }
  }
  return s;
}

void L2Normalize(SparseVec* v) {
  double n = 0;
  for (const auto& [id, w] : *v) n += static_cast<double>(w) * w;
  if (n <= 0) return;
  double inv = 1.0 / std::sqrt(n);
  for (auto& e : *v) e.second = static_cast<float>(e.second * inv);
}

SparseVec CountIds(std::vector<uint32_t> ids) {
  std::sort(ids.begin(), ids.end());
  SparseVec v;
  for (size_t i = 0; i < ids.size();) {
    size_t j = i;
    while (j < ids.size() && ids[j] == ids[i]) ++j;
    v.emplace_back(ids[i], static_cast<float>(j - i));
    i = j;
  }
  return v;
}

std::string CharNgramText(std::string_view text) {
  std::string out;
  auto add = [&](std::string_view w) {
    if (w.empty()) return;
    if (!out.empty()) out.push_back(' ');
    out.append(w);
  };
  for (const Token& t : Tokenize(text)) {
    if (t.kind == TokenKind::kWord || t.kind == TokenKind::kNumber || t.kind == TokenKind::kCjk) {
      add(t.norm);
    } else if (t.kind == TokenKind::kHashtag || t.kind == TokenKind::kMention) {
      std::string_view raw = text.substr(t.start, t.end - t.start);
      raw.remove_prefix(static_cast<unsigned char>(raw[0]) < 0x80 ? 1 : 3);
      for (const std::string& p : SplitCompound(raw)) add(NormalizeForMatching(p));
    }
  }
  return out;
}

std::vector<uint32_t> CharNgramIds(std::string_view text, int lo, int hi) {
  // Appended, not " " + CharNgramText(text): that operator+ makes GCC 12 at
  // -O3 report a bogus -Wrestrict (GCC bug 105329).
  std::string s = " ";
  s += CharNgramText(text);
  s += ' ';
  std::vector<size_t> starts;  // code point starts, plus the end
  for (size_t i = 0; i < s.size(); i += SeqLen(static_cast<unsigned char>(s[i]))) {
    starts.push_back(i);
  }
  starts.push_back(s.size());
  std::vector<uint32_t> ids;
  const size_t cps = starts.size() - 1;
  for (int n = lo; n <= hi; ++n) {
    for (size_t i = 0; i + static_cast<size_t>(n) <= cps; ++i) {
      size_t b = starts[i], e = std::min(starts[i + static_cast<size_t>(n)], s.size());
      // The n-gram length is mixed in so that n-grams of different n never
      // share a bucket by construction.
      uint64_t h = XXH3_64bits_withSeed(s.data() + b, e - b, static_cast<uint64_t>(n));
      ids.push_back(static_cast<uint32_t>(h % kBuckets));
    }
  }
  return ids;
}

TfIdf::TfIdf(const std::vector<std::vector<uint32_t>>& docs)
    : n_(static_cast<double>(docs.size())) {
  std::vector<uint32_t> all;
  for (const auto& d : docs) {
    std::vector<uint32_t> u = d;
    std::sort(u.begin(), u.end());
    u.erase(std::unique(u.begin(), u.end()), u.end());
    all.insert(all.end(), u.begin(), u.end());
  }
  SparseVec counts = CountIds(std::move(all));
  auto idf = [this](double df) { return std::log((1.0 + n_) / (1.0 + df)) + 1.0; };
  unseen_ = idf(0);
  const uint64_t max_id = counts.empty() ? 0 : counts.back().first;
  if (max_id < 4 * counts.size() + 1024) {
    dense_.assign(max_id + 1, unseen_);
    for (const auto& [id, c] : counts) dense_[id] = idf(c);
  } else {
    ids_.reserve(counts.size());
    idf_.reserve(counts.size());
    for (const auto& [id, c] : counts) {
      ids_.push_back(id);
      idf_.push_back(idf(c));
    }
  }
}

double TfIdf::Idf(uint32_t id) const {
  if (!dense_.empty() || ids_.empty()) return id < dense_.size() ? dense_[id] : unseen_;
  auto it = std::lower_bound(ids_.begin(), ids_.end(), id);
  return it != ids_.end() && *it == id ? idf_[static_cast<size_t>(it - ids_.begin())] : unseen_;
}

SparseVec TfIdf::Vector(std::vector<uint32_t> ids) const {
  SparseVec v = CountIds(std::move(ids));
  for (auto& [id, w] : v) w = static_cast<float>((1.0 + std::log(w)) * Idf(id));
  L2Normalize(&v);
  return v;
}

}  // namespace echotrace::sim
