// Communities of the coordination graph: Leiden (Traag, Waltman, van Eck,
// "From Louvain to Leiden: guaranteeing well-connected communities",
// Scientific Reports 9, 5233, 2019) as implemented by libigraph
// (igraph_community_leiden), optimising weighted modularity with a
// resolution parameter:
//
//   Q = 1/(2m) Σ_ij (w_ij − γ k_i k_j / (2m)) δ(c_i, c_j)
//
// where w_ij is the edge weight, k_i the weighted degree (strength), m the
// total weight and γ the resolution. γ = 1 is classic modularity; γ > 1
// splits into more, smaller groups, γ < 1 merges. Leiden, unlike Louvain,
// guarantees every community is connected, which matters here: a "group"
// is read as accounts that act together, and a disconnected one would
// claim a tie the evidence does not show.
//
// Determinism: Leiden is randomised (the order nodes are visited and the
// refinement step). igraph draws from its own global RNG, which is seeded
// from `seed` on each call, and edges are merged and sorted first, so the
// same graph gives the same groups whatever the input order. Group ids are
// renumbered 0, 1, ... by decreasing size, ties by smallest node id.
#ifndef ECHOTRACE_COORD_COMMUNITIES_H_
#define ECHOTRACE_COORD_COMMUNITIES_H_

#include <cstdint>
#include <mutex>
#include <vector>

#include "echotrace/status.h"

namespace echotrace::coord {

struct WeightedEdge {
  uint32_t a = 0;  // node ids < num_nodes; a != b (self-loops are ignored)
  uint32_t b = 0;
  double weight = 1;  // > 0; parallel edges are summed
};

struct CommunityOptions {
  double resolution = 1.0;  // γ above, > 0
  // Leiden's randomness in the refinement step (igraph's beta), > 0.
  double beta = 0.01;
  uint64_t seed = 42;
  // Leiden iterations; negative: until an iteration changes nothing.
  int iterations = -1;
};

struct Communities {
  // Per node: its group, 0 .. num_groups - 1; -1 for a node without edges.
  std::vector<int32_t> group;
  int32_t num_groups = 0;
  double modularity = 0;  // Q above, at the chosen resolution
};

// Partitions the nodes 0 .. num_nodes - 1 of the undirected weighted graph.
// InvalidArgument for a bad option, an id >= num_nodes or a weight that is
// not a positive finite number; Internal when igraph fails. Thread-safe:
// calls are serialised by a process-wide mutex, because igraph's RNG and
// error handlers are global (other igraph users in this process must take
// IgraphMutex() too).
Result<Communities> DetectCommunities(uint32_t num_nodes, const std::vector<WeightedEdge>& edges,
                                      const CommunityOptions& options);

// The mutex that serialises use of igraph's global state in this process.
std::mutex& IgraphMutex();

}  // namespace echotrace::coord

#endif  // ECHOTRACE_COORD_COMMUNITIES_H_
