// The read side of the coordination detector: everything outside src/coord
// (export, `show group`, the report, the server) needs to read its result
// (the coord_* tables, docs/schema.md) and to interpret it. coord_stage.h says how the result is
// made; the key of each behaviour is defined here once, so that a reader can find the readable item
// (a URL, the hashtags, the parent) behind a stored key.
#ifndef ECHOTRACE_COORD_RESULTS_H_
#define ECHOTRACE_COORD_RESULTS_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analyze/detector.h"
#include "coord/graph_export.h"
#include "echotrace/document.h"
#include "echotrace/status.h"
#include "echotrace/store.h"
#include "store/sqlite_util.h"

namespace echotrace {
namespace coord {

// The key of an item that co-link, co-reply, co-repost (by parent) and
// co-hashtag act on: XXH3-64 (seed 0) of its readable form (the normalised
// URL; docs.parent; the document's hashtags in text order joined by 0x1F).
// Stored as a signed 64-bit integer (the same bits).
uint64_t ItemKey(std::string_view readable);

// A readable label for the item a group shares on `behaviour` with stored
// key `key`, found through its example document `example_doc`: the URL
// (co-link), the hashtags ("#a #b", co-hashtag), "reply to P" / "repost of
// P" (co-reply / co-repost with a parent); cut at `max_bytes` on a UTF-8
// boundary. nullopt when the example holds no readable form (then the
// example's text is the label to show); store errors otherwise.
Result<std::optional<std::string>> ItemLabel(Store* store, std::string_view behaviour, int64_t key,
                                             int64_t example_doc, size_t max_bytes);

// The export tables: "coordination" (edges) and "groups". The edges'
// columns here are the fixed ones; CoordinationEdgeTable adds the run's.
const std::vector<ResultTable>& CoordResultTables();

// The windows (seconds, after widening) of coordination run `run_id`,
// narrowest first: those its summary lists, and any window with a stored
// edge weight (coord_edge_windows), so a column is never missing for a
// stored count. Empty when the run has neither.
Result<std::vector<int64_t>> ReadCoordWindows(Store* store, int64_t run_id);

// Edge `edge_id` of run `run_id` at each window where it has co-actions:
// (window s, weight), narrowest first.
Result<std::vector<std::pair<int64_t, uint64_t>>> ReadEdgeWindowWeights(Store* store,
                                                                        int64_t run_id,
                                                                        int64_t edge_id);

// The name of the export column or graph attribute holding an edge's
// weight at window `window` (seconds): "weight_60s".
std::string WindowWeightName(int64_t window);

// The "coordination" export table of run `run_id`: the columns of
// CoordResultTables()'s, then one weight_<W>s column per window W of the
// run (ReadCoordWindows), the co-actions counted at W (0 when the edge has
// none there). `weight` counts them at any window, so it is not the weight
// of the edge's `window` (issue 17 item 6): each window is labelled apart.
Result<ResultTable> CoordinationEdgeTable(Store* store, int64_t run_id);

// An account and its group in the latest result (-1: in no group).
struct GroupMember {
  std::string account;
  int64_t group_id = -1;
};
// Every account of the latest coordination result with its group, in
// storage order. NotFound when the store has no coordination result.
Result<std::vector<GroupMember>> ReadGroupMembers(Store* store);

// The run whose rows are the latest coordination result; nullopt when the
// store has none (no ok run, or no result tables).
Result<std::optional<int64_t>> LatestCoordRun(Store* store);

// One edge (table coord_edges).
struct EdgeRecord {
  int64_t edge_id = 0;
  std::string account_a;
  std::string account_b;
  std::string behaviour;
  int64_t weight = 0;
  int64_t window = 0;  // tightest window (s) at which it holds
  double symmetry = 0.5;
  int64_t first_time = 0;
  int64_t last_time = 0;
};

// An edge's weight at one window (coord_edge_windows).
struct EdgeWindowWeight {
  int64_t window = 0;
  int64_t weight = 0;
};

// One of a group's most shared items (coord_group_summaries.top_items): the
// item's key (ItemKey, or the text hash / cluster id the behaviour acts on)
// and a document that shows it.
struct GroupTopItem {
  std::string behaviour;
  int64_t key = 0;
  int64_t accounts = 0;
  int64_t posts = 0;
  int64_t example_doc = 0;
};

// A group as stored (coord_group_summaries).
struct StoredGroup {
  int64_t group_id = 0;
  int64_t accounts = 0;
  int64_t posts = 0;
  std::optional<int64_t> first_time;
  std::optional<int64_t> last_time;
  std::optional<double> burstiness;
  // The stored JSON object of posts per behaviour, as stored, and whether
  // it is valid JSON (the store does not enforce it).
  std::string behaviours;
  bool behaviours_valid = false;
  std::vector<GroupTopItem> top_items;  // in stored order; none if not valid JSON
};

// A stored co-action of an edge: a post of each account and the seconds
// between them (undated posts count as time 0).
struct EvidencePair {
  int64_t post_a = 0;
  int64_t post_b = 0;
  int64_t gap = 0;
};

// Reads one coordination result (run `run_id`, e.g. LatestCoordRun's) for
// the views: `show group`, the report and the server. Use it on the thread
// of `store`, within its life.
class CoordResultReader {
 public:
  CoordResultReader(Store* store, int64_t run_id) : store_(store), run_id_(run_id) {}
  int64_t run_id() const { return run_id_; }

  // The `limit` heaviest edges (then by edge id).
  Result<std::vector<EdgeRecord>> TopEdges(int64_t limit);
  // Calls fn(account_a, account_b, weight) for every edge, in no set order;
  // the views must not outlive the call.
  Status ForEachEdge(const std::function<void(std::string_view, std::string_view, int64_t)>& fn);
  // nullopt when the result has no such edge.
  Result<std::optional<EdgeRecord>> Edge(int64_t edge_id);
  // The edge's weight at each window it holds in, narrowest first.
  Result<std::vector<EdgeWindowWeight>> EdgeWindows(int64_t edge_id);
  // At most `limit` stored co-actions of an edge, earliest first, then by
  // post ids; and how many are stored.
  Result<std::vector<EvidencePair>> Evidence(int64_t edge_id, int64_t limit);
  Result<int64_t> CountEvidence(int64_t edge_id);

  // The group of an account, nullopt when it is in none.
  Result<std::optional<int64_t>> GroupOf(std::string_view account);
  // The `limit` groups with the most accounts (then by group id).
  Result<std::vector<int64_t>> LargestGroups(int64_t limit);
  Result<int64_t> CountGroups();
  // nullopt when the result has no such group.
  Result<std::optional<StoredGroup>> Group(int64_t group_id);
  // At most `limit` (-1: all) members of a group, in byte order; and how
  // many it has.
  Result<std::vector<std::string>> GroupMembers(int64_t group_id, int64_t limit);
  Result<int64_t> CountGroupMembers(int64_t group_id);
  // The `limit` heaviest edges with both ends in the group (then by edge
  // id); and how many there are.
  Result<std::vector<EdgeRecord>> EdgesInside(int64_t group_id, int64_t limit);
  Result<int64_t> CountEdgesInside(int64_t group_id);

 private:
  Store* store_;
  int64_t run_id_;
  store_internal::Stmt group_of_;
};

}  // namespace coord

// The stored coordination result as a graph for WriteGexf / WriteGraphml:
// one node per account with an edge (ids 0, 1, ... in byte order of the
// names; group from coord_groups, -1 if none; posts = the account's
// documents in the store), one edge per coord_edges row in edge_id order.
// NotFound when the store has no coordination result (with the command
// that makes one); store errors otherwise.
Result<coord::CoordGraph> ReadCoordGraph(Store* store);

}  // namespace echotrace

#endif  // ECHOTRACE_COORD_RESULTS_H_
