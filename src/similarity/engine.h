// Internals of SimilarityModel (include/echotrace/similarity.h), shared with
// the claim matcher and search, which use the pieces directly.
#ifndef ECHOTRACE_SIMILARITY_ENGINE_H_
#define ECHOTRACE_SIMILARITY_ENGINE_H_

#include <string>
#include <vector>

#include "echotrace/similarity.h"
#include "similarity/analyzer.h"
#include "similarity/bm25.h"
#include "similarity/evidence.h"
#include "similarity/lsa.h"
#include "similarity/vectors.h"

namespace echotrace {

struct RepresentedText {
  std::string lang;
  std::vector<uint32_t> term_ids;  // known stems (vocabulary ids), in order
  sim::SparseVec words;            // stemmed-word TF-IDF, unit length
  sim::SparseVec chars;            // character n-gram TF-IDF, unit length
  std::vector<float> lsa;          // unit length, or empty
  std::vector<float> embedding;    // user-supplied, or empty
  sim::Evidence evidence;
};

struct SimilarityModel::Impl {
  SimilarityOptions options;
  sim::Analyzer analyzer;
  sim::Vocabulary vocab;  // stems of the collection
  sim::TfIdf word_tfidf;
  sim::TfIdf char_tfidf;
  sim::Lsa lsa;

  // Vocabulary ids of the known stems of `text`.
  std::vector<uint32_t> TermIds(const std::string& text, const std::string& lang) const;
  std::vector<uint32_t> CharIds(const std::string& text) const;
};

}  // namespace echotrace

#endif  // ECHOTRACE_SIMILARITY_ENGINE_H_
