// BM25 over a fixed collection, with an inverted index for top-k retrieval
// and a forward index for scoring any (query, document) pair.
//
// Score (Robertson & Zaragoza, "The Probabilistic Relevance Framework: BM25
// and Beyond", 2009), with Lucene's non-negative idf:
//   score(q, d) = Σ_{t ∈ distinct(q)} idf(t) · tf(t,d)·(k1+1) /
//                 (tf(t,d) + k1·(1 − b + b·|d|/avgdl))
//   idf(t) = ln(1 + (N − df(t) + 0.5) / (df(t) + 0.5))
// Query terms count once however often they occur: posts repeat words for
// emphasis, not relevance. Terms are integer ids from a Vocabulary shared by
// every field of a collection.
#ifndef ECHOTRACE_SIMILARITY_BM25_H_
#define ECHOTRACE_SIMILARITY_BM25_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace echotrace::sim {

// Term strings ↔ dense ids. Not thread-safe for Add; Find is const.
class Vocabulary {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;
  uint32_t Add(std::string_view term);
  uint32_t Find(std::string_view term) const;  // kNone when unknown
  size_t size() const { return terms_.size(); }
  const std::string& term(uint32_t id) const { return terms_[id]; }
  // Ids of known terms; unknown ones are dropped (they score nothing).
  std::vector<uint32_t> Lookup(const std::vector<std::string>& terms) const;
  // Ids, adding unknown terms.
  std::vector<uint32_t> AddAll(const std::vector<std::string>& terms);

 private:
  std::unordered_map<std::string, uint32_t> ids_;
  std::vector<std::string> terms_;
};

struct Bm25Params {
  double k1 = 1.2;
  double b = 0.75;
};

struct ScoredDoc {
  uint32_t doc = 0;
  double score = 0;
};

class Bm25Index {
 public:
  Bm25Index() = default;
  // Indexes `docs` (term ids < vocab_size); document i gets id i.
  Bm25Index(const std::vector<std::vector<uint32_t>>& docs, size_t vocab_size,
            Bm25Params params = {});

  size_t num_docs() const { return doc_len_.size(); }
  double Idf(uint32_t term) const;
  // BM25 of one pair by the formula, through the forward index.
  double Score(const std::vector<uint32_t>& query, uint32_t doc) const;
  // Scores of every document (0 for those sharing no term), through the
  // postings. (*scores)[d] equals Score(query, d) up to rounding.
  void ScoreAll(const std::vector<uint32_t>& query, std::vector<double>* scores) const;
  // The k best documents with a positive score, best first; ties by lower
  // doc id. Deterministic.
  std::vector<ScoredDoc> TopK(const std::vector<uint32_t>& query, size_t k) const;
  // Term frequencies of a document, sorted by term id.
  const std::vector<std::pair<uint32_t, uint32_t>>& Terms(uint32_t doc) const {
    return forward_[doc];
  }

 private:
  static std::vector<uint32_t> Distinct(const std::vector<uint32_t>& query);
  double TermScore(uint32_t term, uint32_t tf, uint32_t doc) const;

  Bm25Params params_;
  double avgdl_ = 0;
  std::vector<uint32_t> doc_len_;
  std::vector<uint32_t> df_;
  std::vector<std::vector<std::pair<uint32_t, uint32_t>>> postings_;  // term → (doc, tf)
  std::vector<std::vector<std::pair<uint32_t, uint32_t>>> forward_;   // doc → (term, tf)
};

}  // namespace echotrace::sim

#endif  // ECHOTRACE_SIMILARITY_BM25_H_
