// Leiden communities through libigraph; see communities.h for the objective
// and the reference. igraph's modularity objective is expressed through its
// generic quality function: node weights = strengths and resolution
// parameter = γ / (2m) (igraph_community_leiden documentation).
#include "coord/communities.h"

#include <igraph/igraph.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

namespace echotrace::coord {

namespace {

// Owns the igraph objects of one call; destroys whatever was initialised.
struct IgraphCall {
  igraph_t graph;
  igraph_vector_int_t edge_list, membership;
  igraph_vector_t weights, strength;
  bool has_graph = false, has_edges = false, has_membership = false, has_weights = false,
       has_strength = false;
  igraph_error_handler_t* old_error = nullptr;
  igraph_warning_handler_t* old_warning = nullptr;

  IgraphCall() {
    old_error = igraph_set_error_handler(igraph_error_handler_ignore);
    old_warning = igraph_set_warning_handler(igraph_warning_handler_ignore);
  }
  ~IgraphCall() {
    if (has_graph) igraph_destroy(&graph);
    if (has_edges) igraph_vector_int_destroy(&edge_list);
    if (has_membership) igraph_vector_int_destroy(&membership);
    if (has_weights) igraph_vector_destroy(&weights);
    if (has_strength) igraph_vector_destroy(&strength);
    igraph_set_error_handler(old_error);
    igraph_set_warning_handler(old_warning);
  }
};

Status IgraphStatus(igraph_error_t rc, const char* doing) {
  return Status::Internal(std::string("communities: igraph failed ") + doing + ": " +
                          igraph_strerror(rc));
}

// Sorted (a < b) with parallel edges summed and self-loops dropped.
Result<std::vector<WeightedEdge>> MergeEdges(uint32_t num_nodes,
                                             const std::vector<WeightedEdge>& edges) {
  std::vector<WeightedEdge> out;
  out.reserve(edges.size());
  for (const WeightedEdge& e : edges) {
    if (e.a >= num_nodes || e.b >= num_nodes) {
      return Status::InvalidArgument("communities: edge (" + std::to_string(e.a) + ", " +
                                     std::to_string(e.b) +
                                     ") names a node >= " + std::to_string(num_nodes));
    }
    if (!(e.weight > 0) || !std::isfinite(e.weight)) {
      return Status::InvalidArgument("communities: edge weights must be positive and finite");
    }
    if (e.a == e.b) continue;
    out.push_back({std::min(e.a, e.b), std::max(e.a, e.b), e.weight});
  }
  std::sort(out.begin(), out.end(), [](const WeightedEdge& x, const WeightedEdge& y) {
    return x.a != y.a ? x.a < y.a : x.b < y.b;
  });
  size_t k = 0;
  for (size_t i = 0; i < out.size(); ++i) {
    if (k > 0 && out[k - 1].a == out[i].a && out[k - 1].b == out[i].b) {
      out[k - 1].weight += out[i].weight;
    } else {
      out[k++] = out[i];
    }
  }
  out.resize(k);
  return out;
}

// Renumbers groups by decreasing size, ties by smallest node; nodes without
// edges get -1.
void Renumber(const std::vector<igraph_integer_t>& raw, const std::vector<bool>& has_edge,
              Communities* c) {
  const size_t n = raw.size();
  igraph_integer_t max_label = -1;
  for (size_t i = 0; i < n; ++i) {
    if (has_edge[i]) max_label = std::max(max_label, raw[i]);
  }
  std::vector<size_t> size(static_cast<size_t>(max_label + 1), 0);
  std::vector<size_t> first(size.size(), n);
  for (size_t i = 0; i < n; ++i) {
    if (!has_edge[i]) continue;
    size_t g = static_cast<size_t>(raw[i]);
    ++size[g];
    first[g] = std::min(first[g], i);
  }
  std::vector<size_t> order;
  for (size_t g = 0; g < size.size(); ++g) {
    if (size[g] > 0) order.push_back(g);
  }
  std::sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    return size[x] != size[y] ? size[x] > size[y] : first[x] < first[y];
  });
  std::vector<int32_t> relabel(size.size(), -1);
  for (size_t k = 0; k < order.size(); ++k) relabel[order[k]] = static_cast<int32_t>(k);
  c->num_groups = static_cast<int32_t>(order.size());
  c->group.assign(n, -1);
  for (size_t i = 0; i < n; ++i) {
    if (has_edge[i]) c->group[i] = relabel[static_cast<size_t>(raw[i])];
  }
}

// Q of the partition on the merged edges (see communities.h).
double Modularity(uint32_t num_nodes, const std::vector<WeightedEdge>& edges,
                  const std::vector<int32_t>& group, double resolution) {
  double m = 0;
  std::vector<double> strength(num_nodes, 0);
  for (const WeightedEdge& e : edges) {
    m += e.weight;
    strength[e.a] += e.weight;
    strength[e.b] += e.weight;
  }
  if (m == 0) return 0;
  double inside = 0;
  for (const WeightedEdge& e : edges) {
    if (group[e.a] == group[e.b]) inside += 2 * e.weight;
  }
  std::vector<double> total;
  for (uint32_t i = 0; i < num_nodes; ++i) {
    if (group[i] < 0) continue;
    if (static_cast<size_t>(group[i]) >= total.size()) total.resize(group[i] + 1, 0);
    total[group[i]] += strength[i];
  }
  double expected = 0;
  for (double t : total) expected += t * t;
  return (inside - resolution * expected / (2 * m)) / (2 * m);
}

}  // namespace

std::mutex& IgraphMutex() {
  static std::mutex mu;
  return mu;
}

Result<Communities> DetectCommunities(uint32_t num_nodes, const std::vector<WeightedEdge>& edges,
                                      const CommunityOptions& options) {
  if (!(options.resolution > 0) || !std::isfinite(options.resolution)) {
    return Status::InvalidArgument("communities: the resolution must be a positive number");
  }
  if (!(options.beta > 0) || !std::isfinite(options.beta)) {
    return Status::InvalidArgument("communities: beta must be a positive number");
  }
  ET_ASSIGN_OR_RETURN(std::vector<WeightedEdge> merged, MergeEdges(num_nodes, edges));
  Communities c;
  std::vector<bool> has_edge(num_nodes, false);
  for (const WeightedEdge& e : merged) has_edge[e.a] = has_edge[e.b] = true;
  if (merged.empty()) {
    c.group.assign(num_nodes, -1);
    return c;
  }
  double total = 0;
  for (const WeightedEdge& e : merged) total += e.weight;

  std::vector<igraph_integer_t> raw(num_nodes);
  {
    std::lock_guard<std::mutex> lock(IgraphMutex());
    IgraphCall call;
    igraph_error_t rc;
    // Seeds are 32-bit for mt19937 (igraph's default): fold the 64-bit seed.
    // The default generator is seeded in place (igraph_rng_set_default
    // copies the generator in 0.10, so a private one cannot be swapped in
    // cleanly); it is global state, hence the mutex.
    if ((rc = igraph_rng_seed(igraph_rng_default(),
                              static_cast<igraph_uint_t>(options.seed ^ (options.seed >> 32)))) !=
        IGRAPH_SUCCESS) {
      return IgraphStatus(rc, "seeding its random number generator");
    }
    if ((rc = igraph_vector_int_init(&call.edge_list, 2 * static_cast<igraph_integer_t>(
                                                              merged.size()))) != IGRAPH_SUCCESS) {
      return IgraphStatus(rc, "allocating the edge list");
    }
    call.has_edges = true;
    if ((rc = igraph_vector_init(&call.weights, static_cast<igraph_integer_t>(merged.size()))) !=
        IGRAPH_SUCCESS) {
      return IgraphStatus(rc, "allocating the weights");
    }
    call.has_weights = true;
    for (size_t i = 0; i < merged.size(); ++i) {
      VECTOR(call.edge_list)[2 * i] = merged[i].a;
      VECTOR(call.edge_list)[2 * i + 1] = merged[i].b;
      VECTOR(call.weights)[i] = merged[i].weight;
    }
    if ((rc = igraph_create(&call.graph, &call.edge_list, num_nodes, IGRAPH_UNDIRECTED)) !=
        IGRAPH_SUCCESS) {
      return IgraphStatus(rc, "building the graph");
    }
    call.has_graph = true;
    if ((rc = igraph_vector_init(&call.strength, num_nodes)) != IGRAPH_SUCCESS) {
      return IgraphStatus(rc, "allocating strengths");
    }
    call.has_strength = true;
    if ((rc = igraph_strength(&call.graph, &call.strength, igraph_vss_all(), IGRAPH_ALL,
                              IGRAPH_LOOPS, &call.weights)) != IGRAPH_SUCCESS) {
      return IgraphStatus(rc, "computing strengths");
    }
    if ((rc = igraph_vector_int_init(&call.membership, num_nodes)) != IGRAPH_SUCCESS) {
      return IgraphStatus(rc, "allocating the membership");
    }
    call.has_membership = true;
    igraph_integer_t clusters = 0;
    igraph_real_t quality = 0;
    rc = igraph_community_leiden(
        &call.graph, &call.weights, &call.strength, options.resolution / (2 * total), options.beta,
        /*start=*/false, options.iterations, &call.membership, &clusters, &quality);
    if (rc != IGRAPH_SUCCESS) return IgraphStatus(rc, "in Leiden");
    for (uint32_t i = 0; i < num_nodes; ++i) raw[i] = VECTOR(call.membership)[i];
  }
  Renumber(raw, has_edge, &c);
  c.modularity = Modularity(num_nodes, merged, c.group, options.resolution);
  return c;
}

}  // namespace echotrace::coord
