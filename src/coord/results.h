// The read side of the coordination detector: everything outside src/coord
// needs to read its result (the coord_* tables, docs/schema.md) and to
// interpret it. coord_stage.h says how the result is made; the key of each
// behaviour is defined here once, so that a reader can find the readable
// item (a URL, the hashtags, the parent) behind a stored key.
#ifndef ECHOTRACE_COORD_RESULTS_H_
#define ECHOTRACE_COORD_RESULTS_H_

#include <cstdint>
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
