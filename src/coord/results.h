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

// The export tables: "coordination" (edges) and "groups".
const std::vector<ResultTable>& CoordResultTables();

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
