// Looking at one result: a reuse cluster with its occurrences aligned to the
// origin and the differences marked.
#ifndef ECHOTRACE_SHOW_H_
#define ECHOTRACE_SHOW_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "echotrace/status.h"
#include "echotrace/store.h"

namespace echotrace {

struct ShownOccurrence {
  std::string ext_id;
  std::string source;
  std::string author;
  std::optional<int64_t> time;
  uint32_t start = 0;  // byte offsets into the document's text
  uint32_t end = 0;
  std::string text;
  bool origin = false;
  // The occurrence against the origin's, word by word: equal text as is,
  // "[-origin words-]{+these words+}" where they differ ("wdiff" notation).
  // Empty for the origin itself.
  std::string marked;
  double identity = 1;  // matching words / aligned columns, against the origin
};

struct ShownReuseCluster {
  int64_t cluster_id = 0;
  int64_t run_id = 0;
  uint64_t occurrences = 0;
  uint64_t documents = 0;
  uint64_t sources = 0;
  uint64_t authors = 0;
  std::optional<int64_t> first_time;
  std::optional<int64_t> last_time;
  std::vector<ShownOccurrence> shown;  // origin first, then by time; capped
};

// The cluster `cluster_id` of the latest reuse run, with at most `limit`
// occurrences. NotFound when there is no reuse result or no such cluster.
Result<ShownReuseCluster> ShowReuseCluster(Store* store, int64_t cluster_id, int limit);

// A terminal rendering of ShowReuseCluster's result.
std::string RenderReuseCluster(const ShownReuseCluster& c);

}  // namespace echotrace

#endif  // ECHOTRACE_SHOW_H_
