// Exports on a real store (issue 17 items 4 and 6): coordination edges carry
// their weight at each window of the run, in CSV, JSONL, GEXF and GraphML,
// equal to the stored coord_edge_windows; reuse clusters say whether their
// origin is certain.
#include "echotrace/export.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "echotrace/analyze.h"
#include "pipeline/store_test_fixture.h"

namespace echotrace {
namespace {

class ExportTest : public StoreTest {
 protected:
  std::string Export(const std::string& what, const std::string& format) {
    ExportOptions o;
    o.what = what;
    o.format = format;
    o.out_path = (dir_ / ("out." + format)).string();
    ExportSummary sum;
    Status s = echotrace::Export(store_.get(), o, &sum);
    EXPECT_TRUE(s.ok()) << s.ToString();
    std::ifstream in(o.out_path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  void Analyze(const std::vector<std::string>& only) {
    AnalyzeOptions ao;
    ao.only = only;
    ao.progress = false;
    ao.coordination.windows = {60, 3600};
    AnalyzeSummary sum;
    ASSERT_TRUE(echotrace::Analyze(store_.get(), ao, &sum).ok());
  }
};

std::string Post(int id, const std::string& author, int64_t time, const std::string& text) {
  return "{\"id\":\"" + std::to_string(id) + "\",\"author\":\"" + author +
         "\",\"time\":" + std::to_string(time) + ",\"text\":\"" + text + "\"}\n";
}

// Two accounts post the same text: 2 times 20 s apart, 3 times 30 min apart.
// At 60 s the edge has 2 co-actions, at 3600 s 5.
std::string CoordCorpus() {
  std::string s;
  int id = 1;
  for (int k = 0; k < 5; ++k) {
    const int64_t t = 1700000000 + k * 86400;
    const std::string text = "the same slogan number " + std::to_string(k);
    s += Post(id++, "acct_a", t, text);
    s += Post(id++, "acct_b", t + (k < 2 ? 20 : 1800), text);
  }
  return s;
}

TEST_F(ExportTest, CoordinationEdgesCarryTheirWeightAtEachWindow) {
  IngestJsonl(CoordCorpus());
  Analyze({"coordination"});
  // What the store holds, the reference for every format.
  ASSERT_EQ(Query("SELECT e.weight, e.window, group_concat(w.window || ':' || w.weight) FROM "
                  "coord_edges e JOIN coord_edge_windows w USING (run_id, edge_id) WHERE "
                  "e.behaviour = 'co-post' GROUP BY e.edge_id"),
            "5|60|60:2,3600:5\n");

  const std::string csv = Export("coordination", "csv");
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "account_a,account_b,behaviour,weight,first_time,last_time,window,weight_60s,"
            "weight_3600s");
  EXPECT_NE(csv.find("acct_a,acct_b,co-post,5,"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",60,2,5\n"), std::string::npos) << csv;

  const std::string jsonl = Export("coordination", "jsonl");
  EXPECT_NE(jsonl.find("\"weight\":5,"), std::string::npos) << jsonl;
  EXPECT_NE(jsonl.find("\"window\":60,\"weight_60s\":2,\"weight_3600s\":5}"), std::string::npos)
      << jsonl;

  const std::string gexf = Export("coordination", "gexf");
  EXPECT_NE(gexf.find("title=\"weight_60s\" type=\"long\""), std::string::npos) << gexf;
  EXPECT_NE(gexf.find("title=\"weight_3600s\" type=\"long\""), std::string::npos);
  // Attributes 6 and 7 are the two windows' weights.
  EXPECT_NE(gexf.find("<attvalue for=\"6\" value=\"2\"/>"), std::string::npos) << gexf;
  EXPECT_NE(gexf.find("<attvalue for=\"7\" value=\"5\"/>"), std::string::npos) << gexf;

  const std::string graphml = Export("coordination", "graphml");
  EXPECT_NE(graphml.find("<key id=\"e_weight_60s\" for=\"edge\" attr.name=\"weight_60s\" "
                         "attr.type=\"long\"/>"),
            std::string::npos)
      << graphml;
  EXPECT_NE(graphml.find("<data key=\"e_weight_60s\">2</data>"), std::string::npos) << graphml;
  EXPECT_NE(graphml.find("<data key=\"e_weight_3600s\">5</data>"), std::string::npos);
}

// An edge with no co-action at a window has 0 there, not a missing field:
// at 60 s the pair below never acts, yet the column exists for the run.
TEST_F(ExportTest, WindowsWithoutCoActionsExportZero) {
  std::string s;
  for (int k = 0; k < 3; ++k) {
    const int64_t t = 1700000000 + k * 86400;
    const std::string text = "a slower slogan " + std::to_string(k);
    s += Post(2 * k + 1, "slow_a", t, text);
    s += Post(2 * k + 2, "slow_b", t + 1800, text);
  }
  IngestJsonl(s);
  Analyze({"coordination"});
  const std::string csv = Export("coordination", "csv");
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "account_a,account_b,behaviour,weight,first_time,last_time,window,weight_60s,"
            "weight_3600s");
  EXPECT_NE(csv.find(",3600,0,3\n"), std::string::npos) << csv;
}

// Issue 17 item 4: a cluster copied from an undated article is not given a
// certain origin; one whose documents are all dated is.
TEST_F(ExportTest, ReuseClustersSayWhetherTheOriginIsCertain) {
  const std::string a =
      "The harbour authority signed the dredging contract with a shell company registered two "
      "weeks earlier in a tax haven, according to minutes that the council has refused to publish";
  const std::string b =
      "Farmers in the eastern valley say the new irrigation levy will double their costs before "
      "the harvest, and the ministry has not answered a single letter from the cooperative";
  IngestJsonl("{\"id\":\"u-article\",\"source\":\"seeds\",\"text\":\"" + a + ". More later.\"}\n" +
              "{\"id\":\"u-copy\",\"source\":\"blog\",\"time\":\"2025-03-01T10:00:00Z\","
              "\"text\":\"Copied: " +
              a + ".\"}\n" +
              "{\"id\":\"c-1\",\"source\":\"wire\",\"time\":\"2025-04-01T10:00:00Z\",\"text\":\"" +
              b + ". First here.\"}\n" +
              "{\"id\":\"c-2\",\"source\":\"blog\",\"time\":\"2025-04-02T10:00:00Z\","
              "\"text\":\"Via the wire: " +
              b + ".\"}\n");
  Analyze({"reuse"});
  const std::string csv = Export("reuse-clusters", "csv");
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "cluster_id,occurrences,documents,sources,authors,first_time,last_time,origin_doc_id,"
            "origin_time,undated_documents,origin_certain");
  // The undated article's cluster: the dated copy is its earliest dated
  // occurrence, and the origin is uncertain.
  EXPECT_NE(csv.find(",u-copy,2025-03-01T10:00:00Z,1,0\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",c-1,2025-04-01T10:00:00Z,0,1\n"), std::string::npos) << csv;
  const std::string jsonl = Export("reuse-clusters", "jsonl");
  EXPECT_NE(jsonl.find("\"origin_doc_id\":\"u-copy\",\"origin_time\":\"2025-03-01T10:00:00Z\","
                       "\"undated_documents\":1,\"origin_certain\":0}"),
            std::string::npos)
      << jsonl;
}

}  // namespace
}  // namespace echotrace
