// Summaries of coordinated groups (the communities of communities.h): who is
// in a group, how much and when it posted, how bursty its activity is, which
// behaviours tie it together and which items (texts, links, parents,
// hashtag sequences) its members share most.
//
// Burstiness is Goh and Barabási's B ("Burstiness and memory in complex
// systems", EPL 81, 48002, 2008) over the inter-event times τ between
// consecutive posts of the whole group (time order, equal times give τ = 0):
//
//   B = (σ_τ − m_τ) / (σ_τ + m_τ)   in [−1, 1]
//
// −1 for perfectly periodic posting, about 0 for a Poisson process, towards
// 1 for activity concentrated in bursts (a ring firing together then
// falling silent). It is (CV − 1) / (CV + 1) of the coefficient of variation
// CV = σ/m, bounded where CV is not. σ is the population standard deviation.
#ifndef ECHOTRACE_COORD_GROUPS_H_
#define ECHOTRACE_COORD_GROUPS_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "coord/coactions.h"

namespace echotrace::coord {

// The actions of one behaviour, as given to DetectCoActions.
struct ActionSet {
  Behaviour behaviour = Behaviour::kCoPost;
  const std::vector<Action>* actions = nullptr;  // not owned
};

// An item the group's members share.
struct SharedKey {
  Behaviour behaviour = Behaviour::kCoPost;
  uint64_t key = 0;
  uint32_t accounts = 0;  // distinct members acting on it
  uint32_t posts = 0;     // distinct posts of members acting on it
  bool operator==(const SharedKey&) const = default;
};

struct BehaviourFigures {
  Behaviour behaviour = Behaviour::kCoPost;
  uint32_t edges = 0;   // edges of this behaviour inside the group
  uint64_t weight = 0;  // their summed weights (co-actions)
  bool operator==(const BehaviourFigures&) const = default;
};

struct GroupSummary {
  int32_t group = 0;
  std::vector<uint32_t> accounts;  // members, ascending
  // Distinct posts of members among the actions of every behaviour given.
  uint64_t posts = 0;
  int64_t first_time = 0;  // of those posts; 0 when there are none
  int64_t last_time = 0;
  // B above; empty with fewer than 3 posts or when every post has the same
  // time (m_τ = σ_τ = 0).
  std::optional<double> burstiness;
  // Behaviours with at least one edge inside the group, in Behaviour order.
  std::vector<BehaviourFigures> behaviours;
  // Items acted on by two or more members, most members first, then most
  // posts, then behaviour and key; at most `top_keys`.
  std::vector<SharedKey> top_keys;
};

// One summary per group 0 .. max(group_of_account), in group order.
// `group_of_account[a]` is account a's group or -1; accounts beyond its end
// are in no group. `edges` are the edges of every behaviour (an edge counts
// for a group when both accounts are in it). Thread-compatible.
std::vector<GroupSummary> SummarizeGroups(const std::vector<int32_t>& group_of_account,
                                          const std::vector<ActionSet>& action_sets,
                                          const std::vector<CoEdge>& edges, size_t top_keys);

// B above for a list of event times (any order); empty as described there.
std::optional<double> Burstiness(std::vector<int64_t> times);

}  // namespace echotrace::coord

#endif  // ECHOTRACE_COORD_GROUPS_H_
