// The reuse stage on a real store: ingest a small fictional corpus, run
// `analyze --only reuse`, read the tables and the exports back.
#include "reuse/stage.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <vector>

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

  // A small demo corpus (posts, forum posts, articles) under dir_/demo.
  void WriteDemo(int posts, int forum_posts, int articles, DemoSummary* corpus) {
    DemoOptions d;
    d.out_dir = (dir_ / "demo").string();
    d.posts = posts;
    d.forum_posts = forum_posts;
    d.articles = articles;
    ASSERT_TRUE(WriteDemoCorpus(d, corpus).ok());
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
            "origin_doc_id,origin_time,undated_documents,origin_certain\n"
            // "f,1" has no time: p1 is the earliest dated, not provably first.
            "1,3,3,2,3,2026-02-02T10:00:00Z,2026-02-03T09:00:00Z,p1,2026-02-02T10:00:00Z,1,0\n");
  EXPECT_EQ(ExportTo("reuse-clusters", "jsonl"),
            "{\"cluster_id\":1,\"occurrences\":3,\"documents\":3,\"sources\":2,\"authors\":3,"
            "\"first_time\":\"2026-02-02T10:00:00Z\",\"last_time\":\"2026-02-03T09:00:00Z\","
            "\"origin_doc_id\":\"p1\",\"origin_time\":\"2026-02-02T10:00:00Z\","
            "\"undated_documents\":1,\"origin_certain\":0}\n");
  EXPECT_EQ(Query("SELECT count(*) FROM reuse_boilerplate"), "0\n");
}

TEST_F(ReuseStageTest, UndatedOriginHasAnEmptyTime) {
  IngestJsonl(
      "{\"id\":\"x\",\"text\":\"one two three four five six seven eight nine ten eleven\"}\n"
      "{\"id\":\"y\",\"text\":\"zero one two three four five six seven eight nine ten eleven\"}\n");
  ASSERT_TRUE(Reuse().ok());
  EXPECT_EQ(ExportTo("reuse-clusters", "csv"),
            "cluster_id,occurrences,documents,sources,authors,first_time,last_time,"
            "origin_doc_id,origin_time,undated_documents,origin_certain\n1,2,2,1,0,,,x,,2,0\n");
  EXPECT_NE(ExportTo("reuse-clusters", "jsonl").find("\"origin_time\":null"), std::string::npos);
}

TEST_F(ReuseStageTest, SourcesAVersusB) {
  IngestJsonl(kCorpus);
  AnalyzeOptions o;
  o.reuse.sources_a = {"forum"};  // B: every other source
  ASSERT_TRUE(Reuse(o).ok());
  // Only forum-chirp pairs are aligned; the cluster joins through them.
  EXPECT_EQ(Query("SELECT doc_a, doc_b FROM reuse_pairs ORDER BY 1, 2"), "1|3\n2|3\n");
  EXPECT_EQ(Query("SELECT occurrences FROM reuse_clusters"), "3\n");
  EXPECT_NE(Query("SELECT params FROM runs WHERE kind = 'reuse'").find("\"sources_a\":[\"forum\"]"),
            std::string::npos);

  o.reuse.sources_b = {"forum"};
  EXPECT_EQ(Reuse(o).code(), StatusCode::kInvalidArgument);  // on both sides
  o.reuse.sources_b = {"nowhere"};
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
  o.reuse.full = true;
  ASSERT_TRUE(Reuse(o).ok());
  EXPECT_EQ(ExportTo("reuse", "jsonl") + ExportTo("reuse-clusters", "csv"), one);
  EXPECT_EQ(Query("SELECT count(DISTINCT run_id) FROM reuse_occurrences"), "1\n");
  EXPECT_EQ(Query("SELECT count(*) FROM runs WHERE kind = 'reuse' AND status = 'ok'"), "2\n");
  // Nothing new: an increment that changes nothing.
  o.reuse.full = false;
  ASSERT_TRUE(Reuse(o).ok());
  EXPECT_EQ(ExportTo("reuse", "jsonl") + ExportTo("reuse-clusters", "csv"), one);
  EXPECT_EQ(Query("SELECT json_extract(summary, '$.mode'), json_extract(summary, "
                  "'$.new_documents') FROM runs ORDER BY id DESC LIMIT 1"),
            "incremental|0\n");
}

// Everything the reuse tables hold, by docs.id, in a fixed order.
std::string ReuseTables(const std::function<std::string(const std::string&)>& q) {
  return q("SELECT cluster_id, origin_doc_id, origin_start, occurrences, documents, sources, "
           "authors, first_time, last_time FROM reuse_clusters ORDER BY cluster_id") +
         q("SELECT cluster_id, doc_id, start, end, tok_begin, tok_end, centre FROM "
           "reuse_occurrences ORDER BY 1, 2, 3, 4") +
         q("SELECT doc_a, a_start, a_end, doc_b, b_start, b_end, identity, containment FROM "
           "reuse_pairs ORDER BY 1, 2, 3, 4, 5, 6") +
         q("SELECT source, ngram_hash, docs, example_doc_id, example FROM reuse_boilerplate "
           "ORDER BY 1, 2");
}

// After each of three ingests, `analyze` processes only the new documents;
// the tables then equal, row for row, those of one full run over a store
// that ingested the same files, and cluster ids once given keep their
// occurrences.
TEST_F(ReuseStageTest, IncrementalRunsEqualAFullRebuild) {
  DemoSummary corpus;
  ASSERT_NO_FATAL_FAILURE(WriteDemo(1200, 240, 30, &corpus));
  // The posts file cut in three, so that copies and their origins land in
  // different steps; the articles come first, the forum last.
  std::vector<std::string> posts, steps_files[3];
  for (const std::string& in : corpus.inputs) {
    if (in.size() > 6 && in.substr(in.size() - 6) == ".jsonl") {
      std::ifstream f(in);
      for (std::string line; std::getline(f, line);) posts.push_back(line);
    } else {
      steps_files[in.find("forum") != std::string::npos ? 2 : 0].push_back(in);
    }
  }
  ASSERT_GT(posts.size(), 1000u);
  const size_t cut[4] = {0, posts.size() / 2, posts.size() / 2 + posts.size() / 5, posts.size()};
  for (int k = 0; k < 3; ++k) {
    const std::string path = (dir_ / ("posts" + std::to_string(k) + ".jsonl")).string();
    std::ofstream out(path);
    for (size_t i = cut[k]; i < cut[k + 1]; ++i) out << posts[i] << "\n";
    steps_files[k].push_back(path);
  }
  auto ingest = [&](const std::vector<std::string>& files) {
    IngestOptions io;
    io.progress = false;
    IngestSummary sum;
    Status s = echotrace::Ingest(store_.get(), files, io, &sum);
    ASSERT_TRUE(s.ok()) << s.ToString();
  };
  auto q = [&](const std::string& sql) { return Query(sql); };

  std::string after_first;
  for (int k = 0; k < 3; ++k) {
    ingest(steps_files[k]);
    ASSERT_TRUE(Reuse().ok());
    if (k == 0) {
      after_first = Query(
          "SELECT cluster_id, doc_id, tok_begin, centre FROM reuse_occurrences ORDER BY 1, 2, 3");
    }
  }
  EXPECT_EQ(Query("SELECT kind, json_extract(summary, '$.mode') FROM runs WHERE kind LIKE "
                  "'reuse%' ORDER BY id"),
            "reuse|full\nreuse-increment|incremental\nreuse-increment|incremental\n");
  const std::string stepwise = ReuseTables(q);
  ASSERT_GT(std::count(stepwise.begin(), stepwise.end(), '\n'), 100);
  // Every occurrence of the first run is still there, in its cluster
  // (its span may have grown: compared by start token within the cluster).
  std::istringstream first(after_first);
  const std::string now =
      Query("SELECT cluster_id, doc_id, tok_begin, centre FROM reuse_occurrences ORDER BY 1, 2, 3");
  for (std::string row; std::getline(first, row);) {
    const std::string key = row.substr(0, row.rfind('|', row.rfind('|') - 1) + 1);
    EXPECT_NE(now.find(key), std::string::npos) << row;
  }

  // The same files into a new store, one full run.
  store_.reset();
  std::filesystem::rename(dir_ / "t.db", dir_ / "stepwise.db");
  auto s = Store::Open((dir_ / "t.db").string(), OpenMode::kReadWrite);
  ASSERT_TRUE(s.ok());
  store_ = std::move(s).value();
  for (int k = 0; k < 3; ++k) ingest(steps_files[k]);
  ASSERT_TRUE(Reuse().ok());
  EXPECT_EQ(ReuseTables(q), stepwise);
  // And --full on the stepwise store gives the same again.
  store_.reset();
  s = Store::Open((dir_ / "stepwise.db").string(), OpenMode::kReadWrite);
  ASSERT_TRUE(s.ok());
  store_ = std::move(s).value();
  AnalyzeOptions full;
  full.reuse.full = true;
  ASSERT_TRUE(Reuse(full).ok());
  EXPECT_EQ(ReuseTables(q), stepwise);
}

// Ten small ingests, each followed by an incremental run: the index blobs
// of a partition are merged once there are eight, and the result is still
// a full run's.
TEST_F(ReuseStageTest, ManyIncrementsMergeTheIndexAndEqualAFullRun) {
  const char* kWords[] = {"harbour", "grain", "pilots", "merrin", "embargo", "council",
                          "river",   "ferry", "strike", "ledger", "convoy",  "quay",
                          "tariff",  "storm", "signal", "ration", "dockers", "ballot"};
  uint64_t r = 12345;
  auto word = [&] {
    r = r * 6364136223846793005ull + 1442695040888963407ull;
    return std::string(kWords[(r >> 33) % 18]) + std::to_string((r >> 40) % 50);
  };
  std::vector<std::string> passages;
  for (int i = 0; i < 6; ++i) {
    std::string p;
    for (int k = 0; k < 14; ++k) p += (k ? " " : "") + word();
    passages.push_back(p);
  }
  int id = 0;
  for (int step = 0; step < 10; ++step) {
    std::string jsonl;
    for (int i = 0; i < 60; ++i, ++id) {
      std::string text;
      for (int k = 0; k < 8; ++k) text += word() + " ";
      if (id % 3 == 0) text += passages[static_cast<size_t>(id / 3) % passages.size()];
      jsonl += "{\"id\":\"d" + std::to_string(id) + "\",\"source\":\"s" + std::to_string(id % 3) +
               "\",\"time\":" + std::to_string(1700000000 + id * 60) + ",\"text\":\"" + text +
               "\"}\n";
    }
    IngestJsonl(jsonl);
    ASSERT_TRUE(Reuse().ok());
  }
  EXPECT_EQ(Query("SELECT count(*) FROM runs WHERE kind = 'reuse-increment' AND status = 'ok'"),
            "9\n");
  // Each increment appends a blob to every partition it has postings for
  // (60 posts: most of the 256), so without merging many would hold ten.
  EXPECT_EQ(Query("SELECT max(n) <= 8 FROM (SELECT count(*) AS n FROM reuse_index GROUP BY part)"),
            "1\n");
  auto q = [&](const std::string& sql) { return Query(sql); };
  const std::string stepwise = ReuseTables(q);
  ASSERT_GT(std::count(stepwise.begin(), stepwise.end(), '\n'), 20);
  AnalyzeOptions full;
  full.reuse.full = true;
  ASSERT_TRUE(Reuse(full).ok());
  EXPECT_EQ(ReuseTables(q), stepwise);
}

TEST_F(ReuseStageTest, BadOptionsAreUsageErrors) {
  IngestJsonl(kCorpus);
  AnalyzeOptions o;
  o.reuse.min_tokens = 0;
  EXPECT_EQ(Reuse(o).code(), StatusCode::kInvalidArgument);
  o = {};
  o.reuse.max_df = 1;
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
  DemoSummary corpus;
  ASSERT_NO_FATAL_FAILURE(WriteDemo(1500, 300, 40, &corpus));
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
