// The coordination detector as an analysis stage (issue 5): reads each
// document's author, time, normalised-text hash, parent, repost marker,
// links and hashtags (and the near-duplicate clusters, when a neardup run
// exists) from the store, turns them into the actions of six behaviours,
// finds co-action edges (coactions.h) for every behaviour in parallel,
// clusters the union graph with Leiden (communities.h), summarises the
// groups (groups.h), and replaces the previous coordination result in one
// transaction (tables coord_edges, coord_edge_windows, coord_evidence,
// coord_bursts, coord_groups, coord_group_summaries; docs/schema.md).
//
// What each behaviour's key is, per document with an author and a time:
//   co-post     docs.norm_hash, for documents that are not reposts (a repost
//               repeats someone else's text; QUT's co-tweet excludes them too)
//   co-similar  neardup_members.cluster_id, and 2^62 | reuse cluster id for
//               each reused passage covering at least `passage_containment`
//               of the document's text (skipped, with a warning, when neither
//               a near-duplicate nor a reuse result exists)
//   co-link     XXH3-64 of each distinct normalised URL (entities kind 1)
//   co-reply    XXH3-64 of docs.parent, for documents that are not reposts
//   co-repost   for reposts: XXH3-64 of docs.parent when given, otherwise
//               docs.norm_hash (the reposted text; for "RT @user: ..." it
//               includes the user, so it names the reposted item). A repost
//               is a document whose extra.post_type is R / retweet / repost
//               (any case), or whose text starts with "RT @".
//   co-hashtag  XXH3-64 of the document's hashtags in text order, joined by
//               0x1F (one key per document with at least one hashtag)
// Windows below the resolution of the stored times are widened first
// (WidenWindows), with a warning in the run's summary.
#ifndef ECHOTRACE_COORD_COORD_STAGE_H_
#define ECHOTRACE_COORD_COORD_STAGE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "coord/coactions.h"
#include "coord/graph_export.h"
#include "echotrace/analyze.h"
#include "echotrace/store.h"

namespace echotrace {

struct CoordOptions {
  // Behaviours to detect; empty means all six.
  std::vector<coord::Behaviour> behaviours;
  // Windows (s), minimum weight, burst cap and evidence per edge: see
  // coord::CoActionOptions.
  std::vector<int64_t> windows = {60};
  uint32_t min_weight = 2;
  uint32_t max_posts_in_window = 100;
  uint32_t evidence_per_edge = 20;
  // Leiden on the union graph (edge weight: summed co-actions over the
  // behaviours): resolution and seed, see coord::CommunityOptions.
  double resolution = 1.0;
  uint64_t seed = 42;
  // co-similar through passages: a document whose reused passage (reuse
  // stage) spans at least this share of its text, in bytes, acts on the
  // passage's cluster. In [0, 1]; 0 = near-duplicate clusters only.
  double passage_containment = 0.5;
  // Shared items listed per group summary.
  uint32_t top_keys = 10;
  int threads = 0;  // 0 = number of cores
  bool progress = true;
};

// Runs the stage as one `coordination` run. InvalidArgument for bad
// options; store errors otherwise. On error the previous result is left
// intact and the run is recorded as failed.
Status RunCoordinationStage(Store* store, const CoordOptions& options, StageSummary* summary);

// The stored coordination result as a graph for WriteGexf / WriteGraphml:
// one node per account with an edge (ids 0, 1, ... in byte order of the
// names; group from coord_groups, -1 if none; posts = the account's
// documents in the store), one edge per coord_edges row in edge_id order.
// NotFound when the store has no coordination result (with the command
// that makes one); store errors otherwise.
Result<coord::CoordGraph> ReadCoordGraph(Store* store);

}  // namespace echotrace

#endif  // ECHOTRACE_COORD_COORD_STAGE_H_
