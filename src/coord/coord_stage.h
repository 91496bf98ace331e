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
#include <memory>
#include <string>
#include <vector>

#include "analyze/detector.h"
#include "coord/coactions.h"
#include "echotrace/detector_params.h"
#include "echotrace/store.h"

namespace echotrace {

// The detector's name: its runs' kind and its name for `analyze --only`.
inline constexpr char kCoordinationDetector[] = "coordination";

// The detector for analyze's registry (analyze.cc): one `coordination` run
// that replaces the previous result. Its Plan reports InvalidArgument for
// bad parameters (an unknown behaviour, no window, a containment outside
// [0, 1], a resolution <= 0). It reads the near-duplicate and reuse results
// when they exist (its declared inputs), for co-similar.
std::unique_ptr<Detector> MakeCoordinationDetector(const CoordParams& params);

}  // namespace echotrace

#endif  // ECHOTRACE_COORD_COORD_STAGE_H_
