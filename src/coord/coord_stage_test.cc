// The coordination stage on a real store: one planted pair of accounts per
// behaviour, ingested as JSONL, analysed, read back from the result tables.
#include "coord/coord_stage.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "coord/results.h"
#include "echotrace/analyze.h"
#include "echotrace/ingest.h"
#include "pipeline/store_test_fixture.h"

namespace echotrace {
namespace {

namespace fs = std::filesystem;

class CoordStageTest : public StoreTest {
 protected:
  // The coordination detector alone, through analyze's registry.
  Status RunCoord(const CoordParams& params, StageSummary* summary) {
    AnalyzeOptions o;
    o.only = {"coordination"};
    o.coordination = params;
    o.progress = false;
    AnalyzeSummary as;
    Status s = Analyze(store_.get(), o, &as);
    if (!as.stages.empty()) *summary = as.stages.back();
    return s;
  }
};

std::string Line(int id, const std::string& author, int64_t time, const std::string& text,
                 const std::string& more = "") {
  return "{\"id\":\"" + std::to_string(id) + "\",\"author\":\"" + author +
         "\",\"time\":" + std::to_string(time) + ",\"text\":\"" + text + "\"" + more + "}\n";
}

// Two episodes per behaviour, a day apart, each pair 60 s apart (times are
// whole minutes, as in the IRA data).
std::string Corpus() {
  const int64_t t = 1451606400;  // 2016-01-01, a multiple of 60
  const int64_t day = 86400;
  std::string s;
  int id = 1;
  for (int k = 0; k < 2; ++k) {
    const int64_t b = t + k * day;
    const std::string n = std::to_string(k);
    // co-post
    s += Line(id++, "alice", b, "Vote early and vote often, episode " + n);
    s += Line(id++, "bob", b + 60, "vote EARLY and vote often,  episode " + n);
    // co-link: different words, same link
    s += Line(id++, "carol", b + 1200, "look at this https://example.com/story" + n);
    s += Line(id++, "dave", b + 1260, "must read https://Example.com/story" + n + "?utm_source=x");
    // co-reply
    s += Line(id++, "erin", b + 2400, "I disagree " + n, ",\"parent\":\"p" + n + "\"");
    s += Line(id++, "frank", b + 2460, "So wrong " + n, ",\"parent\":\"p" + n + "\"");
    // co-repost: an IRA-style retweet (post_type R) and an "RT @" one
    s += Line(id++, "gina", b + 3600, "Breaking news number " + n, ",\"post_type\":\"R\"");
    s += Line(id++, "hank", b + 3660, "Breaking news number " + n, ",\"post_type\":\"R\"");
    // co-hashtag
    s += Line(id++, "ivan", b + 4800, "first words #Alpha #beta " + n + "x");
    s += Line(id++, "judy", b + 4860, "other words entirely #alpha #Beta " + n + "y");
    // co-similar: one word differs
    const std::string long_text =
        "the quick brown fox jumps over the lazy dog while the cat sleeps on the warm mat "
        "and the bird sings in the tall green tree near the old stone house number " +
        n;
    s += Line(id++, "kate", b + 6000, long_text + " today");
    s += Line(id++, "leo", b + 6060, long_text + " tonight");
  }
  // An account named with markup, once only: no edge. And a document without author.
  s += "{\"id\":\"x1\",\"author\":\"<script>alert(1)</script>\",\"time\":1451606400,"
       "\"text\":\"hello\"}\n";
  s += "{\"id\":\"x2\",\"time\":1451606400,\"text\":\"anonymous\"}\n";
  return s;
}

TEST_F(CoordStageTest, FindsEachPlantedBehaviour) {
  IngestJsonl(Corpus());
  AnalyzeOptions ao;
  ao.only = {"neardup"};
  ao.progress = false;
  AnalyzeSummary as;
  ASSERT_TRUE(Analyze(store_.get(), ao, &as).ok());

  CoordParams o;
  o.windows = {10, 3600};
  StageSummary sum;
  Status s = RunCoord(o, &sum);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(sum.detector, "coordination");
  // The 10 s window is below the minute resolution: widened to 60 s, so
  // every planted pair (60 s apart) holds at 60.
  EXPECT_NE(sum.figures_json.find("\"time_resolution\":60"), std::string::npos);
  EXPECT_NE(sum.figures_json.find("widened to 60 s"), std::string::npos);
  EXPECT_EQ(Query("SELECT behaviour, account_a, account_b, weight, window, symmetry FROM "
                  "coord_edges ORDER BY edge_id"),
            "co-post|alice|bob|2|60|0.5\n"
            // Identical texts are near-duplicates too (documented overlap).
            "co-similar|alice|bob|2|60|0.5\n"
            "co-similar|gina|hank|2|60|0.5\n"
            "co-similar|kate|leo|2|60|0.5\n"
            "co-link|carol|dave|2|60|0.5\n"
            "co-reply|erin|frank|2|60|0.5\n"
            "co-repost|gina|hank|2|60|0.5\n"
            "co-hashtag|ivan|judy|2|60|0.5\n");
  EXPECT_EQ(Query("SELECT count(*) FROM coord_evidence"), "16\n");
  EXPECT_EQ(Query("SELECT d.author, e.author FROM coord_evidence v JOIN docs d ON d.id = v.post_a "
                  "JOIN docs e ON e.id = v.post_b WHERE v.edge_id = 1"),
            "alice|bob\nalice|bob\n");
  EXPECT_EQ(Query("SELECT window, weight FROM coord_edge_windows WHERE edge_id = 1"),
            "60|2\n3600|2\n");
  // Six pairs, six groups of two.
  EXPECT_EQ(Query("SELECT count(DISTINCT group_id), count(*) FROM coord_groups"), "6|12\n");
  EXPECT_EQ(Query("SELECT count(*) FROM coord_groups g1 JOIN coord_groups g2 USING (group_id) "
                  "WHERE g1.account = 'alice' AND g2.account = 'bob'"),
            "1\n");
  EXPECT_EQ(
      Query("SELECT accounts, posts, behaviours FROM coord_group_summaries s JOIN "
            "coord_groups g USING (run_id, group_id) WHERE g.account = 'gina'"),
      "2|4|{\"co-similar\":{\"edges\":1,\"weight\":2},\"co-repost\":{\"edges\":1,\"weight\":2}}\n");
  EXPECT_EQ(Query("SELECT status, kind FROM runs WHERE id = " + std::to_string(sum.run_id)),
            "ok|coordination\n");

  Result<coord::CoordGraph> g = ReadCoordGraph(store_.get());
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  ASSERT_EQ(g->nodes.size(), 12u);
  EXPECT_EQ(g->nodes[0].account, "alice");
  EXPECT_EQ(g->nodes[0].posts, 2u);
  EXPECT_GE(g->nodes[0].group, 0);
  ASSERT_EQ(g->edges.size(), 8u);
  EXPECT_EQ(g->edges[0].behaviour, "co-post");
  EXPECT_EQ(g->nodes[g->edges[0].target].account, "bob");
  EXPECT_EQ(g->edges[0].window, 60);
  std::ostringstream gexf;
  coord::WriteGexf(*g, "echotrace", gexf);
  EXPECT_NE(gexf.str().find("label=\"alice\""), std::string::npos);
}

TEST_F(CoordStageTest, ReadCoordGraphWithoutResultIsNotFound) {
  EXPECT_EQ(ReadCoordGraph(store_.get()).status().code(), StatusCode::kNotFound);
}

TEST_F(CoordStageTest, RerunReplacesAndCoSimilarNeedsNeardup) {
  IngestJsonl(Corpus());
  CoordParams o;
  StageSummary a, b;
  ASSERT_TRUE(RunCoord(o, &a).ok());
  EXPECT_NE(a.figures_json.find("co-similar skipped"), std::string::npos);
  EXPECT_EQ(Query("SELECT count(*) FROM coord_edges WHERE behaviour = 'co-similar'"), "0\n");
  ASSERT_TRUE(RunCoord(o, &b).ok());
  EXPECT_EQ(Query("SELECT DISTINCT run_id FROM coord_edges"), std::to_string(b.run_id) + "\n");
  EXPECT_EQ(Query("SELECT count(*) FROM coord_edges"), "5\n");  // all but co-similar
}

TEST_F(CoordStageTest, RejectsBadOptions) {
  CoordParams o;
  o.windows = {};
  StageSummary s;
  EXPECT_EQ(RunCoord(o, &s).code(), StatusCode::kInvalidArgument);
  CoordParams c;
  c.passage_containment = 1.5;
  EXPECT_EQ(RunCoord(c, &s).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Query("SELECT count(*) FROM runs"), "0\n");  // refused before a run began
}

// Two accounts post the same quote, each wrapped in its own comment, twice:
// their posts are not near-duplicates as wholes (Jaccard far below 0.8), but
// the quote spans most of each post, so they are co-similar through the
// reuse cluster. A long article quoting the same passage is not linked.
TEST_F(CoordStageTest, CoSimilarThroughPassageContainment) {
  const int64_t t = 1451606400;
  std::string s;
  int id = 1;
  const char* quotes[] = {
      "the ministry confirmed that the grain convoy was stopped at the border crossing and "
      "that no inspection had been requested by either side before the incident began",
      "officials said the pipeline pressure dropped sharply overnight and engineers could not "
      "explain the readings recorded at the northern pumping station on tuesday"};
  std::string filler;
  for (int i = 0; i < 120; ++i)
    filler += "unrelated article words number " + std::to_string(i) + " ";
  for (int k = 0; k < 2; ++k) {
    const int64_t b = t + k * 86400;
    s += Line(id++, "mona", b, std::string("Wow, read this: ") + quotes[k] + " Unbelievable.");
    s += Line(id++, "nils", b + 60,
              std::string("So it begins. ") + quotes[k] + " Share before they delete it!");
    s += Line(id++, "olga", b + 30, filler + quotes[k] + " " + filler);
  }
  IngestJsonl(s);
  AnalyzeOptions ao;
  ao.only = {"neardup", "reuse", "coordination"};
  ao.progress = false;
  AnalyzeSummary as;
  ASSERT_TRUE(Analyze(store_.get(), ao, &as).ok());
  EXPECT_EQ(Query("SELECT count(*) FROM neardup_members m JOIN docs d ON d.id = m.doc_id "
                  "WHERE m.doc_id <> m.cluster_id AND d.author IN ('mona', 'nils')"),
            "0\n");
  EXPECT_EQ(Query("SELECT behaviour, account_a, account_b, weight FROM coord_edges"),
            "co-similar|mona|nils|2\n");

  // Containment 0: near-duplicate clusters only, so no edge.
  ao.only = {"coordination"};
  ao.coordination.passage_containment = 0;
  ASSERT_TRUE(Analyze(store_.get(), ao, &as).ok());
  EXPECT_EQ(Query("SELECT count(*) FROM coord_edges"), "0\n");
  // And the behaviour list restricts what is detected.
  ao.coordination.passage_containment = 0.5;
  ao.coordination.behaviours = {"co-link"};
  ASSERT_TRUE(Analyze(store_.get(), ao, &as).ok());
  EXPECT_EQ(Query("SELECT count(*) FROM coord_edges"), "0\n");
  ao.coordination.behaviours = {"co-nothing"};
  EXPECT_EQ(Analyze(store_.get(), ao, &as).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace echotrace
