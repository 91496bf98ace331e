// The analysis stages on a real store: ingest a small corpus, analyze,
// read the result tables and the export back.
#include "echotrace/analyze.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "echotrace/export.h"
#include "echotrace/ingest.h"
#include "pipeline/store_test_fixture.h"

namespace echotrace {
namespace {

namespace fs = std::filesystem;

class AnalyzeTest : public StoreTest {
 protected:
  std::string ExportTo(const std::string& format) {
    ExportOptions o;
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

constexpr const char kCorpus[] =
    "{\"id\":\"a1\",\"text\":\"The harbour authority confirmed that the grain shipments were "
    "delayed again this week because of the embargo\"}\n"
    "{\"id\":\"a2\",\"text\":\"The harbour authority confirmed that the grain shipments were "
    "delayed again this week because of the embargo #merrin\"}\n"
    "{\"id\":\"b1\",\"text\":\"Completely unrelated post about the football match on "
    "Saturday evening in the old stadium\"}\n"
    "{\"id\":\"c,1\",\"text\":\"Short post about the embargo\"}\n"
    "{\"id\":\"c2\",\"text\":\"short post about the EMBARGO\"}\n"
    "{\"id\":\"d1\",\"text\":\"Another entirely different message with its own words\"}\n";

TEST_F(AnalyzeTest, NearDupClustersAreStoredAndExported) {
  IngestJsonl(kCorpus);
  AnalyzeSummary sum;
  AnalyzeOptions o;
  o.progress = false;
  Status s = Analyze(store_.get(), o, &sum);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(sum.stages.size(), 3u);  // every available detector, in order
  EXPECT_EQ(sum.stages[0].detector, "neardup");
  EXPECT_EQ(sum.stages[1].detector, "reuse");
  EXPECT_EQ(sum.stages[2].detector, "coordination");
  EXPECT_NE(sum.stages[0].figures_json.find("\"clusters\":2"), std::string::npos)
      << sum.stages[0].figures_json;
  // a1+a2 (one hashtag added), c,1+c2 (the same after case folding).
  EXPECT_EQ(Query("SELECT d.ext_id, c.ext_id FROM neardup_members m JOIN docs d ON d.id = "
                  "m.doc_id JOIN docs c ON c.id = m.cluster_id ORDER BY m.doc_id"),
            "a1|a1\na2|a1\nc,1|c,1\nc2|c,1\n");
  EXPECT_EQ(ExportTo("csv"), "cluster_id,doc_id\n1,a1\n1,a2\n4,\"c,1\"\n4,c2\n");
  EXPECT_EQ(ExportTo("jsonl"),
            "{\"cluster_id\":1,\"doc_id\":\"a1\"}\n{\"cluster_id\":1,\"doc_id\":\"a2\"}\n"
            "{\"cluster_id\":4,\"doc_id\":\"c,1\"}\n{\"cluster_id\":4,\"doc_id\":\"c2\"}\n");
  // The pair that justifies a1 ~ a2 is kept as evidence.
  EXPECT_EQ(Query("SELECT doc_a, doc_b, jaccard >= 0.8 FROM neardup_pairs WHERE doc_a = 1"),
            "1|2|1\n");
}

TEST_F(AnalyzeTest, RerunReplacesTheResultWithTheSameIds) {
  IngestJsonl(kCorpus);
  AnalyzeSummary sum;
  AnalyzeOptions o;
  o.progress = false;
  ASSERT_TRUE(Analyze(store_.get(), o, &sum).ok());
  std::string first = ExportTo("csv");
  ASSERT_TRUE(Analyze(store_.get(), o, &sum).ok());
  EXPECT_EQ(ExportTo("csv"), first);
  EXPECT_EQ(Query("SELECT count(DISTINCT run_id) FROM neardup_members"), "1\n");
  EXPECT_EQ(Query("SELECT count(*) FROM runs WHERE kind='neardup' AND status='ok'"), "2\n");
}

TEST_F(AnalyzeTest, ExportBeforeAnalyzeSaysWhatToRun) {
  IngestJsonl(kCorpus);
  ExportOptions o;
  o.out_path = (dir_ / "x.csv").string();
  ExportSummary sum;
  Status s = Export(store_.get(), o, &sum);
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_NE(s.message().find("analyze"), std::string::npos) << s.message();
}

TEST_F(AnalyzeTest, UnknownAndPlannedDetectorsAreUsageErrors) {
  AnalyzeOptions o;
  o.progress = false;
  AnalyzeSummary sum;
  o.only = {"bogus"};
  EXPECT_EQ(Analyze(store_.get(), o, &sum).code(), StatusCode::kInvalidArgument);
  o.only = {"neardup"};
  o.neardup.threshold = 1.5;
  EXPECT_EQ(Analyze(store_.get(), o, &sum).code(), StatusCode::kInvalidArgument);
}

// A detector runs after the chosen detectors whose results it reads,
// whatever order they are named in; otherwise the order asked for holds.
TEST_F(AnalyzeTest, DetectorsRunAfterTheirDeclaredInputs) {
  IngestJsonl(kCorpus);
  AnalyzeOptions o;
  o.progress = false;
  o.only = {"coordination", "neardup", "coordination"};
  AnalyzeSummary sum;
  Status s = Analyze(store_.get(), o, &sum);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(sum.stages.size(), 2u);
  EXPECT_EQ(sum.stages[0].detector, "neardup");
  EXPECT_EQ(sum.stages[1].detector, "coordination");
  o.only = {"reuse", "neardup"};  // independent: as asked
  ASSERT_TRUE(Analyze(store_.get(), o, &sum).ok());
  ASSERT_EQ(sum.stages.size(), 2u);
  EXPECT_EQ(sum.stages[0].detector, "reuse");
  EXPECT_EQ(sum.stages[1].detector, "neardup");
}

// The human summary names every detector with its headline.
TEST_F(AnalyzeTest, SummaryTextHasOneLinePerDetector) {
  IngestJsonl(kCorpus);
  AnalyzeOptions o;
  o.progress = false;
  AnalyzeSummary sum;
  ASSERT_TRUE(Analyze(store_.get(), o, &sum).ok());
  const std::string text = sum.ToText();
  EXPECT_NE(text.find("analyze: 3 detectors in"), std::string::npos) << text;
  EXPECT_NE(text.find("2 clusters holding 4 of 6 documents (full)"), std::string::npos) << text;
  EXPECT_NE(text.find("reused passages"), std::string::npos) << text;
  EXPECT_NE(text.find("coordinated groups"), std::string::npos) << text;
}

// Cancelled before it starts: no detector runs, no run is recorded, the
// previous result stays.
TEST_F(AnalyzeTest, CancelledAnalysisWritesNothing) {
  IngestJsonl(kCorpus);
  AnalyzeOptions o;
  o.progress = false;
  o.only = {"neardup"};
  AnalyzeSummary sum;
  ASSERT_TRUE(Analyze(store_.get(), o, &sum).ok());
  const std::string before = Query("SELECT * FROM neardup_members");
  std::atomic<bool> cancel{true};
  o.cancel = &cancel;
  o.neardup.full = true;
  EXPECT_EQ(Analyze(store_.get(), o, &sum).code(), StatusCode::kCancelled);
  EXPECT_EQ(Query("SELECT count(*) FROM runs WHERE kind = 'neardup'"), "1\n");
  EXPECT_EQ(Query("SELECT * FROM neardup_members"), before);
}

}  // namespace
}  // namespace echotrace
