// The coordination graph as GEXF 1.3 (Gephi's format, gexf.net) and as
// GraphML (graphml.graphdrawing.org; Gephi, yEd, igraph, NetworkX, Cytoscape
// read it), written as pure functions onto a stream.
//
// Nodes are accounts with attributes account (the name), group (-1: none)
// and posts; edges are undirected, one per (pair, behaviour) — a pair tied
// by two behaviours has two parallel edges (GEXF 1.3 `kind` = behaviour;
// GraphML allows parallel edges) — with attributes behaviour, weight,
// first_time, last_time (unix seconds), window (the tightest window, s),
// symmetry, then weight_<W>s for each window W of the graph (the co-actions
// counted at W; `weight` counts them at any window). Every string is untrusted (account names come
// from the data): it is XML-escaped (& < > " '), and characters XML 1.0 cannot carry at all (C0
// controls other than tab, LF and CR; U+FFFE, U+FFFF) and invalid UTF-8 become U+FFFD, so any input
// yields a well-formed document.
#ifndef ECHOTRACE_COORD_GRAPH_EXPORT_H_
#define ECHOTRACE_COORD_GRAPH_EXPORT_H_

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace echotrace::coord {

struct GraphNode {
  uint32_t id = 0;      // unique among the nodes
  std::string account;  // the account name, as given
  int32_t group = -1;
  uint64_t posts = 0;
};

struct GraphEdge {
  uint32_t source = 0;  // GraphNode::id values
  uint32_t target = 0;
  std::string behaviour;  // "co-post", ...
  uint64_t weight = 0;
  int64_t first_time = 0;
  int64_t last_time = 0;
  int64_t window = 0;
  double symmetry = 0.5;
  // The weight at each of CoordGraph::windows, in that order (missing
  // entries count as 0).
  std::vector<uint64_t> window_weights;
};

struct CoordGraph {
  std::vector<GraphNode> nodes;
  std::vector<GraphEdge> edges;
  std::vector<int64_t> windows;  // seconds, narrowest first
};

// Writes `s` escaped for XML text or a quoted attribute value (see above).
void AppendXmlEscaped(std::string_view s, std::string* out);

// Write the graph; the stream's state reports write errors. `creator`
// (e.g. "echotrace 0.1.0") goes into GEXF's <creator> and GraphML's <desc>.
// Nodes and edges are written in the order given. Thread-compatible.
void WriteGexf(const CoordGraph& graph, std::string_view creator, std::ostream& out);
void WriteGraphml(const CoordGraph& graph, std::string_view creator, std::ostream& out);

}  // namespace echotrace::coord

#endif  // ECHOTRACE_COORD_GRAPH_EXPORT_H_
