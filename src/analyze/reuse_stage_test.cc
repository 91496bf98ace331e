// The reuse stage on a real store: ingest a small fictional corpus, run
// `analyze --only reuse`, read the tables and the exports back.
#include "analyze/reuse_stage.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "demo/verify.h"
#include "echotrace/analyze.h"
#include "echotrace/demo.h"
#include "echotrace/export.h"
#include "echotrace/ingest.h"
#include "pipeline/store_test_fixture.h"

namespace echotrace {
namespace {

namespace fs = std::filesystem;

class ReuseStageTest : public StoreTest {
 protected:
  Status Reuse(AnalyzeOptions o = {}) {
    o.only = {"reuse"};
    o.progress = false;
    AnalyzeSummary sum;
    return Analyze(store_.get(), o, &sum);
  }

  std::string ExportTo(const std::string& what, const std::string& format) {
    ExportOptions o;
    o.what = what;
    o.format = format;
    o.out_path = (dir_ / ("out." + format)).string();
    ExportSummary sum;
    Status s = Export(store_.get(), o, &sum);
    EXPECT_TRUE(s.ok()) << s.ToString();
    std::ifstream in(o.out_path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
};

// One passage in three documents (the forum quote has no time), one
// unrelated post.
constexpr const char kCorpus[] =
    "{\"id\":\"p1\",\"source\":\"chirp\",\"author\":\"ana\",\"time\":\"2026-02-02T10:00:00Z\","
    "\"text\":\"Breaking: the harbour authority of Merrin confirmed that grain shipments will "
    "be delayed until the end of the month\"}\n"
    "{\"id\":\"p2\",\"source\":\"chirp\",\"author\":\"ben\",\"time\":\"2026-02-03T09:00:00Z\","
    "\"text\":\"so they say the harbour authority of Merrin confirmed that grain shipments "
    "will be delayed until the end of the month, wow\"}\n"
    "{\"id\":\"f,1\",\"source\":\"forum\",\"author\":\"cara\",\"text\":\"Quote: \\\"The "
    "Harbour Authority of Merrin confirmed that grain shipments will be delayed until the end "
    "of the month\\\" \\u2014 I doubt it\"}\n"
    "{\"id\":\"p4\",\"source\":\"chirp\",\"author\":\"ana\",\"time\":\"2026-02-01T08:00:00Z\","
    "\"text\":\"Completely unrelated post about the football match on Saturday evening\"}\n";

TEST_F(ReuseStageTest, ClustersOccurrencesAndExportsAreExact) {
  IngestJsonl(kCorpus);
  Status s = Reuse();
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(Query("SELECT cluster_id, origin_doc_id, occurrences, documents, sources, authors, "
                  "first_time, last_time FROM reuse_clusters"),
            "1|1|3|3|2|3|1770026400|1770109200\n");
  EXPECT_EQ(Query("SELECT doc_a, doc_b, identity FROM reuse_pairs ORDER BY 1, 2"),
            "1|2|1.0\n1|3|1.0\n2|3|1.0\n");
  EXPECT_EQ(ExportTo("reuse", "csv"),
            "cluster_id,doc_id,start,end,text\n"
            "1,p1,10,115,the harbour authority of Merrin confirmed that grain shipments will be "
            "delayed until the end of the month\n"
            "1,p2,12,117,the harbour authority of Merrin confirmed that grain shipments will be "
            "delayed until the end of the month\n"
            "1,\"f,1\",8,113,The Harbour Authority of Merrin confirmed that grain shipments will "
            "be delayed until the end of the month\n");
  EXPECT_EQ(ExportTo("reuse-clusters", "csv"),
            "cluster_id,occurrences,documents,sources,authors,first_time,last_time,"
            "origin_doc_id,origin_time\n"
            "1,3,3,2,3,2026-02-02T10:00:00Z,2026-02-03T09:00:00Z,p1,2026-02-02T10:00:00Z\n");
  EXPECT_EQ(ExportTo("reuse-clusters", "jsonl"),
            "{\"cluster_id\":1,\"occurrences\":3,\"documents\":3,\"sources\":2,\"authors\":3,"
            "\"first_time\":\"2026-02-02T10:00:00Z\",\"last_time\":\"2026-02-03T09:00:00Z\","
            "\"origin_doc_id\":\"p1\",\"origin_time\":\"2026-02-02T10:00:00Z\"}\n");
  EXPECT_EQ(Query("SELECT count(*) FROM reuse_boilerplate"), "0\n");
}

TEST_F(ReuseStageTest, UndatedOriginHasAnEmptyTime) {
  IngestJsonl(
      "{\"id\":\"x\",\"text\":\"one two three four five six seven eight nine ten eleven\"}\n"
      "{\"id\":\"y\",\"text\":\"zero one two three four five six seven eight nine ten eleven\"}\n");
  ASSERT_TRUE(Reuse().ok());
  EXPECT_EQ(ExportTo("reuse-clusters", "csv"),
            "cluster_id,occurrences,documents,sources,authors,first_time,last_time,"
            "origin_doc_id,origin_time\n1,2,2,1,0,,,x,\n");
  EXPECT_NE(ExportTo("reuse-clusters", "jsonl").find("\"origin_time\":null"), std::string::npos);
}

TEST_F(ReuseStageTest, SourcesAVersusB) {
  IngestJsonl(kCorpus);
  AnalyzeOptions o;
  o.reuse_sources_a = {"forum"};  // B: every other source
  ASSERT_TRUE(Reuse(o).ok());
  // Only forum-chirp pairs are aligned; the cluster joins through them.
  EXPECT_EQ(Query("SELECT doc_a, doc_b FROM reuse_pairs ORDER BY 1, 2"), "1|3\n2|3\n");
  EXPECT_EQ(Query("SELECT occurrences FROM reuse_clusters"), "3\n");
  EXPECT_NE(Query("SELECT params FROM runs WHERE kind = 'reuse'").find("\"sources_a\":[\"forum\"]"),
            std::string::npos);

  o.reuse_sources_b = {"forum"};
  EXPECT_EQ(Reuse(o).code(), StatusCode::kInvalidArgument);  // on both sides
  o.reuse_sources_b = {"nowhere"};
  Status s = Reuse(o);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("nowhere"), std::string::npos) << s.message();
  // The failed runs left the previous result in place.
  EXPECT_EQ(Query("SELECT count(*) FROM reuse_pairs"), "2\n");
}

TEST_F(ReuseStageTest, RerunReplacesAndThreadCountDoesNotMatter) {
  IngestJsonl(kCorpus);
  AnalyzeOptions o;
  o.threads = 1;
  ASSERT_TRUE(Reuse(o).ok());
  const std::string one = ExportTo("reuse", "jsonl") + ExportTo("reuse-clusters", "csv");
  o.threads = 2;
  ASSERT_TRUE(Reuse(o).ok());
  EXPECT_EQ(ExportTo("reuse", "jsonl") + ExportTo("reuse-clusters", "csv"), one);
  EXPECT_EQ(Query("SELECT count(DISTINCT run_id) FROM reuse_occurrences"), "1\n");
  EXPECT_EQ(Query("SELECT count(*) FROM runs WHERE kind = 'reuse' AND status = 'ok'"), "2\n");
}

TEST_F(ReuseStageTest, BadOptionsAreUsageErrors) {
  IngestJsonl(kCorpus);
  AnalyzeOptions o;
  o.reuse_min_tokens = 0;
  EXPECT_EQ(Reuse(o).code(), StatusCode::kInvalidArgument);
  o = {};
  o.reuse_max_df = 1;
  EXPECT_EQ(Reuse(o).code(), StatusCode::kInvalidArgument);
  ExportOptions e;
  e.what = "reuse";
  e.out_path = (dir_ / "x.csv").string();
  ExportSummary sum;
  EXPECT_EQ(Export(store_.get(), e, &sum).code(), StatusCode::kNotFound);
}

// The planted passages of a small demo corpus are all recovered (quotes in
// articles and forum posts, syndicated bodies, edited paragraphs).
TEST_F(ReuseStageTest, RecoversThePlantedPassagesOfTheDemo) {
  DemoOptions d;
  d.out_dir = (dir_ / "demo").string();
  d.posts = 1500;
  d.forum_posts = 300;
  d.articles = 40;
  DemoSummary corpus;
  ASSERT_TRUE(WriteDemoCorpus(d, &corpus).ok());
  IngestOptions io;
  io.progress = false;
  IngestSummary sum;
  ASSERT_TRUE(echotrace::Ingest(store_.get(), corpus.inputs, io, &sum).ok());
  ASSERT_TRUE(Reuse().ok());
  Result<GroundTruth> truth = ReadGroundTruth(corpus.ground_truth_path);
  ASSERT_TRUE(truth.ok()) << truth.status().ToString();
  Result<DemoReuseScore> score = ScoreReuse(store_.get(), *truth);
  ASSERT_TRUE(score.ok()) << score.status().ToString();
  EXPECT_GT(score->passages, 10u);
  EXPECT_EQ(score->passages_recovered, score->passages);
  EXPECT_EQ(score->occurrences_recovered, score->occurrences);
}

}  // namespace
}  // namespace echotrace
