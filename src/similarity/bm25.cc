// BM25: see bm25.h for the formula.
#include "similarity/bm25.h"

#include <algorithm>
#include <cmath>

namespace echotrace::sim {

uint32_t Vocabulary::Add(std::string_view term) {
  auto it = ids_.find(std::string(term));
  if (it != ids_.end()) return it->second;
  uint32_t id = static_cast<uint32_t>(terms_.size());
  terms_.emplace_back(term);
  ids_.emplace(std::string(term), id);
  return id;
}

uint32_t Vocabulary::Find(std::string_view term) const {
  auto it = ids_.find(std::string(term));
  return it == ids_.end() ? kNone : it->second;
}

std::vector<uint32_t> Vocabulary::Lookup(const std::vector<std::string>& terms) const {
  std::vector<uint32_t> out;
  out.reserve(terms.size());
  for (const auto& t : terms) {
    uint32_t id = Find(t);
    if (id != kNone) out.push_back(id);
  }
  return out;
}

std::vector<uint32_t> Vocabulary::AddAll(const std::vector<std::string>& terms) {
  std::vector<uint32_t> out;
  out.reserve(terms.size());
  for (const auto& t : terms) out.push_back(Add(t));
  return out;
}

Bm25Index::Bm25Index(const std::vector<std::vector<uint32_t>>& docs, size_t vocab_size,
                     Bm25Params params)
    : params_(params), df_(vocab_size, 0), postings_(vocab_size), forward_(docs.size()) {
  doc_len_.reserve(docs.size());
  uint64_t total = 0;
  for (uint32_t d = 0; d < docs.size(); ++d) {
    std::vector<uint32_t> sorted = docs[d];
    std::sort(sorted.begin(), sorted.end());
    auto& fwd = forward_[d];
    for (size_t i = 0; i < sorted.size();) {
      size_t j = i;
      while (j < sorted.size() && sorted[j] == sorted[i]) ++j;
      fwd.emplace_back(sorted[i], static_cast<uint32_t>(j - i));
      i = j;
    }
    for (const auto& [t, tf] : fwd) {
      ++df_[t];
      postings_[t].emplace_back(d, tf);
    }
    doc_len_.push_back(static_cast<uint32_t>(sorted.size()));
    total += sorted.size();
  }
  avgdl_ = docs.empty() ? 1.0 : std::max(1.0, static_cast<double>(total) / docs.size());
}

double Bm25Index::Idf(uint32_t term) const {
  double n = static_cast<double>(num_docs());
  double df = term < df_.size() ? df_[term] : 0;
  return std::log(1.0 + (n - df + 0.5) / (df + 0.5));
}

double Bm25Index::TermScore(uint32_t term, uint32_t tf, uint32_t doc) const {
  double norm = params_.k1 * (1.0 - params_.b + params_.b * doc_len_[doc] / avgdl_);
  return Idf(term) * tf * (params_.k1 + 1.0) / (tf + norm);
}

std::vector<uint32_t> Bm25Index::Distinct(const std::vector<uint32_t>& query) {
  std::vector<uint32_t> q = query;
  std::sort(q.begin(), q.end());
  q.erase(std::unique(q.begin(), q.end()), q.end());
  return q;
}

double Bm25Index::Score(const std::vector<uint32_t>& query, uint32_t doc) const {
  double s = 0;
  const auto& fwd = forward_[doc];
  for (uint32_t t : Distinct(query)) {
    auto it = std::lower_bound(fwd.begin(), fwd.end(), std::make_pair(t, uint32_t{0}));
    if (it != fwd.end() && it->first == t) s += TermScore(t, it->second, doc);
  }
  return s;
}

void Bm25Index::ScoreAll(const std::vector<uint32_t>& query, std::vector<double>* scores) const {
  scores->assign(num_docs(), 0.0);
  for (uint32_t t : Distinct(query)) {
    if (t >= postings_.size()) continue;
    for (const auto& [d, tf] : postings_[t]) (*scores)[d] += TermScore(t, tf, d);
  }
}

std::vector<ScoredDoc> Bm25Index::TopK(const std::vector<uint32_t>& query, size_t k) const {
  std::vector<double> scores;
  ScoreAll(query, &scores);
  std::vector<ScoredDoc> hits;
  for (uint32_t d = 0; d < scores.size(); ++d) {
    if (scores[d] > 0) hits.push_back({d, scores[d]});
  }
  auto better = [](const ScoredDoc& a, const ScoredDoc& b) {
    return a.score != b.score ? a.score > b.score : a.doc < b.doc;
  };
  if (hits.size() > k) {
    std::partial_sort(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(k), hits.end(),
                      better);
    hits.resize(k);
  } else {
    std::sort(hits.begin(), hits.end(), better);
  }
  return hits;
}

}  // namespace echotrace::sim
