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
#include "similarity/semantic.h"
#include "similarity/vectors.h"
#include "similarity/word_vectors.h"

namespace echotrace {

struct RepresentedText {
  std::string lang;
  std::vector<uint32_t> term_ids;  // known stems (vocabulary ids), in order
  sim::SparseVec words;            // stemmed-word TF-IDF, unit length
  sim::SparseVec chars;            // character n-gram TF-IDF, unit length
  std::vector<float> lsa;          // unit length, or empty
  std::vector<float> embedding;    // user-supplied, or empty
  sim::Evidence evidence;
  // With word vectors: sentence vectors and the alignment side.
  std::vector<float> sif, usif;
  sim::AlignSide align;
};

// What Represent derives from a text for the vector signals.
struct VectorView {
  std::vector<std::string> words;  // VectorWords
  std::vector<int32_t> known;      // vector indexes of the known words, in order
};

struct SimilarityModel::Impl {
  SimilarityOptions options;
  sim::Analyzer analyzer;
  sim::Vocabulary vocab;  // stems of the collection
  sim::TfIdf word_tfidf;
  sim::TfIdf char_tfidf;
  sim::Lsa lsa;
  // With word vectors: the encoders and the collection's idf of the
  // vectors' words (the soft alignment's weights).
  sim::SentenceEncoder sif, usif;
  sim::Vocabulary vector_vocab;
  sim::TfIdf vector_idf;

  // Vocabulary ids of the known stems of `text`.
  std::vector<uint32_t> TermIds(const std::string& text, const std::string& lang) const;
  std::vector<uint32_t> CharIds(const std::string& text) const;
  VectorView ViewOf(const std::string& text) const;
  // Fills r's vector fields (no-op without word vectors).
  void AddVectors(const VectorView& view, RepresentedText* r) const;
};

}  // namespace echotrace

#endif  // ECHOTRACE_SIMILARITY_ENGINE_H_
