// Co-action detection: which pairs of accounts act on the same thing (the
// same text, link, parent post, ...) within a short time of each other, and
// how often. The first step of coordination detection (issue 5); the account
// graph it yields is clustered by communities.h.
//
// Definitions (the contract; docs/schema.md and docs/algorithms.md repeat
// them for readers of the store):
//
//  - An *action* is one post acting on one key. A post with several keys
//    (several links) is several actions with the same post id.
//  - A *co-action* at window W is an unordered pair of posts {p, q} by two
//    different accounts that share a key and whose times differ by at most
//    W seconds (|t_p - t_q| <= W: equal times and Δt == W count).
//  - *Distinct* co-actions are distinct post pairs: two posts that share
//    three links are one co-action, not three, and a pair that holds at
//    several windows is counted once. The edge weight is the number of
//    distinct co-actions. It counts what the QUT coordination-network-toolkit
//    counts (co-occurring message pairs within the window), minus the
//    double counting of multi-key posts.
//  - *Burst cap* M (max_posts_in_window). A post is *crowded* at window W
//    when more than M posts (its own included, any account) act on its key
//    within ±W of it. A pair is counted at W only when neither post is
//    crowded at W. A crowded stretch is a broadcast event (a viral minute),
//    not evidence that each of its thousands of account pairs coordinates;
//    linking all of them would cost the square of the busy window and bury
//    the real signal. Each maximal run of crowded posts of a key (in time
//    order) is reported as a Burst instead. This bounds the work by
//    O(n log n + n·(M + windows)) whatever the data. M = 0 turns the cap off.
//  - *Symmetry* of an edge = max(posts_a, posts_b) / (posts_a + posts_b),
//    where posts_x is the number of distinct posts of account x taking part
//    in the edge's counted co-actions. In [0.5, 1): 0.5 when both accounts
//    contribute equally (a genuine pair), near 1 when one hyperactive account
//    repeats itself around a few posts of the other.
//  - An edge *holds* at window W when its number of distinct co-actions at W
//    reaches min_weight; an edge is reported when it holds at some window,
//    annotated with the tightest such window. Without the cap, weights grow
//    with W; with it they may not (a pair may be counted at 10 s and its posts
//    crowded at 1 h), so each window is judged on its own.
//
// Algorithm: actions are sorted by (key, time, account, post); within each
// key, two pointers count every post's neighbours within ±W for every window
// (crowding); each post then looks back over the posts within the widest
// window at which it is not crowded (at most M of them), which emits each
// counted pair once with the bit set of windows it is counted at. Pairs are
// sorted by (edge, post pair) and merged, so duplicates from multi-key posts
// collapse and each edge's figures come out in one linear pass.
//
// References: Pacheco, Hui, Torres-Lugo, Truong, Flammini, Menczer,
// "Uncovering coordinated networks on social media: methods and case
// studies", ICWSM 2021 (behavioural traces, bipartite account-trace
// projection); Graham, Bruns, Zhu, Campbell, "Like a virus: the coordinated
// spread of coronavirus disinformation", 2020, and the QUT Digital Media
// Research Centre coordination-network-toolkit (co-tweet, co-retweet,
// co-link, co-reply, co-similar within a time window).
#ifndef ECHOTRACE_COORD_COACTIONS_H_
#define ECHOTRACE_COORD_COACTIONS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "echotrace/status.h"

namespace echotrace::coord {

// The behaviours of issue 5. What the key of an action is, per behaviour:
// co-post: normalised text hash; co-similar: near-duplicate cluster id;
// co-link: normalised URL hash; co-reply: hash of the parent id; co-repost:
// the reposted item; co-hashtag: hash of the ordered hashtag sequence.
enum class Behaviour : int {
  kCoPost = 0,
  kCoSimilar = 1,
  kCoLink = 2,
  kCoReply = 3,
  kCoRepost = 4,
  kCoHashtag = 5,
};
inline constexpr int kNumBehaviours = 6;

// "co-post", "co-similar", "co-link", "co-reply", "co-repost", "co-hashtag".
const char* BehaviourName(Behaviour b);

struct Action {
  uint32_t account = 0;  // dense account id
  int64_t time = 0;      // unix seconds
  uint64_t key = 0;      // what was acted on (see Behaviour)
  int64_t post = 0;      // post id (docs.id); one account and time per post
};

struct CoActionOptions {
  // Windows in seconds, each >= 0, at most 32 of them, any order (they are
  // sorted and deduplicated). Default: 60 s.
  std::vector<int64_t> windows = {60};
  // An edge is reported when it has at least this many distinct co-actions
  // at some window (>= 1).
  uint32_t min_weight = 2;
  // Burst cap M: see the file comment. 0 = no cap.
  uint32_t max_posts_in_window = 100;
  // Co-action pairs kept as evidence per edge (the earliest ones); 0 = none.
  uint32_t evidence_per_edge = 20;
};

// One co-action: a post of account_a and a post of account_b.
struct CoActionPair {
  int64_t post_a = 0;  // post of the edge's account a
  int64_t post_b = 0;  // post of the edge's account b
  int64_t time_a = 0;
  int64_t time_b = 0;
  uint64_t key = 0;  // the shared key (the smallest, when they share several)
  bool operator==(const CoActionPair&) const = default;
};

struct CoEdge {
  uint32_t account_a = 0;  // account_a < account_b
  uint32_t account_b = 0;
  Behaviour behaviour = Behaviour::kCoPost;
  // Distinct co-actions counted at any window.
  uint32_t weight = 0;
  // Distinct co-actions counted at each window, in the order of
  // CoActionResult::windows.
  std::vector<uint32_t> window_weights;
  // Index into CoActionResult::windows of the tightest window at which the
  // edge holds (window_weights[i] >= min_weight).
  int tightest = 0;
  // Earliest and latest time of any post in the counted co-actions.
  int64_t first_time = 0;
  int64_t last_time = 0;
  uint32_t posts_a = 0;  // distinct posts of account_a in them
  uint32_t posts_b = 0;
  double symmetry = 0.5;  // max(posts_a, posts_b) / (posts_a + posts_b)
  // Up to evidence_per_edge co-actions, ordered by (min(time_a, time_b),
  // post_a, post_b).
  std::vector<CoActionPair> evidence;
  bool operator==(const CoEdge&) const = default;
};

// A maximal run (in time order) of posts of one key crowded at one window.
struct Burst {
  uint64_t key = 0;
  int window = 0;  // index into CoActionResult::windows
  int64_t first_time = 0;
  int64_t last_time = 0;
  uint32_t posts = 0;      // actions in the run
  uint32_t accounts = 0;   // distinct accounts among them
  int64_t first_post = 0;  // the post of the run's first action
  bool operator==(const Burst&) const = default;
};

struct CoActionStats {
  uint64_t actions = 0;
  uint64_t keys = 0;             // distinct keys
  uint64_t shared_keys = 0;      // keys acted on by two or more accounts
  uint64_t pairs = 0;            // distinct co-actions counted (all edges)
  uint64_t crowded_posts = 0;    // actions crowded at the widest window
  uint64_t candidate_edges = 0;  // account pairs with a co-action
  uint64_t edges = 0;            // reported (weight threshold met)
};

struct CoActionResult {
  std::vector<int64_t> windows;  // sorted, distinct
  // Ordered by (account_a, account_b).
  std::vector<CoEdge> edges;
  // Ordered by (window, key, first_time).
  std::vector<Burst> bursts;
  CoActionStats stats;
};

// InvalidArgument for bad options (message names the option).
Status ValidateCoActionOptions(const CoActionOptions& options);

// Finds the co-action edges of one behaviour. `actions` may come in any
// order; the result does not depend on it. InvalidArgument for bad options
// or when one post id is given two different accounts or times. Times
// must lie within ±2^62 (differences may not overflow). Memory: about 56
// bytes per action plus 48 per emitted pair record (24, doubled while they
// are sorted); the pairs are at most actions × max_posts_in_window.
// Thread-safe (no shared state).
Result<CoActionResult> DetectCoActions(const std::vector<Action>& actions, Behaviour behaviour,
                                       const CoActionOptions& options);

// The resolution of a set of timestamps: the largest of 86400, 3600, 60 and
// 1 seconds that divides every time. Minute-resolution data (the IRA
// tweets) gives 60. Fewer than 3 distinct times are no evidence: 1.
int64_t DetectTimeResolution(const std::vector<int64_t>& times);

// Widens windows below the data's resolution: with times truncated to
// `resolution` r, two posts less than W < r apart show a difference of 0 or
// r, so r is the smallest window that misses none of them (it also admits
// posts up to 2r - 1 apart: the data cannot tell). Returns the widened
// windows (sorted, distinct) and appends one warning per widened window to
// *warnings (may be null).
std::vector<int64_t> WidenWindows(const std::vector<int64_t>& windows, int64_t resolution,
                                  std::vector<std::string>* warnings);

}  // namespace echotrace::coord

#endif  // ECHOTRACE_COORD_COACTIONS_H_
