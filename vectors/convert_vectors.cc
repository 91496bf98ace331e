// convert_vectors: the build step that turns the npm package's word vectors
// JSON into the file the engine memory-maps (src/similarity/word_vectors.h).
//
//   convert_vectors IN.json OUT.bin
//
// Run once by CMake (vectors/CMakeLists.txt) when the package is installed;
// takes a few seconds. Exit 0 on success, 1 with a message naming the file
// and the fix otherwise.
#include <chrono>
#include <cstdio>

#include "similarity/word_vectors.h"
#include "wink_json.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: convert_vectors IN.json OUT.bin\n");
    return 2;
  }
  auto t0 = std::chrono::steady_clock::now();
  auto fv = echotrace::ReadWinkJson(argv[1]);
  if (!fv.ok()) {
    std::fprintf(stderr, "convert_vectors: %s\n", fv.status().ToString().c_str());
    return 1;
  }
  echotrace::Status s =
      echotrace::WriteWordVectors(argv[2], fv->words, fv->ranks, fv->values, fv->dims);
  if (!s.ok()) {
    std::fprintf(stderr, "convert_vectors: %s\n", s.ToString().c_str());
    return 1;
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("convert_vectors: %zu words × %d dimensions → %s (%.1f s)\n", fv->words.size(),
              fv->dims, argv[2], secs);
  return 0;
}
