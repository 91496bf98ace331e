// End-to-end tests of the ingest pipeline on small files: real readers, real
// normaliser, real store in a temporary folder.
#include "echotrace/ingest.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <random>

namespace echotrace {
namespace {

namespace fs = std::filesystem;

class IngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("echotrace_ingest_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& content) {
    fs::path p = dir_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
  }

  std::unique_ptr<Store> Open(const std::string& name = "t.db") {
    auto s = Store::Open((dir_ / name).string(), OpenMode::kReadWrite);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return std::move(s).value();
  }

  static IngestOptions Quiet() {
    IngestOptions o;
    o.progress = false;
    o.on_warning = [](const std::string&) {};
    return o;
  }

  static int64_t Count(Store* s, const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(s->handle(), sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sql;
    int64_t v = -1;
    if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
  }

  static std::string Text(Store* s, const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(s->handle(), sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sql;
    std::string v;
    while (sqlite3_step(st) == SQLITE_ROW) {
      int n = sqlite3_column_count(st);
      for (int i = 0; i < n; ++i) {
        const unsigned char* t = sqlite3_column_text(st, i);
        v += t ? reinterpret_cast<const char*>(t) : "NULL";
        v += i + 1 < n ? "|" : "\n";
      }
    }
    sqlite3_finalize(st);
    return v;
  }

  fs::path dir_;
};

TEST_F(IngestTest, JsonlAndCsvMapOntoCanonicalFields) {
  std::string jsonl = Write("posts.jsonl",
                            "{\"id\":\"p1\",\"text\":\"First post #alpha\",\"author\":\"ann\","
                            "\"time\":\"2024-03-01T10:00:00Z\",\"lang\":\"en\"}\n"
                            "{\"id\":\"p2\",\"text\":\"Second\",\"user\":{\"screen_name\":\"bob\"}}\n");
  std::string csv = Write("forum.csv",
                          "post_id,user,created_at,body\n"
                          "f1,carl,1709287200,\"Hello, \"\"world\"\"\nsecond line\"\n");
  auto store = Open();
  IngestSummary sum;
  Status s = Ingest(store.get(), {jsonl, csv}, Quiet(), &sum);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(sum.read, 3u);
  EXPECT_EQ(sum.ingested, 3u);
  EXPECT_EQ(sum.rejected, 0u);
  EXPECT_EQ(sum.files, 2u);
  EXPECT_EQ(Text(store.get(), "SELECT ext_id, author, time, source FROM docs ORDER BY id"),
            "p1|ann|1709287200|posts\n"
            "p2|bob|NULL|posts\n"
            "f1|carl|1709287200|forum\n");
  EXPECT_EQ(Text(store.get(), "SELECT text FROM docs WHERE ext_id='f1'"),
            "Hello, \"world\"\nsecond line\n");
  EXPECT_EQ(Count(store.get(), "SELECT count(*) FROM entities WHERE kind=3 AND value='alpha'"), 1);
}

TEST_F(IngestTest, RerunAddsNothing) {
  std::string csv = Write("a.csv", "author,content,publish_date\nx,one,2017-01-01 00:00:00\n"
                                   "y,two,2017-01-01 00:01:00\nx,one,2017-01-01 00:05:00\n");
  auto store = Open();
  IngestSummary first, second;
  ASSERT_TRUE(Ingest(store.get(), {csv}, Quiet(), &first).ok());
  EXPECT_EQ(first.ingested, 3u);  // same text, other time: a different post
  ASSERT_TRUE(Ingest(store.get(), {csv}, Quiet(), &second).ok());
  EXPECT_EQ(second.ingested, 0u);
  EXPECT_EQ(second.duplicates, 3u);
  EXPECT_EQ(Count(store.get(), "SELECT count(*) FROM docs"), 3);
  EXPECT_EQ(Count(store.get(), "SELECT count(*) FROM docs_fts WHERE docs_fts MATCH 'one'"), 2);
}

TEST_F(IngestTest, BadRecordsAreRejectedAndTheRestKept) {
  std::string jsonl = Write("bad.jsonl",
                            "{\"id\":\"1\",\"text\":\"good one\"}\n"
                            "{\"id\":\"2\",\"text\": broken\n"
                            "{\"id\":\"3\"}\n"
                            "{\"id\":\"4\",\"text\":\"caf\xe9\"}\n"
                            "[1,2]\n"
                            "{\"id\":\"5\",\"text\":\"good two\",\"time\":\"someday\"}\n");
  std::string csv = Write("bad.csv", "id,text\n6,fine\n7,too,many\n8,also fine\n");
  std::string empty = Write("empty.jsonl", "");
  std::string binary = Write("blob.csv", std::string("\x00\x01\x02\x03garbage\x00", 12));
  auto store = Open();
  IngestSummary sum;
  Status s = Ingest(store.get(), {jsonl, csv, empty, binary}, Quiet(), &sum);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(sum.ingested, 5u);  // 1, 4, 5, 6, 8
  EXPECT_EQ(sum.rejected, 5u);  // 2 (JSON), 3 (no text), [1,2], 7 (fields), blob
  EXPECT_EQ(sum.warnings, 1u);  // "someday"
  EXPECT_EQ(sum.invalid_utf8, 1u);
  EXPECT_EQ(sum.read, sum.ingested + sum.duplicates + sum.rejected);
  EXPECT_EQ(Count(store.get(), "SELECT count(*) FROM rejects"), 5);
  EXPECT_EQ(Text(store.get(), "SELECT line FROM rejects WHERE file LIKE '%bad.jsonl' ORDER BY line"),
            "2\n3\n5\n");
  EXPECT_EQ(Text(store.get(), "SELECT line FROM rejects WHERE file LIKE '%bad.csv'"), "3\n");
  EXPECT_EQ(Text(store.get(), "SELECT line FROM rejects WHERE file LIKE '%blob.csv'"), "0\n");
}

TEST_F(IngestTest, StrictStopsAtTheFirstRejectWithFileAndLine) {
  std::string jsonl = Write("s.jsonl",
                            "{\"id\":\"1\",\"text\":\"good\"}\n"
                            "{\"id\":\"2\",\"text\":\"good\"}\n"
                            "not json\n"
                            "{\"id\":\"4\",\"text\":\"never read\"}\n");
  auto store = Open();
  IngestOptions o = Quiet();
  o.strict = true;
  IngestSummary sum;
  Status s = Ingest(store.get(), {jsonl}, o, &sum);
  ASSERT_EQ(s.code(), StatusCode::kBadInput) << s.ToString();
  EXPECT_NE(s.message().find("s.jsonl:3:"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("--strict"), std::string::npos) << s.message();
  // What came before the bad line is stored; nothing after it.
  EXPECT_EQ(Count(store.get(), "SELECT count(*) FROM docs"), 2);
  EXPECT_EQ(Count(store.get(), "SELECT count(*) FROM docs WHERE ext_id='4'"), 0);
}

TEST_F(IngestTest, MissingPathIsAUsageError) {
  auto store = Open();
  IngestSummary sum;
  Status s = Ingest(store.get(), {(dir_ / "nope.csv").string()}, Quiet(), &sum);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
  EXPECT_NE(s.message().find("nope.csv"), std::string::npos);
}

TEST_F(IngestTest, HugeSingleLineIsHandled) {
  // A 50 MB line: read as one record, without running out of memory.
  std::string big(50u << 20, 'a');
  for (size_t i = 100; i < big.size(); i += 100) big[i] = ' ';
  std::string path = Write("big.jsonl", "{\"id\":\"big\",\"text\":\"" + big + "\"}\n" +
                                            "{\"id\":\"small\",\"text\":\"after\"}\n");
  big.clear();
  auto store = Open();
  IngestSummary sum;
  ASSERT_TRUE(Ingest(store.get(), {path}, Quiet(), &sum).ok());
  EXPECT_EQ(sum.ingested, 2u);
  EXPECT_EQ(Count(store.get(), "SELECT length(text) FROM docs WHERE ext_id='big'"), 50 << 20);
}

TEST_F(IngestTest, ResultIsTheSameWhateverTheThreadCount) {
  std::mt19937_64 rng(7);
  std::string csv = "author,text,time\n";
  for (int i = 0; i < 5000; ++i) {
    csv += "a" + std::to_string(rng() % 50) + ",word" + std::to_string(rng() % 1000) + " text " +
           std::to_string(i) + "," + std::to_string(1500000000 + i) + "\n";
  }
  std::string path = Write("r.csv", csv);
  auto one = Open("one.db");
  auto four = Open("four.db");
  IngestOptions o = Quiet();
  o.batch_records = 97;  // many batches, finished out of order
  IngestSummary s1, s4;
  o.threads = 1;
  ASSERT_TRUE(Ingest(one.get(), {path}, o, &s1).ok());
  o.threads = 4;
  ASSERT_TRUE(Ingest(four.get(), {path}, o, &s4).ok());
  const char* q = "SELECT id, ext_id, author, time, text, norm_hash FROM docs ORDER BY id";
  EXPECT_EQ(Text(one.get(), q), Text(four.get(), q));
  EXPECT_EQ(s1.ingested, 5000u);
}

TEST_F(IngestTest, CancelStopsAndRecordsAnInterruptedRun) {
  std::string csv = "author,text\n";
  for (int i = 0; i < 20000; ++i) csv += "a,text " + std::to_string(i) + "\n";
  std::string path = Write("c.csv", csv);
  auto store = Open();
  std::atomic<bool> cancel{true};
  IngestOptions o = Quiet();
  o.cancel = &cancel;
  o.batch_records = 1000;
  IngestSummary sum;
  Status s = Ingest(store.get(), {path}, o, &sum);
  EXPECT_EQ(s.code(), StatusCode::kCancelled);
  EXPECT_TRUE(sum.interrupted);
  EXPECT_EQ(sum.ingested, 1000u);  // the batch being written is committed
  EXPECT_EQ(Text(store.get(), "SELECT status FROM runs"), "interrupted\n");
  // Rerunning resumes and ends with every record exactly once.
  IngestSummary again;
  ASSERT_TRUE(Ingest(store.get(), {path}, Quiet(), &again).ok());
  EXPECT_EQ(again.duplicates, 1000u);
  EXPECT_EQ(Count(store.get(), "SELECT count(*) FROM docs"), 20000);
}

TEST_F(IngestTest, IraSampleMapsWithoutFlags) {
  std::string path = std::string(ECHOTRACE_SHARED_DATA) + "/ira/ira_sample_200k.csv.zst";
  if (!fs::exists(path)) GTEST_SKIP() << "shared data not found at " << path;
  auto store = Open();
  IngestSummary sum;
  ASSERT_TRUE(Ingest(store.get(), {path}, Quiet(), &sum).ok());
  EXPECT_EQ(sum.read, 200000u);
  EXPECT_EQ(sum.rejected, 0u);
  EXPECT_EQ(sum.ingested, 200000u);  // repeated rows are kept (own ids)
  EXPECT_EQ(Count(store.get(), "SELECT count(*) FROM docs WHERE author IS NULL OR author=''"), 0);
  EXPECT_EQ(Count(store.get(), "SELECT count(*) FROM docs WHERE time IS NULL"), 0);
  EXPECT_EQ(Text(store.get(), "SELECT author, time, source FROM docs WHERE id=1"),
            "10_gop|1504813920|ira_sample_200k\n");
  IngestSummary again;
  ASSERT_TRUE(Ingest(store.get(), {path}, Quiet(), &again).ok());
  EXPECT_EQ(again.ingested, 0u);
}

}  // namespace
}  // namespace echotrace

namespace echotrace {
namespace {

TEST_F(IngestTest, RepeatedRowsWithoutIdsAreAllKept) {
  // The IRA data repeats some rows verbatim. Every input row is stored once,
  // and a rerun adds nothing.
  std::string csv = Write("r.csv", "author,content,publish_date\n"
                                   "x,same,2017-01-01 00:00:00\n"
                                   "y,other,2017-01-01 00:00:00\n"
                                   "x,same,2017-01-01 00:00:00\n"
                                   "x,same,2017-01-01 00:00:00\n");
  auto store = Open();
  IngestSummary first, second;
  ASSERT_TRUE(Ingest(store.get(), {csv}, Quiet(), &first).ok());
  EXPECT_EQ(first.ingested, 4u);
  EXPECT_EQ(first.duplicates, 0u);
  EXPECT_EQ(Count(store.get(), "SELECT count(*) FROM docs WHERE ext_id LIKE 'h:%#4'"), 1);
  EXPECT_EQ(Count(store.get(), "SELECT count(*) FROM docs WHERE ext_id LIKE 'h:%#5'"), 1);
  ASSERT_TRUE(Ingest(store.get(), {csv}, Quiet(), &second).ok());
  EXPECT_EQ(second.ingested, 0u);
  EXPECT_EQ(second.duplicates, 4u);
}

TEST_F(IngestTest, SameIdFromAnotherSourceIsAnotherDocument) {
  std::string a = Write("forum.jsonl", "{\"id\":\"1\",\"text\":\"forum post\"}\n");
  std::string b = Write("chat.jsonl", "{\"id\":\"1\",\"text\":\"chat message\"}\n");
  auto store = Open();
  IngestSummary s1, s2;
  ASSERT_TRUE(Ingest(store.get(), {a, b}, Quiet(), &s1).ok());
  EXPECT_EQ(s1.ingested, 2u);
  EXPECT_EQ(Text(store.get(), "SELECT ext_id, source FROM docs ORDER BY id"),
            "1|forum\nchat:1|chat\n");
  ASSERT_TRUE(Ingest(store.get(), {a, b}, Quiet(), &s2).ok());
  EXPECT_EQ(s2.duplicates, 2u);
}

}  // namespace
}  // namespace echotrace

namespace echotrace {
namespace {

TEST_F(IngestTest, UnreadableInputsAreReportedNotFatal) {
  // A broken symbolic link cannot be read: a usage error naming it.
  fs::create_symlink(dir_ / "gone.jsonl", dir_ / "link.jsonl");
  auto store = Open();
  IngestSummary sum;
  Status s = Ingest(store.get(), {(dir_ / "link.jsonl").string()}, Quiet(), &sum);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
  EXPECT_NE(s.message().find("link.jsonl"), std::string::npos) << s.message();

  // A file that opens but fails on read (/proc/self/mem: EIO at offset 0)
  // becomes a reject for that file; the other inputs are still ingested.
  std::string good = Write("good.jsonl", "{\"id\":\"g\",\"text\":\"fine\"}\n");
  IngestOptions o = Quiet();
  o.format = "jsonl";
  s = Ingest(store.get(), {good, "/proc/self/mem"}, o, &sum);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(sum.ingested, 1u);
  EXPECT_EQ(sum.rejected, 1u);
  EXPECT_EQ(Count(store.get(), "SELECT count(*) FROM rejects WHERE file='/proc/self/mem'"), 1);
}

}  // namespace
}  // namespace echotrace
