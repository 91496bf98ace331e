// End-to-end tests of the ingest pipeline on small files: real readers, real
// normaliser, real store in a temporary folder.
#include "echotrace/ingest.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "store/store_internal.h"
#include "util/str_cat.h"

namespace echotrace {
namespace {

namespace fs = std::filesystem;

class IngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           (StrCat("echotrace_ingest_test_", ::getpid()) + "_" +
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
    EXPECT_EQ(sqlite3_prepare_v2(store_internal::Handle(s), sql.c_str(), -1, &st, nullptr),
              SQLITE_OK)
        << sql;
    int64_t v = -1;
    if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
  }

  static std::string Text(Store* s, const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(store_internal::Handle(s), sql.c_str(), -1, &st, nullptr),
              SQLITE_OK)
        << sql;
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
  std::string jsonl =
      Write("posts.jsonl",
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
  std::string csv = Write("a.csv",
                          "author,content,publish_date\nx,one,2017-01-01 00:00:00\n"
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
  EXPECT_EQ(sum.warnings, 2u);  // "someday", and empty.jsonl is empty
  EXPECT_EQ(sum.invalid_utf8, 1u);
  EXPECT_EQ(sum.read, sum.ingested + sum.duplicates + sum.rejected);
  EXPECT_EQ(Count(store.get(), "SELECT count(*) FROM rejects"), 5);
  EXPECT_EQ(
      Text(store.get(), "SELECT line FROM rejects WHERE file LIKE '%bad.jsonl' ORDER BY line"),
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
    csv += StrCat("a", rng() % 50) + StrCat(",word", rng() % 1000) + " text " + std::to_string(i) +
           StrCat(",", 1500000000 + i) + "\n";
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
  for (int i = 0; i < 20000; ++i) csv += StrCat("a,text ", i) + "\n";
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
  std::string csv = Write("r.csv",
                          "author,content,publish_date\n"
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

namespace echotrace {
namespace {

// Issue 17 item 2: ids (and so reruns) must not depend on how the input path
// was spelled, nor on a --source given to a rerun.
TEST_F(IngestTest, RerunUnderAnotherPathSpellingOrSourceAddsNothing) {
  Write("in/a.txt", "An undated seed article about the grain embargo.\n");
  Write("in/sub/b.html", "<html><head><title>B</title></head><body><p>Body of b</p></body></html>");
  Write("in/rows.csv", "author,text\nann,first row\nbob,second row\nann,first row\n");
  const fs::path in = dir_ / "in";
  auto store = Open();
  IngestSummary first;
  ASSERT_TRUE(Ingest(store.get(), {in.string()}, Quiet(), &first).ok());
  EXPECT_EQ(first.ingested, 5u);
  const std::string ids = Text(store.get(), "SELECT ext_id, source FROM docs ORDER BY id");
  EXPECT_NE(ids.find("in/a.txt|in\n"), std::string::npos) << ids;
  EXPECT_NE(ids.find("in/sub/b.html|in\n"), std::string::npos) << ids;

  const fs::path cwd = fs::current_path();
  fs::current_path(dir_);
  std::vector<std::vector<std::string>> spellings = {
      {in.string() + "/"},
      {"./in/../in"},
      {"in"},
      {"in/"},
      {(dir_ / "in" / "sub" / ".." / ".").string()},
  };
  for (const auto& paths : spellings) {
    IngestSummary again;
    ASSERT_TRUE(Ingest(store.get(), paths, Quiet(), &again).ok()) << paths[0];
    EXPECT_EQ(again.ingested, 0u) << paths[0];
    EXPECT_EQ(again.duplicates, 5u) << paths[0];
  }
  IngestOptions relabel = Quiet();
  relabel.source = "X";
  IngestSummary with_source;
  ASSERT_TRUE(Ingest(store.get(), {"./in"}, relabel, &with_source).ok());
  fs::current_path(cwd);
  EXPECT_EQ(with_source.ingested, 0u);
  EXPECT_EQ(with_source.duplicates, 5u);
  EXPECT_EQ(Count(store.get(), "SELECT count(*) FROM docs"), 5);
  EXPECT_EQ(Text(store.get(), "SELECT ext_id, source FROM docs ORDER BY id"), ids);
}

// --source on a first ingest labels the documents; their content-hash ids are
// those of the record's own source, so a rerun without it matches them too.
TEST_F(IngestTest, SourceOverrideRelabelsWithoutChangingContentIds) {
  std::string csv = Write("rows.csv", "author,text\nann,first row\nbob,second row\n");
  auto plain = Open("plain.db");
  auto labelled = Open("labelled.db");
  IngestOptions o = Quiet();
  IngestSummary s1, s2, s3;
  ASSERT_TRUE(Ingest(plain.get(), {csv}, o, &s1).ok());
  o.source = "X";
  ASSERT_TRUE(Ingest(labelled.get(), {csv}, o, &s2).ok());
  const char* q = "SELECT ext_id FROM docs ORDER BY id";
  EXPECT_EQ(Text(plain.get(), q), Text(labelled.get(), q));
  EXPECT_EQ(Text(labelled.get(), "SELECT DISTINCT source FROM docs"), "X\n");
  ASSERT_TRUE(Ingest(labelled.get(), {csv}, Quiet(), &s3).ok());
  EXPECT_EQ(s3.ingested, 0u);
  EXPECT_EQ(s3.duplicates, 2u);
}

}  // namespace
}  // namespace echotrace

namespace echotrace {
namespace {

// Issue 17 item 12: a failing ingest must not look like success.
TEST_F(IngestTest, AllRecordsRejectedIsAFailureNotASuccess) {
  std::string csv = Write("odd.csv", "alpha,beta\n1,2\n3,4\n");
  auto store = Open();
  IngestSummary sum;
  Status s = Ingest(store.get(), {csv}, Quiet(), &sum);
  EXPECT_EQ(s.code(), StatusCode::kNotFound) << s.ToString();
  EXPECT_EQ(ExitCodeFor(s), 1);
  EXPECT_NE(s.message().find("all 2 record(s) read were rejected"), std::string::npos)
      << s.message();
  EXPECT_NE(s.message().find("--map"), std::string::npos) << s.message();
  EXPECT_EQ(sum.rejected, 2u);
  EXPECT_EQ(Text(store.get(), "SELECT status FROM runs"), "failed\n");
  // A rerun whose records are all stored already is a success.
  std::string good = Write("good.csv", "text\nhello\n");
  ASSERT_TRUE(Ingest(store.get(), {good}, Quiet(), &sum).ok());
  Status again = Ingest(store.get(), {good}, Quiet(), &sum);
  EXPECT_TRUE(again.ok()) << again.ToString();
  EXPECT_EQ(sum.duplicates, 1u);
  // --check says the same as the real run would.
  IngestOptions check = Quiet();
  check.check_only = true;
  EXPECT_EQ(Ingest(nullptr, {csv}, check, &sum).code(), StatusCode::kNotFound);
}

TEST_F(IngestTest, MapColumnMissingFromTheHeaderIsAnErrorNamingIt) {
  std::string csv = Write("h.csv", "Author,Body,When\nann,hello,2020-01-01\n");
  auto store = Open();
  IngestOptions o = Quiet();
  o.map = {"text=content"};
  IngestSummary sum;
  Status s = Ingest(store.get(), {csv}, o, &sum);
  ASSERT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
  EXPECT_NE(s.message().find("--map text=content"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("h.csv has no column 'content'"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("its columns are: Author, Body, When"), std::string::npos)
      << s.message();
  EXPECT_EQ(Count(store.get(), "SELECT count(*) FROM docs"), 0);
  EXPECT_EQ(Count(store.get(), "SELECT count(*) FROM rejects"), 0);
  // Case-insensitive, as the mapping itself, and every column of a join.
  o.map = {"text=body+WHEN"};
  s = Ingest(store.get(), {csv}, o, &sum);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(sum.ingested, 1u);
  // A header-only file is checked too.
  std::string header_only = Write("only.csv", "a,b\n");
  o.map = {"author=writer"};
  EXPECT_EQ(Ingest(store.get(), {header_only}, o, &sum).code(), StatusCode::kInvalidArgument);
}

TEST_F(IngestTest, EmptyHeaderOnlyAndSkippedFilesAreReported) {
  Write("mixed/a.jsonl", "{\"text\":\"one\"}\n");
  Write("mixed/b.csv", "text\n");    // header only
  Write("mixed/c.txt", "");          // empty
  Write("mixed/d.pdf", "%PDF-1.4");  // extension not read
  Write("mixed/e.docx", "PK");       // extension not read
  Write("mixed/.hidden.jsonl", "{\"text\":\"h\"}\n");
  Write("mixed/.git/config", "x");
  Write("mixed/blank.jsonl", "\n\n");  // blank lines only
  std::vector<std::string> warnings;
  IngestOptions o = Quiet();
  o.on_warning = [&](const std::string& w) { warnings.push_back(w); };
  auto store = Open();
  IngestSummary sum;
  Status s = Ingest(store.get(), {(dir_ / "mixed").string()}, o, &sum);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(sum.ingested, 1u);
  EXPECT_EQ(sum.files, 4u);
  EXPECT_EQ(sum.skipped_files, 4u);
  std::string all;
  for (const std::string& w : warnings) all += w + "\n";
  for (const char* want :
       {"b.csv: a header row (1 column) and no data rows", "c.txt: empty file",
        "blank.jsonl: no records in it", "d.pdf: extension not read in a folder",
        "e.docx: extension not read", ".hidden.jsonl: hidden file", ".git: hidden folder"}) {
    EXPECT_NE(all.find(want), std::string::npos) << want << " in\n" << all;
  }
  EXPECT_NE(sum.ToJson().find("\"skipped_files\":4"), std::string::npos) << sum.ToJson();

  // Only files without records: nothing stored from a non-empty input.
  s = Ingest(store.get(), {(dir_ / "mixed" / "b.csv").string()}, o, &sum);
  EXPECT_EQ(s.code(), StatusCode::kNotFound) << s.ToString();
  // An empty file alone has nothing to store: a warning, not a failure.
  s = Ingest(store.get(), {(dir_ / "mixed" / "c.txt").string()}, o, &sum);
  EXPECT_TRUE(s.ok()) << s.ToString();
}

// Issue 17 item 3: a rerun of the same input records each reject once.
TEST_F(IngestTest, RerunRecordsTheSameRejectOnce) {
  std::string jsonl = Write("r.jsonl", "{\"id\":\"1\",\"text\":\"ok\"}\n{broken\n{\"id\":\"3\"}\n");
  std::string csv = Write("r.csv", "id,text\n4,fine\n5,too,many\n");
  auto store = Open();
  for (int i = 0; i < 3; ++i) {
    IngestSummary sum;
    ASSERT_TRUE(Ingest(store.get(), {jsonl, csv}, Quiet(), &sum).ok());
    EXPECT_EQ(sum.rejected, 3u);  // read and rejected in every run
  }
  EXPECT_EQ(Count(store.get(), "SELECT count(*) FROM rejects"), 3);
  // The row keeps the run that first recorded it.
  EXPECT_EQ(Count(store.get(), "SELECT count(DISTINCT run_id) FROM rejects"), 1);
  // Another file with the same fault at the same line is another reject.
  std::string other = Write("s.jsonl", "{\"id\":\"6\",\"text\":\"ok\"}\n{broken\n");
  IngestSummary sum;
  ASSERT_TRUE(Ingest(store.get(), {other}, Quiet(), &sum).ok());
  EXPECT_EQ(Count(store.get(), "SELECT count(*) FROM rejects"), 4);
}

// Issue 17 item 14: the input's own language value is kept beside `lang`.
TEST_F(IngestTest, InputLanguageValueIsKeptBesideTheDetectedOne) {
  std::string csv = Write("l.csv",
                          "text,language\n"
                          "The ferry to the island was cancelled again because of storms,English\n"
                          "The ferry to the island was cancelled again because of storms,"
                          "LANGUAGE UNDEFINED\n"
                          "The ferry to the island was cancelled again because of storm,\n");
  auto store = Open();
  IngestSummary sum;
  ASSERT_TRUE(Ingest(store.get(), {csv}, Quiet(), &sum).ok());
  EXPECT_EQ(Text(store.get(), "SELECT lang, input_lang FROM docs ORDER BY id"),
            "en|English\nen|LANGUAGE UNDEFINED\nen|NULL\n");
}

}  // namespace
}  // namespace echotrace

namespace echotrace {
namespace {

// Issue 17 item 18: one NUL byte no longer rejects a whole file, and a NUL
// inside a record is treated the same in every format: dropped, counted.
TEST_F(IngestTest, NulBytesAreDroppedAndCountedInEveryFormat) {
  using namespace std::string_literals;
  std::string csv = Write("n.csv", "id,text\nc1,good one\nc2,has a \0NUL\nc3,good three\n"s);
  std::string jsonl =
      Write("n.jsonl", "{\"id\":\"j1\",\"text\":\"a\0b\"}\n{\"id\":\"j2\",\"text\":\"c\"}\n"s);
  std::string text = Write("n.txt", "Some text with one NUL \0byte in the middle of it.\n"s);
  std::vector<std::string> warnings;
  IngestOptions o = Quiet();
  o.on_warning = [&](const std::string& w) { warnings.push_back(w); };
  auto store = Open();
  IngestSummary sum;
  ASSERT_TRUE(Ingest(store.get(), {csv, jsonl, text}, o, &sum).ok());
  EXPECT_EQ(sum.ingested, 6u);
  EXPECT_EQ(sum.rejected, 0u);
  EXPECT_EQ(sum.nul_bytes, 3u);
  EXPECT_EQ(sum.warnings, 3u);
  ASSERT_EQ(warnings.size(), 3u);
  EXPECT_NE(warnings[0].find("n.csv:3: 1 NUL byte(s) dropped"), std::string::npos) << warnings[0];
  EXPECT_EQ(Text(store.get(), "SELECT text FROM docs WHERE ext_id IN ('c2', 'j1') ORDER BY id"),
            "has a NUL\nab\n");
  EXPECT_EQ(Count(store.get(), "SELECT count(*) FROM docs WHERE instr(text, char(0)) > 0"), 0);
  EXPECT_NE(sum.ToJson().find("\"nul_bytes\":3"), std::string::npos);
}

}  // namespace
}  // namespace echotrace

namespace echotrace {
namespace {

// Issue 17 item 4: undated inputs can be given a date with --time.
TEST_F(IngestTest, TimeOptionDatesUndatedDocumentsOnly) {
  Write("arts/a.txt", "An undated seed article.\n");
  Write("arts/b.html",
        "<html><head><meta property='article:published_time' content='2025-01-02T00:00:00Z'>"
        "</head><body><p>A dated copy.</p></body></html>");
  std::string csv =
      Write("rows.csv", "author,text,time\nann,undated row,\nbob,dated row,1700000000\n");
  auto plain = Open("plain.db");
  auto dated = Open("dated.db");
  IngestSummary sum;
  ASSERT_TRUE(Ingest(plain.get(), {(dir_ / "arts").string(), csv}, Quiet(), &sum).ok());
  IngestOptions o = Quiet();
  o.time = "2020-06-01T12:00:00Z";
  ASSERT_TRUE(Ingest(dated.get(), {(dir_ / "arts").string(), csv}, o, &sum).ok());
  EXPECT_EQ(Text(dated.get(), "SELECT ext_id LIKE 'h:%', time, extra FROM docs ORDER BY id"),
            "0|1591012800|{\"time_from\":\"--time\"}\n"
            "0|1735776000|{\"time_from\":\"meta article:published_time\"}\n"
            "1|1591012800|{\"time_from\":\"--time\"}\n"
            "1|1700000000|NULL\n");
  // The ids are those of a run without --time: reruns match either way.
  const char* ids = "SELECT ext_id FROM docs ORDER BY id";
  EXPECT_EQ(Text(plain.get(), ids), Text(dated.get(), ids));
  ASSERT_TRUE(Ingest(dated.get(), {(dir_ / "arts").string(), csv}, Quiet(), &sum).ok());
  EXPECT_EQ(sum.duplicates, 4u);
  // Unix seconds work too; anything else is a usage error.
  o.time = "1591012800";
  ASSERT_TRUE(Ingest(plain.get(), {csv}, o, &sum).ok());
  o.time = "last tuesday";
  Status s = Ingest(plain.get(), {csv}, o, &sum);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("--time 'last tuesday'"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace echotrace
