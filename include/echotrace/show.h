// Looking at one result: a reuse cluster with its occurrences aligned to the
// origin and the differences marked; a coordinated group with the posts that
// justify each of its edges.
#ifndef ECHOTRACE_SHOW_H_
#define ECHOTRACE_SHOW_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
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
  // Documents of the cluster without a time. When not 0 the "origin" (the
  // earliest dated occurrence) is not provably first, and the rendering
  // says "origin uncertain" instead of naming one (issue 17 item 4).
  uint64_t undated_documents = 0;
};

// The cluster `cluster_id` of the latest reuse run, with at most `limit`
// occurrences. NotFound when there is no reuse result or no such cluster.
Result<ShownReuseCluster> ShowReuseCluster(Store* store, int64_t cluster_id, int limit);

// A terminal rendering of ShowReuseCluster's result.
std::string RenderReuseCluster(const ShownReuseCluster& c);

// A document as the show commands print it.
struct ShownPost {
  int64_t doc_id = 0;
  std::string ext_id;
  std::string author;
  std::string source;
  std::optional<int64_t> time;
  std::string text;
};

// One edge of a group with its evidence: the co-actions (post pairs) stored
// for it, earliest first.
struct ShownEdge {
  int64_t edge_id = 0;
  std::string account_a;
  std::string account_b;
  std::string behaviour;
  uint64_t weight = 0;
  int64_t window = 0;  // tightest window (s) at which it holds
  // (window s, co-actions counted at it), narrowest first: `weight` counts
  // them at any window, so each window's own count is shown apart.
  std::vector<std::pair<int64_t, uint64_t>> window_weights;
  double symmetry = 0.5;
  int64_t first_time = 0;
  int64_t last_time = 0;
  std::vector<std::pair<ShownPost, ShownPost>> evidence;  // (post of a, post of b)
  uint64_t evidence_stored = 0;                           // rows in coord_evidence
};

struct ShownGroupItem {
  std::string behaviour;
  uint64_t accounts = 0;
  uint64_t posts = 0;
  ShownPost example;
};

struct ShownGroup {
  int64_t group_id = 0;
  int64_t run_id = 0;
  uint64_t accounts = 0;
  uint64_t posts = 0;
  std::optional<int64_t> first_time;
  std::optional<int64_t> last_time;
  std::optional<double> burstiness;
  std::string behaviours_json;       // coord_group_summaries.behaviours
  std::vector<std::string> members;  // byte order, all of them
  std::vector<ShownGroupItem> top_items;
  std::vector<ShownEdge> edges;  // inside the group, heaviest first; capped
  uint64_t edges_total = 0;
};

// Group `group_id` of the latest coordination run: its summary, members, top
// shared items (each with an example post), and at most `edge_limit` of its
// internal edges (heaviest first, then edge id) with at most
// `evidence_limit` evidence pairs each. NotFound when there is no
// coordination result or no such group (the message says how to list them).
Result<ShownGroup> ShowGroup(Store* store, int64_t group_id, int edge_limit, int evidence_limit);

// A terminal rendering of ShowGroup's result. Post text is passed through
// TerminalSafe: control characters in posts cannot drive the terminal.
std::string RenderGroup(const ShownGroup& g);

}  // namespace echotrace

#endif  // ECHOTRACE_SHOW_H_
