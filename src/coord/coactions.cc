// Co-action detection: sorted key groups, two-pointer crowding counts, a
// bounded look-back per post, then one sort of the emitted post pairs by
// edge. See coactions.h for the definitions and references.
#include "coord/coactions.h"

#include <algorithm>
#include <bit>
#include <cstdio>
#include <numeric>
#include <tuple>

namespace echotrace::coord {

namespace {

constexpr size_t kMaxWindows = 32;

// An action with its dense post index (dense order == post id order).
struct Act {
  uint64_t key;
  int64_t time;
  int64_t post;
  uint32_t account;
  uint32_t dense;
};

// One counted co-action before merging: `posts` is (dense post of account
// a) << 32 | (dense post of account b); `act_a` is the action of account a,
// whose key is the shared one.
struct PairRec {
  uint64_t edge;  // account_a << 32 | account_b
  uint64_t posts;
  uint32_t mask;  // windows at which the pair is counted
  uint32_t act_a;
};

// Sorts actions by post, checks that each post has one account and time,
// assigns dense post indexes, then sorts by (key, time, account, post) and
// drops repeated (key, post) actions.
Status PrepareActions(const std::vector<Action>& actions, std::vector<Act>* acts,
                      std::vector<int64_t>* post_ids, std::vector<int64_t>* post_times) {
  acts->reserve(actions.size());
  for (const Action& a : actions) acts->push_back(Act{a.key, a.time, a.post, a.account, 0});
  std::sort(acts->begin(), acts->end(), [](const Act& x, const Act& y) { return x.post < y.post; });
  for (size_t i = 0; i < acts->size(); ++i) {
    Act& a = (*acts)[i];
    if (i > 0 && (*acts)[i - 1].post == a.post) {
      const Act& p = (*acts)[i - 1];
      if (p.account != a.account || p.time != a.time) {
        return Status::InvalidArgument("co-actions: post " + std::to_string(a.post) +
                                       " is given two different accounts or times");
      }
      a.dense = p.dense;
      continue;
    }
    a.dense = static_cast<uint32_t>(post_ids->size());
    post_ids->push_back(a.post);
    post_times->push_back(a.time);
  }
  std::sort(acts->begin(), acts->end(), [](const Act& x, const Act& y) {
    return std::tie(x.key, x.time, x.account, x.post) < std::tie(y.key, y.time, y.account, y.post);
  });
  acts->erase(
      std::unique(acts->begin(), acts->end(),
                  [](const Act& x, const Act& y) { return x.key == y.key && x.post == y.post; }),
      acts->end());
  return Status::OK();
}

// For the key group acts[s, e): the number of windows (a prefix of the
// sorted windows) at which each action is NOT crowded, into limit[s, e).
void CountCrowding(const std::vector<Act>& acts, size_t s, size_t e,
                   const std::vector<int64_t>& windows, uint32_t cap, std::vector<uint8_t>* limit) {
  const uint8_t nw = static_cast<uint8_t>(windows.size());
  for (size_t i = s; i < e; ++i) (*limit)[i] = nw;
  if (cap == 0 || e - s <= cap) return;  // nobody can have more than `cap` neighbours
  // Widest first: a post crowded at W is crowded at every wider window, so
  // limit[i] ends as the first window (from the narrow end) that crowds it.
  for (int w = static_cast<int>(nw) - 1; w >= 0; --w) {
    const int64_t win = windows[w];
    size_t lo = s, hi = s;
    for (size_t i = s; i < e; ++i) {
      while (acts[i].time - acts[lo].time > win) ++lo;
      while (hi < e && acts[hi].time - acts[i].time <= win) ++hi;
      if (hi - lo > cap) (*limit)[i] = static_cast<uint8_t>(w);
    }
  }
}

// Appends the bursts of key group acts[s, e): maximal runs of actions
// crowded at window w, with at least two accounts.
void CollectBursts(const std::vector<Act>& acts, size_t s, size_t e,
                   const std::vector<uint8_t>& limit, size_t nw, std::vector<Burst>* bursts) {
  std::vector<uint32_t> accounts;
  for (size_t w = 0; w < nw; ++w) {
    size_t i = s;
    while (i < e) {
      if (limit[i] > w) {
        ++i;
        continue;
      }
      size_t j = i;
      accounts.clear();
      while (j < e && limit[j] <= w) accounts.push_back(acts[j++].account);
      std::sort(accounts.begin(), accounts.end());
      size_t distinct = std::unique(accounts.begin(), accounts.end()) - accounts.begin();
      if (distinct >= 2) {
        bursts->push_back(Burst{acts[i].key, static_cast<int>(w), acts[i].time, acts[j - 1].time,
                                static_cast<uint32_t>(j - i), static_cast<uint32_t>(distinct),
                                acts[i].post});
      }
      i = j;
    }
  }
}

// Emits the counted pairs of key group acts[s, e).
void EmitPairs(const std::vector<Act>& acts, size_t s, size_t e,
               const std::vector<int64_t>& windows, const std::vector<uint8_t>& limit,
               std::vector<PairRec>* out) {
  for (size_t i = s + 1; i < e; ++i) {
    const uint8_t li = limit[i];
    if (li == 0) continue;
    const int64_t reach = windows[li - 1];
    const Act& x = acts[i];
    for (size_t j = i; j-- > s;) {
      const Act& y = acts[j];
      const int64_t dt = x.time - y.time;
      if (dt > reach) break;
      if (y.account == x.account) continue;
      const uint8_t top = std::min(li, limit[j]);
      // Windows are sorted: the pair is counted at windows [first, top).
      uint8_t first = 0;
      while (first < top && windows[first] < dt) ++first;
      if (first >= top) continue;
      const uint32_t mask =
          static_cast<uint32_t>(((uint64_t{1} << top) - 1) ^ ((uint64_t{1} << first) - 1));
      const bool x_is_a = x.account < y.account;
      const Act& a = x_is_a ? x : y;
      const Act& b = x_is_a ? y : x;
      out->push_back(PairRec{(uint64_t{a.account} << 32) | b.account,
                             (uint64_t{a.dense} << 32) | b.dense, mask,
                             static_cast<uint32_t>(x_is_a ? i : j)});
    }
  }
}

// Sorts pair records by (edge, posts). When every account id is below 2^16
// (the usual case: ids are dense), two stable counting-sort passes order
// them by edge and each edge's few records are then sorted by posts, which
// is several times faster than one comparison sort of the whole array.
void SortPairs(std::vector<PairRec>* recs) {
  auto by_posts = [](const PairRec& x, const PairRec& y) { return x.posts < y.posts; };
  uint64_t any_high = 0;
  for (const PairRec& r : *recs) any_high |= r.edge & 0xFFFF0000FFFF0000ull;
  if (any_high != 0) {
    std::sort(recs->begin(), recs->end(), [](const PairRec& x, const PairRec& y) {
      return x.edge != y.edge ? x.edge < y.edge : x.posts < y.posts;
    });
    return;
  }
  std::vector<PairRec> tmp(recs->size());
  std::vector<size_t> start(65537);
  for (int shift : {0, 32}) {  // account_b, then account_a
    std::fill(start.begin(), start.end(), 0);
    for (const PairRec& r : *recs) ++start[((r.edge >> shift) & 0xFFFF) + 1];
    for (size_t d = 1; d < start.size(); ++d) start[d] += start[d - 1];
    for (const PairRec& r : *recs) tmp[start[(r.edge >> shift) & 0xFFFF]++] = r;
    recs->swap(tmp);
  }
  for (size_t s = 0; s < recs->size();) {
    size_t e = s + 1;
    while (e < recs->size() && (*recs)[e].edge == (*recs)[s].edge) ++e;
    if (e - s > 1) std::sort(recs->begin() + s, recs->begin() + e, by_posts);
    s = e;
  }
}

struct EvidenceCand {
  int64_t min_time;
  CoActionPair pair;          // key filled in only for the pairs kept
  size_t rec_begin, rec_end;  // the records of this post pair
};

// Buffers reused from one edge to the next.
struct EdgeScratch {
  std::vector<uint32_t> posts_b;
  std::vector<EvidenceCand> cands;
};

// Merges the sorted pair records of one edge, recs[s, e), into an edge.
// Returns false when the edge holds at no window.
bool BuildEdge(const std::vector<PairRec>& recs, size_t s, size_t e, const std::vector<Act>& acts,
               const std::vector<int64_t>& post_ids, const std::vector<int64_t>& post_times,
               size_t nw, const CoActionOptions& options, uint64_t* distinct_pairs,
               EdgeScratch* scratch, CoEdge* edge) {
  edge->account_a = static_cast<uint32_t>(recs[s].edge >> 32);
  edge->account_b = static_cast<uint32_t>(recs[s].edge);
  edge->window_weights.assign(nw, 0);
  edge->first_time = INT64_MAX;
  edge->last_time = INT64_MIN;
  std::vector<uint32_t>& posts_b = scratch->posts_b;
  std::vector<EvidenceCand>& cands = scratch->cands;
  posts_b.clear();
  cands.clear();
  uint32_t last_pa = UINT32_MAX;
  for (size_t i = s; i < e;) {
    uint32_t mask = 0;
    size_t j = i;
    for (; j < e && recs[j].posts == recs[i].posts; ++j) mask |= recs[j].mask;
    const size_t rec_begin = i;
    const uint32_t pa = static_cast<uint32_t>(recs[i].posts >> 32);
    const uint32_t pb = static_cast<uint32_t>(recs[i].posts);
    i = j;
    ++edge->weight;
    for (size_t w = 0; w < nw; ++w) edge->window_weights[w] += (mask >> w) & 1;
    if (pa != last_pa) ++edge->posts_a;
    last_pa = pa;
    posts_b.push_back(pb);
    const int64_t ta = post_times[pa], tb = post_times[pb];
    edge->first_time = std::min(edge->first_time, std::min(ta, tb));
    edge->last_time = std::max(edge->last_time, std::max(ta, tb));
    if (options.evidence_per_edge > 0) {
      cands.push_back(
          EvidenceCand{std::min(ta, tb), {post_ids[pa], post_ids[pb], ta, tb, 0}, rec_begin, j});
    }
  }
  *distinct_pairs += edge->weight;
  edge->tightest = -1;
  for (size_t w = 0; w < nw; ++w) {
    if (edge->window_weights[w] >= options.min_weight) {
      edge->tightest = static_cast<int>(w);
      break;
    }
  }
  if (edge->tightest < 0) return false;
  std::sort(posts_b.begin(), posts_b.end());
  edge->posts_b =
      static_cast<uint32_t>(std::unique(posts_b.begin(), posts_b.end()) - posts_b.begin());
  edge->symmetry =
      static_cast<double>(std::max(edge->posts_a, edge->posts_b)) / (edge->posts_a + edge->posts_b);
  const size_t keep = std::min<size_t>(cands.size(), options.evidence_per_edge);
  std::partial_sort(cands.begin(), cands.begin() + keep, cands.end(),
                    [](const EvidenceCand& x, const EvidenceCand& y) {
                      return std::tie(x.min_time, x.pair.post_a, x.pair.post_b) <
                             std::tie(y.min_time, y.pair.post_a, y.pair.post_b);
                    });
  edge->evidence.reserve(keep);
  for (size_t k = 0; k < keep; ++k) {
    // The smallest shared key, looked up only for the pairs kept (a random
    // access into the actions per record is what the hot loop avoids).
    uint64_t key = UINT64_MAX;
    for (size_t r = cands[k].rec_begin; r < cands[k].rec_end; ++r) {
      key = std::min(key, acts[recs[r].act_a].key);
    }
    cands[k].pair.key = key;
    edge->evidence.push_back(cands[k].pair);
  }
  return true;
}

}  // namespace

const char* BehaviourName(Behaviour b) {
  switch (b) {
    case Behaviour::kCoPost:
      return "co-post";
    case Behaviour::kCoSimilar:
      return "co-similar";
    case Behaviour::kCoLink:
      return "co-link";
    case Behaviour::kCoReply:
      return "co-reply";
    case Behaviour::kCoRepost:
      return "co-repost";
    case Behaviour::kCoHashtag:
      return "co-hashtag";
  }
  return "unknown";
}

Status ValidateCoActionOptions(const CoActionOptions& options) {
  if (options.windows.empty()) {
    return Status::InvalidArgument("windows: give at least one time window (seconds)");
  }
  for (int64_t w : options.windows) {
    if (w < 0) {
      return Status::InvalidArgument("windows: " + std::to_string(w) +
                                     " is negative; a window is seconds >= 0");
    }
  }
  std::vector<int64_t> sorted = options.windows;
  std::sort(sorted.begin(), sorted.end());
  if (std::unique(sorted.begin(), sorted.end()) - sorted.begin() >
      static_cast<ptrdiff_t>(kMaxWindows)) {
    return Status::InvalidArgument("windows: at most 32 distinct windows");
  }
  if (options.min_weight < 1) {
    return Status::InvalidArgument("min_weight: must be at least 1");
  }
  return Status::OK();
}

Result<CoActionResult> DetectCoActions(const std::vector<Action>& actions, Behaviour behaviour,
                                       const CoActionOptions& options) {
  ET_RETURN_IF_ERROR(ValidateCoActionOptions(options));
  CoActionResult result;
  result.windows = options.windows;
  std::sort(result.windows.begin(), result.windows.end());
  result.windows.erase(std::unique(result.windows.begin(), result.windows.end()),
                       result.windows.end());
  const std::vector<int64_t>& windows = result.windows;
  const size_t nw = windows.size();

  std::vector<Act> acts;
  std::vector<int64_t> post_ids, post_times;
  ET_RETURN_IF_ERROR(PrepareActions(actions, &acts, &post_ids, &post_times));
  result.stats.actions = acts.size();

  std::vector<uint8_t> limit(acts.size(), 0);
  std::vector<PairRec> recs;
  for (size_t s = 0; s < acts.size();) {
    size_t e = s + 1;
    bool shared = false;
    for (; e < acts.size() && acts[e].key == acts[s].key; ++e) {
      shared = shared || acts[e].account != acts[s].account;
    }
    ++result.stats.keys;
    CountCrowding(acts, s, e, windows, options.max_posts_in_window, &limit);
    for (size_t i = s; i < e; ++i) result.stats.crowded_posts += limit[i] < nw;
    if (shared) {
      ++result.stats.shared_keys;
      CollectBursts(acts, s, e, limit, nw, &result.bursts);
      EmitPairs(acts, s, e, windows, limit, &recs);
    }
    s = e;
  }
  std::vector<uint8_t>().swap(limit);

  SortPairs(&recs);
  EdgeScratch scratch;
  for (size_t s = 0; s < recs.size();) {
    size_t e = s + 1;
    while (e < recs.size() && recs[e].edge == recs[s].edge) ++e;
    ++result.stats.candidate_edges;
    CoEdge edge;
    edge.behaviour = behaviour;
    if (BuildEdge(recs, s, e, acts, post_ids, post_times, nw, options, &result.stats.pairs,
                  &scratch, &edge)) {
      result.edges.push_back(std::move(edge));
    }
    s = e;
  }
  result.stats.edges = result.edges.size();
  std::sort(result.bursts.begin(), result.bursts.end(), [](const Burst& x, const Burst& y) {
    return std::tie(x.window, x.key, x.first_time) < std::tie(y.window, y.key, y.first_time);
  });
  return result;
}

int64_t DetectTimeResolution(const std::vector<int64_t>& times) {
  static constexpr int64_t kCandidates[] = {86400, 3600, 60};
  std::vector<int64_t> distinct;
  for (int64_t t : times) {
    if (distinct.size() >= 3) break;
    if (std::find(distinct.begin(), distinct.end(), t) == distinct.end()) distinct.push_back(t);
  }
  if (distinct.size() < 3) return 1;
  for (int64_t r : kCandidates) {
    bool all = true;
    for (int64_t t : times) {
      if (t % r != 0) {
        all = false;
        break;
      }
    }
    if (all) return r;
  }
  return 1;
}

std::vector<int64_t> WidenWindows(const std::vector<int64_t>& windows, int64_t resolution,
                                  std::vector<std::string>* warnings) {
  std::vector<int64_t> out;
  for (int64_t w : windows) {
    if (w < resolution) {
      if (warnings) {
        warnings->push_back(
            "window " + std::to_string(w) + " s is below the " + std::to_string(resolution) +
            " s resolution of the timestamps; widened to " + std::to_string(resolution) + " s");
      }
      w = resolution;
    }
    out.push_back(w);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace echotrace::coord
