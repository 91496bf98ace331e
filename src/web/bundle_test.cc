// The bundle on a small store with every kind of result: planted reuse,
// near-duplicates and a coordinated pair, with hostile text in the posts.
#include "web/bundle.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "echotrace/analyze.h"
#include "echotrace/web.h"
#include "pipeline/store_test_fixture.h"
#include "text/utf8.h"
#include "util/json.h"
#include "util/str_cat.h"
#include "web/test_corpus.h"

namespace echotrace {
namespace {

using simdjson::dom::element;

using test::Corpus;
using test::kHostile;

class BundleTest : public StoreTest {
 protected:
  void Analyse() {
    AnalyzeOptions ao;
    ao.progress = false;
    AnalyzeSummary as;
    Status s = Analyze(store_.get(), ao, &as);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  std::string Bundle(ReportOptions o = {}) {
    o.progress = false;
    o.generated_at = 1700000000;
    auto b = BuildReportBundle(store_.get(), o);
    EXPECT_TRUE(b.ok()) << b.status().ToString();
    return b.ok() ? *b : std::string();
  }
  simdjson::dom::parser parser_;
};

TEST(AlignToOrigin, SegmentsTileBothTexts) {
  const std::string origin = "the quick brown fox jumps over the lazy dog near the river bank";
  const std::string occ = "Look: the quick red fox jumps over the lazy dog near the river bank!";
  double identity = 0;
  auto segs = web::AlignToOrigin(origin, occ, &identity);
  std::string o, b;
  bool changed = false;
  for (const auto& s : segs) {
    if (s.op != '+') o += s.text;
    if (s.op != '-') b += s.text;
    changed = changed || s.op == '-';
  }
  EXPECT_EQ(o, origin);
  EXPECT_EQ(b, occ);
  EXPECT_TRUE(changed);
  EXPECT_GT(identity, 0.8);
  EXPECT_LT(identity, 1.0);

  auto same = web::AlignToOrigin(origin, origin, &identity);
  ASSERT_EQ(same.size(), 1u);
  EXPECT_EQ(same[0].op, '=');
  EXPECT_EQ(identity, 1.0);

  auto none = web::AlignToOrigin("alpha beta", "gamma delta", &identity);
  EXPECT_EQ(identity, 0.0);
  ASSERT_EQ(none.size(), 2u);
  EXPECT_EQ(none[0].op, '-');
  EXPECT_EQ(none[1].op, '+');
}

TEST_F(BundleTest, NothingAnalysedIsNull) {
  IngestJsonl(Corpus());
  std::string b = Bundle();
  element root = parser_.parse(b);
  EXPECT_TRUE(root["reuse"].is_null());
  EXPECT_TRUE(root["neardup"].is_null());
  EXPECT_TRUE(root["coordination"].is_null());
  EXPECT_EQ(root["reuse_detail"].get_object().size(), 0u);
  // A small store is carried whole for the report's search.
  EXPECT_EQ(root["docs"].get_object().size(), 11u);
  EXPECT_EQ(std::string_view(root["meta"]["mode"]), "report");
  EXPECT_EQ(int64_t(root["meta"]["generated_at"]), 1700000000);
  EXPECT_EQ(int64_t(root["overview"]["docs"]), 11);
  EXPECT_EQ(int64_t(root["overview"]["sources_total"]), 6);
  EXPECT_EQ(int64_t(root["overview"]["undated"]), 0);
  // The ten largest sources by day, then "(other)": six sources, none other.
  int64_t by_day = 0;
  for (element d : root["overview"]["by_day"]) by_day += int64_t(d["docs"]);
  EXPECT_EQ(by_day, 11);
  EXPECT_EQ(std::string_view(root["overview"]["by_day"].at(0)["day"]), "2016-01-01");
}

// Issue 17 item 10: a report of a small store searches every document (a
// word all documents hold was "not found"); a larger one carries only the
// documents its views show.
TEST_F(BundleTest, ReportCarriesEveryDocumentOnlyWhenTheStoreFits) {
  IngestJsonl(Corpus());
  Analyse();
  ReportOptions o;
  o.limits.docs = 11;  // the corpus has 11 documents
  element all = parser_.parse(Bundle(o))["docs"];
  EXPECT_EQ(all.get_object().size(), 11u);
  std::set<int64_t> ids;
  for (auto [key, doc] : all.get_object()) ids.insert(int64_t(doc["doc"]));
  EXPECT_EQ(ids.size(), 11u);

  o.limits.docs = 10;
  std::string b = Bundle(o);
  element shown = parser_.parse(b)["docs"];
  EXPECT_LT(shown.get_object().size(), 11u);
  bool big = false;
  for (auto [key, doc] : shown.get_object()) big = big || std::string_view(doc["ext_id"]) == "big";
  EXPECT_FALSE(big);  // no view shows it
}

TEST_F(BundleTest, OneSourceByDay) {
  // One source takes the time index alone (bundle.cc); the counts agree.
  IngestJsonl(test::Line("a", "only", "x", 1451606400, "one") +
              test::Line("b", "only", "y", 1451606400 + 86400, "two") +
              test::Line("c", "only", "y", 1451606400 + 86401, "three") +
              "{\"id\":\"d\",\"source\":\"only\",\"text\":\"undated\"}\n");
  element root = parser_.parse(Bundle());
  element by_day = root["overview"]["by_day"];
  ASSERT_EQ(by_day.get_array().size(), 2u);
  EXPECT_EQ(std::string_view(by_day.at(0)["day"]), "2016-01-01");
  EXPECT_EQ(std::string_view(by_day.at(0)["source"]), "only");
  EXPECT_EQ(int64_t(by_day.at(0)["docs"]), 1);
  EXPECT_EQ(std::string_view(by_day.at(1)["day"]), "2016-01-02");
  EXPECT_EQ(int64_t(by_day.at(1)["docs"]), 2);
  EXPECT_EQ(int64_t(root["overview"]["undated"]), 1);
  EXPECT_EQ(int64_t(root["overview"]["authors"]), 2);
}

TEST_F(BundleTest, EveryViewOnAnalysedStore) {
  IngestJsonl(Corpus());
  Analyse();
  std::string b = Bundle();
  ASSERT_TRUE(IsValidUtf8(b));
  element root = parser_.parse(b);

  // Reuse: the planted passage, origin first, the edit marked.
  element reuse = root["reuse"];
  ASSERT_FALSE(reuse.is_null());
  ASSERT_GE(int64_t(reuse["clusters_total"]), 1);
  element row = reuse["clusters"].at(0);
  EXPECT_EQ(int64_t(row["documents"]), 3);
  std::string id = std::to_string(int64_t(row["id"]));
  element detail = root["reuse_detail"][id];
  EXPECT_EQ(int64_t(detail["occurrence_list_total"]), 3);
  element occs = detail["occurrence_list"];
  EXPECT_TRUE(bool(occs.at(0)["is_origin"]));
  EXPECT_EQ(std::string_view(occs.at(0)["source"]), "ledger");
  bool saw_edit = false;
  for (element occ : occs) {
    std::string origin_side, occ_side;
    for (element seg : occ["segments"]) {
      std::string_view op = seg["op"];
      std::string_view text = seg["text"];
      if (op != "+") origin_side += text;
      if (op != "-") occ_side += text;
      if (op == "+" && text.find("secretly") != std::string_view::npos) saw_edit = true;
    }
    EXPECT_EQ(occ_side, std::string_view(occ["text"]));
    EXPECT_EQ(origin_side, std::string_view(occs.at(0)["text"]));
    element doc = root["docs"][std::to_string(int64_t(occ["doc"]))];
    EXPECT_TRUE(doc.is_object());
    // The occurrence names its document by the visible id too (issue 17 item 5).
    EXPECT_EQ(std::string_view(occ["ext_id"]), std::string_view(doc["ext_id"]));
  }
  EXPECT_TRUE(saw_edit);
  EXPECT_GE(detail["spread"].get_array().size(), 1u);

  // Near-duplicates: the three forum posts.
  element nd = root["neardup"];
  ASSERT_FALSE(nd.is_null());
  bool found3 = false;
  for (element c : nd["clusters"]) {
    if (int64_t(c["size"]) != 3) continue;
    found3 = true;
    element d = root["neardup_detail"][std::to_string(int64_t(c["id"]))];
    EXPECT_EQ(d["members"].get_array().size(), 3u);
    EXPECT_EQ(int64_t(d["members_total"]), 3);
  }
  EXPECT_TRUE(found3);

  // Coordination: the co-posting pair, with the hostile post as evidence.
  element coord = root["coordination"];
  ASSERT_FALSE(coord.is_null());
  bool pair = false;
  for (element e : coord["edges"]) {
    if (std::string_view(e["a"]) != "<b>evil</b>" || std::string_view(e["b"]) != "bob") continue;
    if (std::string_view(e["behaviour"]) != "co-post") continue;
    pair = true;
    element ed = root["edges"][std::to_string(int64_t(e["edge_id"]))];
    EXPECT_EQ(int64_t(ed["evidence_total"]), 2);
    EXPECT_EQ(std::string_view(ed["evidence"].at(0)["post_a"]["text"]), kHostile);
    EXPECT_EQ(int64_t(ed["evidence"].at(0)["gap"]), 60);
  }
  EXPECT_TRUE(pair);
  // Every edge, in every view, carries its weight at each window as stored
  // (issue 17 item 6: a total labelled with the narrowest window misled).
  auto windows_of = [](element e) {
    std::string v;
    for (element w : e["windows"]) {
      v += std::to_string(int64_t(w["window"])) + StrCat("|", int64_t(w["weight"])) + "\n";
    }
    return v;
  };
  auto stored = [this](int64_t edge_id) {
    return Query(
        "SELECT window, weight FROM coord_edge_windows WHERE run_id = (SELECT max(run_id) "
        "FROM coord_edges) AND edge_id = " +
        std::to_string(edge_id) + " ORDER BY window");
  };
  for (element e : coord["edges"]) {
    const int64_t edge_id = e["edge_id"];
    EXPECT_FALSE(windows_of(e).empty()) << edge_id;
    EXPECT_EQ(windows_of(e), stored(edge_id)) << edge_id;
    EXPECT_EQ(windows_of(root["edges"][std::to_string(edge_id)]), stored(edge_id)) << edge_id;
  }
  for (auto [gid_key, g] : root["groups"].get_object()) {
    for (element e : g["edges"]) EXPECT_EQ(windows_of(e), stored(int64_t(e["edge_id"])));
  }
  EXPECT_GE(coord["nodes"].get_array().size(), 2u);
  ASSERT_GE(coord["groups"].get_array().size(), 1u);
  std::string gid = std::to_string(int64_t(coord["groups"].at(0)["id"]));
  EXPECT_GE(root["groups"][gid]["members"].get_array().size(), 2u);
}

// A group's shared items are named readably: the link for co-link, the
// hashtags for co-hashtag, not the hashes they are grouped by.
TEST_F(BundleTest, GroupItemsHaveReadableLabels) {
  const int64_t t = 1451606400;
  std::string s;
  for (int k = 0; k < 2; ++k) {
    const int64_t b = t + 86400 * k;
    const std::string url = StrCat("https://ledger.example/story", k);
    s += test::Line(StrCat("a", k), "x", "ann", b, "look " + url + " #Alpha #beta");
    s += test::Line(StrCat("b", k), "x", "bob", b + 30,
                    "wow " + url + "?utm_source=bob #alpha #Beta");
  }
  IngestJsonl(s);
  Analyse();
  element root = parser_.parse(Bundle());
  element coord = root["coordination"];
  ASSERT_FALSE(coord.is_null());
  ASSERT_GE(coord["groups"].get_array().size(), 1u);
  bool link = false, tags = false;
  for (element it : coord["groups"].at(0)["top_items"]) {
    const std::string_view behaviour = it["behaviour"];
    const std::string_view label = it["label"];
    if (behaviour == "co-link") {
      link = true;
      EXPECT_TRUE(label.starts_with("https://ledger.example/story")) << label;
      EXPECT_EQ(label.find("utm_source"), std::string_view::npos);
    }
    if (behaviour == "co-hashtag") {
      tags = true;
      EXPECT_EQ(label, "#alpha #beta");
    }
  }
  EXPECT_TRUE(link);
  EXPECT_TRUE(tags);
}

TEST_F(BundleTest, ReportIsEscapedCutAndDeterministic) {
  IngestJsonl(Corpus());
  Analyse();
  ReportOptions o;
  o.progress = false;
  o.generated_at = 1700000000;
  o.limits.docs = 10;  // fewer than the store's 11: only the documents the views show
  std::string path = (dir_ / "report.html").string();
  ReportSummary sum;
  const WebAssets assets{"console.log('app')", "body{}"};
  ASSERT_TRUE(WriteReport(store_.get(), assets, path, o, &sum).ok());
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string html = ss.str();
  EXPECT_EQ(html.size(), sum.bytes);
  EXPECT_EQ(html.find("<script>alert(1)"), std::string::npos);
  EXPECT_EQ(html.find("<img src=x"), std::string::npos);
  EXPECT_EQ(html.find("<b>evil"), std::string::npos);
  EXPECT_EQ(html.find("\xE2\x80\xA8"), std::string::npos);
  EXPECT_NE(html.find("\\u003c/script\\u003e\\u003cscript\\u003ealert(1)"), std::string::npos);

  // The bundle inside parses back to the same text.
  const std::string open = "<script id=\"et-data\" type=\"application/json\">";
  size_t a = html.find(open) + open.size();
  size_t z = html.find("</script>", a);
  element root = parser_.parse(html.substr(a, z - a));
  bool hostile = false, big = false;
  for (auto [key, doc] : root["docs"].get_object()) {
    if (std::string_view(doc["text"]) == kHostile) hostile = true;
    if (std::string_view(doc["ext_id"]) == "big") big = true;
  }
  EXPECT_TRUE(hostile);
  EXPECT_FALSE(big);  // no view shows it

  // Same store, same options: the same bytes.
  std::string path2 = (dir_ / "report2.html").string();
  ASSERT_TRUE(WriteReport(store_.get(), assets, path2, o, nullptr).ok());
  std::ifstream in2(path2, std::ios::binary);
  std::stringstream ss2;
  ss2 << in2.rdbuf();
  EXPECT_EQ(ss2.str(), html);
}

TEST_F(BundleTest, DocumentsAreCutOnCharacterBoundaries) {
  IngestJsonl(Corpus());
  web::BundleSource src(store_.get());
  ASSERT_TRUE(src.Init().ok());
  auto id = Query("SELECT id FROM docs WHERE ext_id = 'big'");
  JsonWriter w;
  ASSERT_TRUE(src.WriteDoc(std::stoll(id), 20000, &w).ok());
  element d = parser_.parse(w.str());
  EXPECT_TRUE(bool(d["text_cut"]));
  std::string_view text = d["text"];
  EXPECT_LE(text.size(), 20000u);
  EXPECT_GT(text.size(), 19990u);
  EXPECT_TRUE(IsValidUtf8(text));
  JsonWriter whole;
  ASSERT_TRUE(src.WriteDoc(std::stoll(id), 0, &whole).ok());
  element d2 = parser_.parse(whole.str());
  EXPECT_TRUE(d2["text_cut"].error() == simdjson::NO_SUCH_FIELD);
  EXPECT_GE(std::string_view(d2["text"]).size(), 30000u);
  JsonWriter none;
  EXPECT_EQ(src.WriteDoc(999999, 0, &none).code(), StatusCode::kNotFound);
  EXPECT_EQ(src.WriteReuseDetail(1, {}, &none, nullptr).code(), StatusCode::kNotFound);
}

TEST_F(BundleTest, DeadlineCancels) {
  IngestJsonl(Corpus());
  web::BundleSource src(store_.get());
  ASSERT_TRUE(src.Init().ok());
  src.SetDeadline(std::chrono::steady_clock::now() - std::chrono::seconds(1));
  JsonWriter w;
  EXPECT_EQ(src.WriteOverview(&w).code(), StatusCode::kCancelled);
}

}  // namespace
}  // namespace echotrace
