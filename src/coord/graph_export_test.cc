// GEXF and GraphML: well-formed XML whatever the account names hold, with
// every value escaped and read back unchanged.
#include "coord/graph_export.h"

#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace echotrace::coord {
namespace {

// A strict little XML checker for what the writers produce: elements nest,
// attribute values are quoted, '<' never appears in text or values, and
// every '&' starts one of the five named references or a numeric one.
// Collects every attribute value and text node, unescaped, in order.
class XmlChecker {
 public:
  explicit XmlChecker(std::string doc) : s_(std::move(doc)) {}

  // Returns "" when well-formed, otherwise what is wrong.
  std::string Check() {
    if (s_.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", 0) != 0) return "no declaration";
    i_ = s_.find("?>") + 2;
    std::vector<std::string> open;
    bool root_seen = false;
    while (i_ < s_.size()) {
      if (s_[i_] != '<') {
        std::string text;
        std::string err = ReadText('<', &text);
        if (!err.empty()) return err;
        if (open.empty() && text.find_first_not_of(" \n") != std::string::npos) {
          return "text outside the root";
        }
        if (!open.empty() && text.find_first_not_of(" \n") != std::string::npos) {
          values_.push_back(text);
        }
        continue;
      }
      ++i_;
      if (i_ < s_.size() && s_[i_] == '/') {
        ++i_;
        std::string name = ReadName();
        if (open.empty() || open.back() != name) return "mismatched </" + name + ">";
        open.pop_back();
        if (i_ >= s_.size() || s_[i_] != '>') return "bad end tag";
        ++i_;
        continue;
      }
      std::string name = ReadName();
      if (name.empty()) return "empty element name at " + std::to_string(i_);
      if (open.empty()) {
        if (root_seen) return "two roots";
        root_seen = true;
      }
      std::map<std::string, bool> attrs;
      while (true) {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n')) ++i_;
        if (i_ >= s_.size()) return "unterminated tag";
        if (s_[i_] == '>') {
          ++i_;
          open.push_back(name);
          break;
        }
        if (s_.compare(i_, 2, "/>") == 0) {
          i_ += 2;
          break;
        }
        std::string attr = ReadName();
        if (attr.empty()) return "bad attribute in <" + name + ">";
        if (attrs[attr]) return "duplicate attribute " + attr;
        attrs[attr] = true;
        if (s_.compare(i_, 2, "=\"") != 0) return "unquoted attribute " + attr;
        i_ += 2;
        std::string value;
        std::string err = ReadText('"', &value);
        if (!err.empty()) return err;
        ++i_;  // the closing quote
        values_.push_back(value);
      }
    }
    if (!open.empty()) return "unclosed <" + open.back() + ">";
    return root_seen ? "" : "no root";
  }

  const std::vector<std::string>& values() const { return values_; }

 private:
  std::string ReadName() {
    size_t start = i_;
    while (i_ < s_.size() && (isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_' ||
                              s_[i_] == ':' || s_[i_] == '.' || s_[i_] == '-')) {
      ++i_;
    }
    return s_.substr(start, i_ - start);
  }

  // Reads up to `end` (not consumed), unescaping references.
  std::string ReadText(char end, std::string* out) {
    static const std::map<std::string, std::string> kNamed = {
        {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}};
    while (i_ < s_.size() && s_[i_] != end) {
      char c = s_[i_];
      if (c == '<') return "raw '<' in text or value";
      if (end == '"' && c == '>') return "raw '>' in a value";
      if (c != '&') {
        *out += c;
        ++i_;
        continue;
      }
      size_t semi = s_.find(';', i_);
      if (semi == std::string::npos) return "unterminated reference";
      std::string ref = s_.substr(i_ + 1, semi - i_ - 1);
      if (ref.size() > 1 && ref[0] == '#') {
        for (size_t k = 1; k < ref.size(); ++k) {
          if (!isdigit(static_cast<unsigned char>(ref[k]))) return "bad reference &" + ref;
        }
        *out += static_cast<char>(std::stoi(ref.substr(1)));
      } else if (kNamed.count(ref)) {
        *out += kNamed.at(ref);
      } else {
        return "bad reference &" + ref + ";";
      }
      i_ = semi + 1;
    }
    if (i_ >= s_.size() && end != '<') return "unterminated value";
    return "";
  }

  std::string s_;
  size_t i_ = 0;
  std::vector<std::string> values_;
};

const char kEvil[] = "<script>alert(\"x&y\")</script> 'quoted' & <b>\t\n";

CoordGraph EvilGraph() {
  CoordGraph g;
  g.nodes.push_back({0, kEvil, 0, 12});
  g.nodes.push_back({7, "plain_account", 0, 3});
  g.nodes.push_back({9,
                     std::string("ctl\x01\x1f"
                                 "bad\xff"
                                 "utf8 \xef\xbf\xbf end"),
                     -1, 0});
  g.edges.push_back({0, 7, "co-post", 5, 1458000000, 1458000600, 60, 0.75});
  g.edges.push_back({0, 7, "co-link", 2, 1458000000, 1458000001, 3600, 0.5});
  g.edges.push_back({7, 9, "co-\"reply\"&<>", 3, -5, 10, 10, 2.0 / 3});
  return g;
}

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

TEST(GraphExportTest, GexfIsWellFormedAndEscaped) {
  std::ostringstream out;
  WriteGexf(EvilGraph(), "echotrace <test> & co", out);
  const std::string doc = out.str();
  XmlChecker c(doc);
  ASSERT_EQ(c.Check(), "") << doc;
  EXPECT_EQ(doc.find("<script>"), std::string::npos);
  EXPECT_TRUE(Contains(c.values(), kEvil));  // label and account value read back intact
  EXPECT_TRUE(Contains(c.values(), "echotrace <test> & co"));
  EXPECT_TRUE(Contains(c.values(), "co-\"reply\"&<>"));
  EXPECT_TRUE(Contains(c.values(),
                       "ctl\xef\xbf\xbd\xef\xbf\xbd"
                       "bad\xef\xbf\xbd"
                       "utf8 \xef\xbf\xbd end"));
  EXPECT_NE(doc.find("xmlns=\"http://gexf.net/1.3\""), std::string::npos);
  EXPECT_NE(doc.find("<edge id=\"e1\" source=\"n0\" target=\"n7\" kind=\"co-link\" weight=\"2\">"),
            std::string::npos);
  EXPECT_NE(doc.find("<attvalue for=\"5\" value=\"0.666667\"/>"), std::string::npos);
}

TEST(GraphExportTest, GraphmlIsWellFormedAndEscaped) {
  std::ostringstream out;
  WriteGraphml(EvilGraph(), "echotrace", out);
  const std::string doc = out.str();
  XmlChecker c(doc);
  ASSERT_EQ(c.Check(), "") << doc;
  EXPECT_EQ(doc.find("<script>"), std::string::npos);
  EXPECT_TRUE(Contains(c.values(), kEvil));
  EXPECT_TRUE(Contains(c.values(), "co-\"reply\"&<>"));
  EXPECT_NE(doc.find("<key id=\"e_first_time\" for=\"edge\" attr.name=\"first_time\" "
                     "attr.type=\"long\"/>"),
            std::string::npos);
  EXPECT_NE(doc.find("<data key=\"e_first_time\">-5</data>"), std::string::npos);
  EXPECT_NE(doc.find("<data key=\"n_group\">-1</data>"), std::string::npos);
}

// Issue 17 item 6: one attribute per window of the graph, after the fixed
// ones; an edge with fewer weights than windows gets 0 for the rest.
TEST(GraphExportTest, EachWindowHasItsOwnWeightAttribute) {
  CoordGraph g = EvilGraph();
  g.windows = {60, 3600};
  g.edges[0].window_weights = {2, 5};
  g.edges[1].window_weights = {0, 2};
  std::ostringstream gexf, graphml;
  WriteGexf(g, "x", gexf);
  WriteGraphml(g, "x", graphml);
  ASSERT_EQ(XmlChecker(gexf.str()).Check(), "");
  ASSERT_EQ(XmlChecker(graphml.str()).Check(), "");
  const std::string a = gexf.str();
  EXPECT_NE(a.find("<attribute id=\"6\" title=\"weight_60s\" type=\"long\"/>"), std::string::npos)
      << a;
  EXPECT_NE(a.find("<attribute id=\"7\" title=\"weight_3600s\" type=\"long\"/>"),
            std::string::npos);
  EXPECT_NE(
      a.find("<attvalue for=\"6\" value=\"2\"/>\n          <attvalue for=\"7\" value=\"5\"/>"),
      std::string::npos);
  // The third edge has no weights given: 0 at both windows.
  EXPECT_NE(
      a.find("<attvalue for=\"6\" value=\"0\"/>\n          <attvalue for=\"7\" value=\"0\"/>"),
      std::string::npos);
  const std::string b = graphml.str();
  EXPECT_NE(b.find("<key id=\"e_weight_3600s\" for=\"edge\" attr.name=\"weight_3600s\" "
                   "attr.type=\"long\"/>"),
            std::string::npos);
  EXPECT_NE(
      b.find("<data key=\"e_weight_60s\">2</data>\n      <data key=\"e_weight_3600s\">5</data>"),
      std::string::npos)
      << b;
  // Without windows, no such attribute at all.
  std::ostringstream plain;
  WriteGexf(EvilGraph(), "x", plain);
  EXPECT_EQ(plain.str().find("weight_"), std::string::npos);
}

TEST(GraphExportTest, EmptyGraphIsWellFormed) {
  std::ostringstream a, b;
  WriteGexf(CoordGraph(), "x", a);
  WriteGraphml(CoordGraph(), "x", b);
  EXPECT_EQ(XmlChecker(a.str()).Check(), "");
  EXPECT_EQ(XmlChecker(b.str()).Check(), "");
}

TEST(GraphExportTest, EscapesEveryMarkupCharacter) {
  std::string out;
  AppendXmlEscaped("a<b>&\"c'\x7f", &out);
  EXPECT_EQ(out, "a&lt;b&gt;&amp;&quot;c&apos;\xef\xbf\xbd");
}

}  // namespace
}  // namespace echotrace::coord
