// GEXF 1.3 and GraphML writers; see graph_export.h. Both are written by hand
// (a few fixed elements) rather than through an XML library: the only risk is
// escaping, which AppendXmlEscaped does for every string.
#include "coord/graph_export.h"

#include <cstdio>

#include "text/utf8.h"

namespace echotrace::coord {

namespace {

// Doubles in a locale-independent, round-trippable form.
std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::string Attr(std::string_view s) {
  std::string out;
  AppendXmlEscaped(s, &out);
  return out;
}

struct AttrDef {
  const char* name;
  const char* gexf_type;
  const char* graphml_type;
};

constexpr AttrDef kNodeAttrs[] = {
    {"account", "string", "string"}, {"group", "integer", "int"}, {"posts", "long", "long"}};
constexpr AttrDef kEdgeAttrs[] = {
    {"behaviour", "string", "string"}, {"weight", "long", "long"},
    {"first_time", "long", "long"},    {"last_time", "long", "long"},
    {"window", "long", "long"},        {"symmetry", "double", "double"}};

std::vector<std::string> NodeValues(const GraphNode& n) {
  return {n.account, std::to_string(n.group), std::to_string(n.posts)};
}

// The edge attributes: kEdgeAttrs, then one weight per window of the graph.
std::vector<AttrDef> EdgeAttrs(const CoordGraph& g, std::vector<std::string>* names) {
  std::vector<AttrDef> attrs(std::begin(kEdgeAttrs), std::end(kEdgeAttrs));
  names->clear();
  for (int64_t w : g.windows) names->push_back("weight_" + std::to_string(w) + "s");
  for (const std::string& n : *names) attrs.push_back({n.c_str(), "long", "long"});
  return attrs;
}

std::vector<std::string> EdgeValues(const CoordGraph& g, const GraphEdge& e) {
  std::vector<std::string> v = {e.behaviour,
                                std::to_string(e.weight),
                                std::to_string(e.first_time),
                                std::to_string(e.last_time),
                                std::to_string(e.window),
                                Num(e.symmetry)};
  for (size_t k = 0; k < g.windows.size(); ++k) {
    v.push_back(std::to_string(k < e.window_weights.size() ? e.window_weights[k] : 0));
  }
  return v;
}

}  // namespace

void AppendXmlEscaped(std::string_view s, std::string* out) {
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      switch (c) {
        case '&':
          *out += "&amp;";
          break;
        case '<':
          *out += "&lt;";
          break;
        case '>':
          *out += "&gt;";
          break;
        case '"':
          *out += "&quot;";
          break;
        case '\'':
          *out += "&apos;";
          break;
        case '\t':
          *out += "&#9;";  // kept as characters in attribute values, not normalised to spaces
          break;
        case '\n':
          *out += "&#10;";
          break;
        case '\r':
          *out += "&#13;";
          break;
        default:
          if (c < 0x20 || c == 0x7F) {
            AppendUtf8(0xFFFD, out);  // not representable in XML 1.0 (DEL is, but is noise)
          } else {
            *out += static_cast<char>(c);
          }
      }
      continue;
    }
    char32_t cp = DecodeUtf8(s, &i);
    if (cp == 0xFFFE || cp == 0xFFFF) cp = 0xFFFD;
    AppendUtf8(cp, out);
  }
}

void WriteGexf(const CoordGraph& graph, std::string_view creator, std::ostream& out) {
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<gexf xmlns=\"http://gexf.net/1.3\" "
         "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
         "xsi:schemaLocation=\"http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd\" "
         "version=\"1.3\">\n"
      << "  <meta>\n    <creator>" << Attr(creator) << "</creator>\n"
      << "    <description>coordination network: accounts linked by co-actions</description>\n"
      << "  </meta>\n"
      << "  <graph mode=\"static\" defaultedgetype=\"undirected\">\n"
      << "    <attributes class=\"node\">\n";
  for (size_t i = 0; i < std::size(kNodeAttrs); ++i) {
    out << "      <attribute id=\"" << i << "\" title=\"" << kNodeAttrs[i].name << "\" type=\""
        << kNodeAttrs[i].gexf_type << "\"/>\n";
  }
  out << "    </attributes>\n    <attributes class=\"edge\">\n";
  std::vector<std::string> names;
  const std::vector<AttrDef> edge_attrs = EdgeAttrs(graph, &names);
  for (size_t i = 0; i < edge_attrs.size(); ++i) {
    out << "      <attribute id=\"" << i << "\" title=\"" << edge_attrs[i].name << "\" type=\""
        << edge_attrs[i].gexf_type << "\"/>\n";
  }
  out << "    </attributes>\n    <nodes>\n";
  for (const GraphNode& n : graph.nodes) {
    out << "      <node id=\"n" << n.id << "\" label=\"" << Attr(n.account) << "\">\n"
        << "        <attvalues>\n";
    std::vector<std::string> v = NodeValues(n);
    for (size_t i = 0; i < v.size(); ++i) {
      out << "          <attvalue for=\"" << i << "\" value=\"" << Attr(v[i]) << "\"/>\n";
    }
    out << "        </attvalues>\n      </node>\n";
  }
  out << "    </nodes>\n    <edges>\n";
  for (size_t k = 0; k < graph.edges.size(); ++k) {
    const GraphEdge& e = graph.edges[k];
    out << "      <edge id=\"e" << k << "\" source=\"n" << e.source << "\" target=\"n" << e.target
        << "\" kind=\"" << Attr(e.behaviour) << "\" weight=\"" << e.weight << "\">\n"
        << "        <attvalues>\n";
    std::vector<std::string> v = EdgeValues(graph, e);
    for (size_t i = 0; i < v.size(); ++i) {
      out << "          <attvalue for=\"" << i << "\" value=\"" << Attr(v[i]) << "\"/>\n";
    }
    out << "        </attvalues>\n      </edge>\n";
  }
  out << "    </edges>\n  </graph>\n</gexf>\n";
}

void WriteGraphml(const CoordGraph& graph, std::string_view creator, std::ostream& out) {
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" "
         "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
         "xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns "
         "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n"
      << "  <desc>" << Attr(creator) << ": coordination network</desc>\n";
  for (const AttrDef& a : kNodeAttrs) {
    out << "  <key id=\"n_" << a.name << "\" for=\"node\" attr.name=\"" << a.name
        << "\" attr.type=\"" << a.graphml_type << "\"/>\n";
  }
  std::vector<std::string> names;
  const std::vector<AttrDef> edge_attrs = EdgeAttrs(graph, &names);
  for (const AttrDef& a : edge_attrs) {
    out << "  <key id=\"e_" << a.name << "\" for=\"edge\" attr.name=\"" << a.name
        << "\" attr.type=\"" << a.graphml_type << "\"/>\n";
  }
  out << "  <graph id=\"coordination\" edgedefault=\"undirected\">\n";
  for (const GraphNode& n : graph.nodes) {
    out << "    <node id=\"n" << n.id << "\">\n";
    std::vector<std::string> v = NodeValues(n);
    for (size_t i = 0; i < v.size(); ++i) {
      out << "      <data key=\"n_" << kNodeAttrs[i].name << "\">" << Attr(v[i]) << "</data>\n";
    }
    out << "    </node>\n";
  }
  for (size_t k = 0; k < graph.edges.size(); ++k) {
    const GraphEdge& e = graph.edges[k];
    out << "    <edge id=\"e" << k << "\" source=\"n" << e.source << "\" target=\"n" << e.target
        << "\">\n";
    std::vector<std::string> v = EdgeValues(graph, e);
    for (size_t i = 0; i < v.size(); ++i) {
      out << "      <data key=\"e_" << edge_attrs[i].name << "\">" << Attr(v[i]) << "</data>\n";
    }
    out << "    </edge>\n";
  }
  out << "  </graph>\n</graphml>\n";
}

}  // namespace echotrace::coord
