// IBM Model 1 word-translation table; see translation.h.
#include "claims/translation.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace echotrace::claims {

TranslationTable TranslationTable::Fit(const std::vector<std::vector<uint32_t>>& texts,
                                       const std::vector<std::pair<uint32_t, uint32_t>>& pairs,
                                       uint32_t num_words, int iterations) {
  TranslationTable m;
  m.num_words_ = num_words;
  std::vector<std::pair<uint32_t, uint32_t>> used;
  for (const auto& p : pairs) {
    if (!texts[p.first].empty() && !texts[p.second].empty()) used.push_back(p);
  }
  // The rows: for each source word, the targets of the pairs it is in.
  std::vector<std::vector<uint32_t>> pairs_of(num_words);
  for (uint32_t i = 0; i < used.size(); ++i) {
    for (uint32_t v : texts[used[i].first]) pairs_of[v].push_back(i);
  }
  m.row_.assign(static_cast<size_t>(num_words) + 2, 0);
  std::vector<uint32_t> row;
  for (uint32_t v = 0; v <= num_words; ++v) {
    row.clear();
    if (v < num_words) {
      for (uint32_t i : pairs_of[v]) {
        const auto& t = texts[used[i].second];
        row.insert(row.end(), t.begin(), t.end());
      }
      std::vector<uint32_t>().swap(pairs_of[v]);
    } else {
      for (const auto& p : used) {
        const auto& t = texts[p.second];
        row.insert(row.end(), t.begin(), t.end());
      }
    }
    std::sort(row.begin(), row.end());
    row.erase(std::unique(row.begin(), row.end()), row.end());
    m.targets_.insert(m.targets_.end(), row.begin(), row.end());
    m.row_[v + 1] = m.targets_.size();
  }
  m.t_.assign(m.targets_.size(), 1.0f);
  std::vector<double> count(m.targets_.size());
  std::vector<size_t> at;
  for (int it = 0; it < iterations; ++it) {
    std::fill(count.begin(), count.end(), 0.0);
    for (const auto& [s, t] : used) {
      const auto& src = texts[s];
      for (uint32_t w : texts[t]) {
        at.clear();
        at.push_back(m.Find(num_words, w));
        for (uint32_t v : src) at.push_back(m.Find(v, w));
        // Every (v, w) of a pair has its entry, by the construction above.
        at.erase(std::remove(at.begin(), at.end(), SIZE_MAX), at.end());
        double den = 0;
        for (size_t k : at) den += m.t_[k];
        for (size_t k : at) count[k] += m.t_[k] / den;
      }
    }
    for (uint32_t v = 0; v <= num_words; ++v) {
      double sum = 0;
      for (size_t k = m.row_[v]; k < m.row_[v + 1]; ++k) sum += count[k];
      if (sum <= 0) continue;
      for (size_t k = m.row_[v]; k < m.row_[v + 1]; ++k) {
        m.t_[k] = static_cast<float>(count[k] / sum);
      }
    }
  }
  return m;
}

size_t TranslationTable::Find(uint32_t v, uint32_t w) const {
  if (v > num_words_ || row_.empty()) return SIZE_MAX;
  auto b = targets_.begin() + static_cast<std::ptrdiff_t>(row_[v]);
  auto e = targets_.begin() + static_cast<std::ptrdiff_t>(row_[v + 1]);
  auto it = std::lower_bound(b, e, w);
  return it != e && *it == w ? static_cast<size_t>(it - targets_.begin()) : SIZE_MAX;
}

double TranslationTable::Get(uint32_t v, uint32_t w) const {
  size_t k = Find(v, w);
  return k == SIZE_MAX ? 0.0 : t_[k];
}

void TranslationTable::Prune(double min_t) {
  size_t out = 0;
  std::vector<size_t> row(row_.size(), 0);
  for (size_t v = 0; v + 1 < row_.size(); ++v) {
    for (size_t k = row_[v]; k < row_[v + 1]; ++k) {
      if (t_[k] < min_t) continue;
      targets_[out] = targets_[k];
      t_[out] = t_[k];
      ++out;
    }
    row[v + 1] = out;
  }
  row_.swap(row);
  targets_.resize(out);
  t_.resize(out);
  targets_.shrink_to_fit();
  t_.shrink_to_fit();
}

}  // namespace echotrace::claims
