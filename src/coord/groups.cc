// Group summaries: one pass over each behaviour's actions keeps the members'
// posts (for counts, span and burstiness) and, per group, the keys shared by
// two or more members; see groups.h for the definitions.
#include "coord/groups.h"

#include <algorithm>
#include <cmath>
#include <tuple>

namespace echotrace::coord {

namespace {

int32_t GroupOf(const std::vector<int32_t>& group_of_account, uint32_t account) {
  return account < group_of_account.size() ? group_of_account[account] : -1;
}

struct MemberAction {
  int32_t group;
  uint32_t account;
  uint64_t key;
  int64_t post;
};

// Appends to top[g] the keys of one behaviour shared by two or more members
// of group g, then trims each list to `top_keys`.
void SharedKeys(const std::vector<int32_t>& group_of_account, const ActionSet& set, size_t top_keys,
                std::vector<std::vector<SharedKey>>* top) {
  std::vector<MemberAction> m;
  for (const Action& a : *set.actions) {
    int32_t g = GroupOf(group_of_account, a.account);
    if (g >= 0) m.push_back({g, a.account, a.key, a.post});
  }
  std::sort(m.begin(), m.end(), [](const MemberAction& x, const MemberAction& y) {
    return std::tie(x.group, x.key, x.account, x.post) <
           std::tie(y.group, y.key, y.account, y.post);
  });
  for (size_t s = 0; s < m.size();) {
    size_t e = s;
    uint32_t accounts = 0, posts = 0;
    for (; e < m.size() && m[e].group == m[s].group && m[e].key == m[s].key; ++e) {
      if (e == s || m[e].account != m[e - 1].account) ++accounts;
      if (e == s || m[e].post != m[e - 1].post) ++posts;
    }
    if (accounts >= 2) (*top)[m[s].group].push_back({set.behaviour, m[s].key, accounts, posts});
    s = e;
  }
  for (std::vector<SharedKey>& list : *top) {
    std::sort(list.begin(), list.end(), [](const SharedKey& x, const SharedKey& y) {
      return std::make_tuple(-static_cast<int64_t>(x.accounts), -static_cast<int64_t>(x.posts),
                             static_cast<int>(x.behaviour), x.key) <
             std::make_tuple(-static_cast<int64_t>(y.accounts), -static_cast<int64_t>(y.posts),
                             static_cast<int>(y.behaviour), y.key);
    });
    if (list.size() > top_keys) list.resize(top_keys);
  }
}

}  // namespace

std::optional<double> Burstiness(std::vector<int64_t> times) {
  if (times.size() < 3) return std::nullopt;
  std::sort(times.begin(), times.end());
  const double n = static_cast<double>(times.size() - 1);
  double sum = 0, sum_sq = 0;
  for (size_t i = 1; i < times.size(); ++i) {
    const double tau = static_cast<double>(times[i] - times[i - 1]);
    sum += tau;
    sum_sq += tau * tau;
  }
  const double mean = sum / n;
  const double sigma = std::sqrt(std::max(0.0, sum_sq / n - mean * mean));
  if (sigma + mean == 0) return std::nullopt;
  return (sigma - mean) / (sigma + mean);
}

std::vector<GroupSummary> SummarizeGroups(const std::vector<int32_t>& group_of_account,
                                          const std::vector<ActionSet>& action_sets,
                                          const std::vector<CoEdge>& edges, size_t top_keys) {
  int32_t max_group = -1;
  for (int32_t g : group_of_account) max_group = std::max(max_group, g);
  std::vector<GroupSummary> out(static_cast<size_t>(max_group + 1));
  for (size_t g = 0; g < out.size(); ++g) out[g].group = static_cast<int32_t>(g);
  for (uint32_t a = 0; a < group_of_account.size(); ++a) {
    if (group_of_account[a] >= 0) out[group_of_account[a]].accounts.push_back(a);
  }

  // Posts (distinct post ids with their times) per group.
  std::vector<std::vector<std::pair<int64_t, int64_t>>> posts(out.size());
  std::vector<std::vector<SharedKey>> top(out.size());
  for (const ActionSet& set : action_sets) {
    for (const Action& a : *set.actions) {
      int32_t g = GroupOf(group_of_account, a.account);
      if (g >= 0) posts[g].emplace_back(a.post, a.time);
    }
    SharedKeys(group_of_account, set, top_keys, &top);
  }
  for (size_t g = 0; g < out.size(); ++g) {
    std::vector<std::pair<int64_t, int64_t>>& p = posts[g];
    std::sort(p.begin(), p.end());
    p.erase(std::unique(p.begin(), p.end(),
                        [](const auto& x, const auto& y) { return x.first == y.first; }),
            p.end());
    GroupSummary& s = out[g];
    s.posts = p.size();
    std::vector<int64_t> times;
    times.reserve(p.size());
    for (const auto& [post, time] : p) times.push_back(time);
    if (!times.empty()) {
      s.first_time = *std::min_element(times.begin(), times.end());
      s.last_time = *std::max_element(times.begin(), times.end());
    }
    s.burstiness = Burstiness(std::move(times));
    s.top_keys = std::move(top[g]);
    std::vector<std::pair<int64_t, int64_t>>().swap(p);
  }

  std::vector<std::vector<BehaviourFigures>> per(out.size(),
                                                 std::vector<BehaviourFigures>(kNumBehaviours));
  for (const CoEdge& e : edges) {
    int32_t g = GroupOf(group_of_account, e.account_a);
    if (g < 0 || g != GroupOf(group_of_account, e.account_b)) continue;
    BehaviourFigures& f = per[g][static_cast<int>(e.behaviour)];
    ++f.edges;
    f.weight += e.weight;
  }
  for (size_t g = 0; g < out.size(); ++g) {
    for (int b = 0; b < kNumBehaviours; ++b) {
      if (per[g][b].edges == 0) continue;
      per[g][b].behaviour = static_cast<Behaviour>(b);
      out[g].behaviours.push_back(per[g][b]);
    }
  }
  return out;
}

}  // namespace echotrace::coord
