// Integration tests of the command line: exit codes, --json contracts,
// messages, and the crash-resume guarantee (SIGKILL half-way, rerun, every
// record exactly once).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

extern char** environ;

namespace {

namespace fs = std::filesystem;

struct RunResult {
  int code = -1;
  std::string out;
  std::string err;
};

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("echotrace_cli_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    db_ = (dir_ / "t.db").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs the binary through the shell; `args` is shell text.
  RunResult Run(const std::string& args, const std::string& stdin_path = "/dev/null") {
    std::string cmd = std::string(ECHOTRACE_BINARY) + " " + args + " <" + stdin_path + " >" +
                      (dir_ / "out").string() + " 2>" + (dir_ / "err").string();
    int rc = std::system(cmd.c_str());
    RunResult r;
    r.code = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
    r.out = Slurp(dir_ / "out");
    r.err = Slurp(dir_ / "err");
    return r;
  }

  std::string Write(const std::string& name, const std::string& content) {
    fs::path p = dir_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
  }

  int64_t Query(const std::string& sql) {
    sqlite3* db = nullptr;
    int64_t v = -1;
    if (sqlite3_open_v2(db_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
      sqlite3_busy_timeout(db, 5000);
      sqlite3_stmt* st = nullptr;
      if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK &&
          sqlite3_step(st) == SQLITE_ROW) {
        v = sqlite3_column_int64(st, 0);
      }
      sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return v;
  }

  fs::path dir_;
  std::string db_;
};

TEST_F(CliTest, HelpOnEveryVerb) {
  for (const char* verb : {"ingest", "stats", "search", "trace", "show", "analyze", "export",
                           "demo", "match", "eval-match", "compare"}) {
    RunResult r = Run(std::string(verb) + " --help");
    EXPECT_EQ(r.code, 0) << verb << r.err;
    EXPECT_NE(r.out.find("--"), std::string::npos) << verb;
  }
  RunResult r = Run("--help");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("ingest"), std::string::npos);
}

TEST_F(CliTest, UsageErrorsExitTwo) {
  EXPECT_EQ(Run("frobnicate").code, 2);
  EXPECT_EQ(Run("ingest").code, 2);  // --db and paths are required
  RunResult r = Run("ingest --db " + db_ + " --map nonsense " + Write("a.jsonl", ""));
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--map"), std::string::npos) << r.err;
  r = Run("ingest --db " + db_ + " " + (dir_ / "missing.csv").string());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("missing.csv"), std::string::npos) << r.err;
  r = Run("stats --db " + (dir_ / "absent.db").string());
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("absent.db"), std::string::npos) << r.err;
}

TEST_F(CliTest, DemoRunsEndToEnd) {
  std::string out = (dir_ / "demo").string();
  RunResult r = Run("demo --json --out " + out);
  ASSERT_EQ(r.code, 0) << r.err;
  // Every generated document is stored and every planted span is where the
  // ground truth says (the command fails otherwise).
  EXPECT_NE(r.out.find("\"rejected\":0"), std::string::npos) << r.out;
  // The detectors find what was planted (figures of the default seed).
  EXPECT_NE(r.out.find("\"reuse_occurrences_recovered\":218"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"coord_groups_recovered\":5"), std::string::npos) << r.out;
  // Every planted near-duplicate pair within the threshold is found (the
  // other planted copies were edited below it).
  EXPECT_NE(r.out.find("\"neardup_close_pairs\":1060,\"neardup_close_pairs_found\":1060"),
            std::string::npos)
      << r.out;
  EXPECT_TRUE(fs::exists(dir_ / "demo" / "demo.db"));
  EXPECT_TRUE(fs::exists(dir_ / "demo" / "ground_truth.json"));
#if ECHOTRACE_HAVE_FRONT_END
  EXPECT_TRUE(fs::exists(dir_ / "demo" / "report.html"));
#else  // a build without the web front end writes no report, and says so
  EXPECT_NE(r.out.find("\"report\":null"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("no web front end"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "demo" / "report.html"));
#endif
  // Deterministic: a second run with the same seed gives the same figures
  // (timings aside).
  std::string first = r.out.substr(r.out.find("\"planted_spans\""));
  r = Run("demo --json --out " + out);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.substr(r.out.find("\"planted_spans\"")), first);
}

TEST_F(CliTest, CoordinationEdgesGroupsAndGephiExports) {
  // Three accounts post the same link within seconds, on three days.
  std::string lines;
  int id = 0;
  for (int day = 0; day < 3; ++day) {
    for (const char* who : {"ann", "bob", "<b>cy</b>"}) {
      ++id;
      lines += "{\"id\":\"p" + std::to_string(id) + "\",\"author\":\"" + who +
               "\",\"time\":" + std::to_string(1767225600 + day * 86400 + id) +
               ",\"text\":\"look https://ledger.example/story" + std::to_string(day) +
               "?utm_source=" + who + " now\"}\n";
    }
  }
  std::string f = Write("c.jsonl", lines);
  ASSERT_EQ(Run("ingest --quiet --db " + db_ + " " + f).code, 0);
  RunResult r = Run("analyze --quiet --db " + db_ + " --only neardup,coordination --windows 60");
  ASSERT_EQ(r.code, 0) << r.err;
  r = Run("export --db " + db_ + " --what coordination");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("ann,bob,co-link,3,"), std::string::npos) << r.out;
  r = Run("export --db " + db_ + " --what groups --format jsonl");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("\"account\":\"ann\""), std::string::npos) << r.out;
  r = Run("export --db " + db_ + " --what coordination --format gexf");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("<gexf"), std::string::npos);
  EXPECT_EQ(r.out.find("<b>cy</b>"), std::string::npos);  // account names escaped
  EXPECT_NE(r.out.find("&lt;b&gt;cy&lt;/b&gt;"), std::string::npos);
  r = Run("export --db " + db_ + " --what coordination --format graphml");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("<graphml"), std::string::npos);
  EXPECT_EQ(Run("export --db " + db_ + " --what neardup --format gexf").code, 2);

  // show group: the group holding ann, with the posts behind its edges;
  // markup in account names is printed as is (a terminal, not HTML).
  r = Run("export --db " + db_ + " --what groups");
  ASSERT_EQ(r.code, 0) << r.err;
  size_t at = r.out.find("\nann,");
  ASSERT_NE(at, std::string::npos) << r.out;
  std::string group = r.out.substr(at + 5, r.out.find('\n', at + 1) - at - 5);
  r = Run("show --db " + db_ + " group " + group + " --evidence 1");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("3 accounts"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("ann -- bob  co-link, weight 3"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("look https://ledger.example/story0"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2 more stored pairs"), std::string::npos) << r.out;
  EXPECT_EQ(Run("show --db " + db_ + " group 4242").code, 1);
  // Flags of the coordination stage reach it; bad ones are refused.
  EXPECT_EQ(Run("analyze --quiet --db " + db_ +
                " --only coordination --behaviours co-post --burst-cap 10 --resolution 0.5")
                .code,
            0);
  EXPECT_EQ(Query("SELECT count(*) FROM coord_edges"), 0);
  EXPECT_EQ(Run("analyze --quiet --db " + db_ + " --only coordination --behaviours co-nope").code,
            2);
}

// Issue 17 item 12: an ingest that stored nothing from a non-empty input
// exits non-zero, and says why.
TEST_F(CliTest, IngestThatStoredNothingExitsNonZero) {
  std::string odd = Write("odd.csv", "alpha,beta\n1,2\n3,4\n");
  RunResult r = Run("ingest --quiet --db " + db_ + " " + odd);
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("all 2 record(s) read were rejected"), std::string::npos) << r.err;
  r = Run("ingest --quiet --strict --db " + db_ + " " + odd);
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("odd.csv:2"), std::string::npos) << r.err;

  std::string ok = Write("ok.csv", "Author,Body\nann,hello there\n");
  r = Run("ingest --quiet --db " + db_ + " --map text=content " + ok);
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("has no column 'content'; its columns are: Author, Body"), std::string::npos)
      << r.err;

  Write("mixed/a.csv", "text\n");
  Write("mixed/notes.pdf", "%PDF");
  r = Run("ingest --db " + db_ + " " + (dir_ / "mixed").string());
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("a.csv: a header row (1 column) and no data rows"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("skipped " + (dir_ / "mixed" / "notes.pdf").string()), std::string::npos)
      << r.err;
}

// Issue 17 item 14: the hint about rejects names the store that holds them.
TEST_F(CliTest, RejectHintNamesTheStore) {
  std::string f = Write("h.jsonl", "{\"id\":\"1\",\"text\":\"ok\"}\n{broken\n");
  RunResult r = Run("ingest --db " + db_ + " " + f);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("sqlite3 '" + db_ + "' 'SELECT file, line, reason FROM rejects'"),
            std::string::npos)
      << r.err;
}

TEST_F(CliTest, StdinAndCompressedInputs) {
  std::string content = "{\"id\":\"a\",\"text\":\"from stdin\"}\n";
  std::string plain = Write("in.jsonl", content);
  RunResult r = Run("ingest --quiet --json --format jsonl --db " + db_ + " -", plain);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("\"ingested\":1"), std::string::npos) << r.out;

  Write("c.jsonl", "{\"id\":\"gz\",\"text\":\"gzip text\"}\n");
  Write("d.jsonl", "{\"id\":\"zs\",\"text\":\"zstd text\"}\n");
  ASSERT_EQ(std::system(("gzip -f " + (dir_ / "c.jsonl").string()).c_str()), 0);
  ASSERT_EQ(std::system(("zstd -q --rm -f " + (dir_ / "d.jsonl").string()).c_str()), 0);
  r = Run("ingest --quiet --json --db " + db_ + " " + (dir_ / "c.jsonl.gz").string() + " " +
          (dir_ / "d.jsonl.zst").string());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("\"ingested\":2"), std::string::npos) << r.out;
  EXPECT_EQ(Query("SELECT count(*) FROM docs WHERE ext_id IN ('gz','zs')"), 2);
}

TEST_F(CliTest, DirectoryOfArticles) {
  Write("site/b.html",
        "<html><head><title>Second</title><script>var x = 1;</script></head>"
        "<body><p>Body of the second article.</p></body></html>");
  Write("site/a.txt", "A plain text article.\nWith two lines.");
  Write("site/sub/c.md", "# Heading\n\nMarkdown body.");
  RunResult r = Run("ingest --quiet --json --db " + db_ + " " + (dir_ / "site").string());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("\"ingested\":3"), std::string::npos) << r.out;
  EXPECT_EQ(Query("SELECT count(*) FROM docs WHERE title='Second' AND text NOT LIKE '%var x%'"), 1);
  // Directories are walked in sorted order: a.txt, b.html, sub/c.md.
  EXPECT_EQ(Query("SELECT id FROM docs WHERE ext_id LIKE '%a.txt'"), 1);
  EXPECT_EQ(Query("SELECT id FROM docs WHERE ext_id LIKE '%c.md'"), 3);
}

TEST_F(CliTest, KilledIngestResumesWithEveryRecordOnce) {
  // A file large enough that the ingest is still running when killed.
  const int kRecords = 400000;
  {
    std::ofstream out(dir_ / "big.jsonl");
    for (int i = 0; i < kRecords; ++i) {
      out << "{\"id\":\"r" << i << "\",\"author\":\"acct" << (i % 997)
          << "\",\"text\":\"record number " << i << " about the harbour and the embargo\"}\n";
    }
  }
  std::string path = (dir_ / "big.jsonl").string();
  std::string bin = ECHOTRACE_BINARY;
  std::vector<std::string> args = {bin, "ingest", "--quiet", "--db", db_, path};
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, bin.c_str(), nullptr, nullptr, argv.data(), environ), 0);
  // Wait until some batches are committed, then kill without warning.
  int64_t before = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (std::chrono::steady_clock::now() < deadline) {
    before = Query("SELECT count(*) FROM docs");
    if (before >= 20000) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the ingest finished before it could be killed";
  int64_t committed = Query("SELECT count(*) FROM docs");
  ASSERT_GT(committed, 0);
  ASSERT_LT(committed, kRecords);

  RunResult r = Run("ingest --quiet --json --db " + db_ + " " + path);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("\"duplicates\":" + std::to_string(committed) + ","), std::string::npos)
      << r.out;
  EXPECT_EQ(Query("SELECT count(*) FROM docs"), kRecords);
  EXPECT_EQ(Query("SELECT count(DISTINCT ext_id) FROM docs"), kRecords);
  EXPECT_EQ(Query("SELECT count(*) FROM docs_fts"), kRecords);
  EXPECT_EQ(Query("SELECT count(*) FROM docs_fts WHERE docs_fts MATCH 'embargo'"), kRecords);
}

// Claim matching end to end: headerless TSV posts against JSONL claims, a
// TREC run, its evaluation, and the errors users can make.
TEST_F(CliTest, MatchWritesTrecRunAndEvalMatchScoresIt) {
  std::string claims =
      Write("claims.jsonl",
            "{\"vclaim_id\":\"c1\",\"vclaim\":\"Starlink service is active in Ukraine.\","
            "\"title\":\"Did Elon Musk Activate Starlink?\",\"date\":\"1 March 2022\"}\n"
            "{\"vclaim_id\":\"c2\",\"vclaim\":\"A video shows a giant anaconda in Brazil.\"}\n"
            "{\"id\":\"c3\",\"text\":\"Grain exports from Odesa resumed.\"}\n");
  std::string posts = Write("posts.tsv",
                            "p1\tStarlink service is now active in Ukraine. — Elon Musk "
                            "(@elonmusk) February 26, 2022\n"
                            "p2\tHuge anaconda filmed swimming in a Brazilian river "
                            "pic.twitter.com/abc\n");
  std::string run = (dir_ / "run.tsv").string();
  RunResult r =
      Run("match --claims " + claims + " --queries " + posts + " --k 2 --explain -o " + run);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("shared terms"), std::string::npos) << r.err;
  std::ifstream in(run);
  std::string first;
  std::getline(in, first);
  EXPECT_EQ(first.rfind("p1\tQ0\tc1\t1\t", 0), 0u) << first;
  std::string qrels = Write("qrels.tsv", "p1\t0\tc1\t1\np2\t0\tc2\t1\n");
  r = Run("eval-match --json --run " + run + " --qrels " + qrels);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("\"map@5\":1"), std::string::npos) << r.out;
  // A malformed run line is reported with its file and line, exit code 2.
  r = Run("eval-match --run " + Write("bad.tsv", "p1 Q0 c1\n") + " --qrels " + qrels);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("bad.tsv:1"), std::string::npos) << r.err;
  EXPECT_EQ(Run("match --claims " + claims + " --queries " + posts + " --k 0").code, 2);
}

#if !ECHOTRACE_HAVE_FRONT_END
// A build without the web front end (-DECHOTRACE_BUILD_WEB=OFF): report and
// serve exit 1 naming the option and write nothing (demo: DemoRunsEndToEnd).
TEST_F(CliTest, ReportAndServeSayTheBuildHasNoFrontEnd) {
  std::string f = Write("w.jsonl", "{\"id\":\"1\",\"text\":\"plain\"}\n");
  ASSERT_EQ(Run("ingest --quiet --db " + db_ + " " + f).code, 0);
  std::string html = (dir_ / "r.html").string();
  for (const std::string& args :
       {"report --quiet --db " + db_ + " -o " + html, "serve --db " + db_ + " --port 0"}) {
    RunResult r = Run(args);
    EXPECT_EQ(r.code, 1) << args;
    EXPECT_NE(r.err.find("no web front end"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("-DECHOTRACE_BUILD_WEB=ON"), std::string::npos) << r.err;
  }
  EXPECT_FALSE(fs::exists(html));
}
#else
TEST_F(CliTest, ReportAndServe) {
  for (const char* verb : {"report", "serve"}) {
    RunResult r = Run(std::string(verb) + " --help");
    EXPECT_EQ(r.code, 0) << verb << r.err;
  }
  std::string f = Write("w.jsonl",
                        "{\"id\":\"1\",\"author\":\"<b>x</b>\",\"text\":\"</script><script>"
                        "alert(1)</script>\"}\n{\"id\":\"2\",\"text\":\"plain\"}\n");
  ASSERT_EQ(Run("ingest --quiet --db " + db_ + " " + f).code, 0);
  ASSERT_EQ(Run("analyze --quiet --db " + db_).code, 0);
  std::string html = (dir_ / "r.html").string();
  RunResult r = Run("report --quiet --generated-at 0 --db " + db_ + " -o " + html);
  ASSERT_EQ(r.code, 0) << r.err;
  std::string page = Slurp(html);
  EXPECT_NE(page.find("<script id=\"et-data\" type=\"application/json\">"), std::string::npos);
  EXPECT_NE(page.find("Content-Security-Policy"), std::string::npos);
  EXPECT_EQ(page.find("<script>alert(1)"), std::string::npos);
  // Same store, same flags: the same file.
  r = Run("report --quiet --generated-at 0 --db " + db_ + " -o " + html + "2");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(Slurp(html + "2"), page);
  // No store: exit 1 and nothing written; no -o: usage, exit 2.
  EXPECT_EQ(Run("report --db " + (dir_ / "none.db").string() + " -o " + html + "3").code, 1);
  EXPECT_FALSE(fs::exists(html + "3"));
  EXPECT_EQ(Run("report --db " + db_).code, 2);
  EXPECT_EQ(Run("serve --db " + db_ + " --port 70000").code, 2);
  EXPECT_EQ(Run("serve --db " + (dir_ / "none.db").string() + " --port 0").code, 1);
}
#endif

TEST_F(CliTest, CompareScoresPairsInOrderAndReportsBadLines) {
  std::string f = Write("p.tsv",
                        "The cat sat on the mat.\tA cat was sitting on the mat.\n"
                        "no tab on this line\n"
                        "Stocks fell in Tokyo.\tThe cat sat on the mat.\n");
  RunResult r = Run("compare --no-vectors " + f);
  ASSERT_EQ(r.code, 0) << r.err;
  std::istringstream lines(r.out);
  double s1 = 0, s2 = 0;
  lines >> s1 >> s2;
  EXPECT_GT(s1, s2);
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 2);
  EXPECT_NE(r.err.find(f + ":2: expected two texts"), std::string::npos) << r.err;
  // --strict: the first bad line stops it, exit 2, nothing written.
  r = Run("compare --no-vectors --strict " + f);
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(r.out.empty());
  EXPECT_NE(r.err.find(":2:"), std::string::npos) << r.err;
  // Nothing readable from a non-empty input is not a success.
  EXPECT_EQ(Run("compare --no-vectors " + Write("bad.tsv", "x\ny\n")).code, 2);
  // JSONL from standard input, --json --explain.
  std::string j = Write("p.jsonl",
                        "{\"a\":\"NATO expansion provoked the war\",\"b\":"
                        "\"The war was provoked by NATO\"}\n");
  r = Run("compare --no-vectors --json --explain -", j);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("{\"line\":1,\"score\":", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("\"shared_terms\":["), std::string::npos) << r.out;
  // A named vectors file that is missing or damaged stops with the fix.
  r = Run("compare --vectors " + (dir_ / "none.bin").string() + " " + f);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("scripts/install-deps.sh"), std::string::npos) << r.err;
  r = Run("compare --vectors " + Write("junk.bin", std::string(100, 'x')) + " " + f);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("bad magic"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("scripts/install-deps.sh"), std::string::npos) << r.err;
}

TEST_F(CliTest, CompareWithTheBuiltVectors) {
  std::string bin = ECHOTRACE_BINARY;
  std::string vectors = bin.substr(0, bin.rfind('/') + 1) + "echotrace-vectors.bin";
  if (!fs::exists(vectors)) {
    GTEST_SKIP() << vectors << " absent (the npm package was not installed when cmake ran; "
                 << "run scripts/install-deps.sh and rebuild)";
  }
  std::string f = Write("p.tsv",
                        "Shares tumbled on Wall Street.\tThe stock market fell sharply.\n"
                        "Shares tumbled on Wall Street.\tA woman is slicing an onion.\n");
  RunResult r = Run("compare --explain " + f);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("usif="), std::string::npos) << r.out;
  std::istringstream lines(r.out);
  std::string l1, l2;
  std::getline(lines, l1);
  std::getline(lines, l2);
  EXPECT_GT(std::stod(l1), std::stod(l2)) << r.out;
}

}  // namespace

TEST_F(CliTest, MistypedVerbSuggestsTheNearestOne) {
  RunResult r = Run("serach --db x.db NATO");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("did you mean search?"), std::string::npos) << r.err;
  r = Run("anaylze --db x.db");
  EXPECT_NE(r.err.find("did you mean analyze?"), std::string::npos) << r.err;
  r = Run("frobnicate");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err.find("did you mean"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("'frobnicate' is not a verb"), std::string::npos) << r.err;
}

// Issue 17 item 11: trace cut its candidates in ingest order (and, through
// show's --limit default, at 20), and said "more candidates than --limit"
// whatever the limit. Here many documents share one n-gram of the passage
// and are stored first; the one copy holding all of it is stored last.
TEST_F(CliTest, TraceExaminesTheMostRelevantCandidatesFirst) {
  const std::string passage =
      "the ferry company cancelled every crossing to the northern islands for a week";
  std::string lines;
  for (int i = 0; i < 30; ++i) {
    lines += "{\"id\":\"partial" + std::to_string(i) +
             "\",\"text\":\"news: the ferry company said nothing about item " + std::to_string(i) +
             "\"}\n";
  }
  lines +=
      "{\"id\":\"copy\",\"time\":\"2026-03-01T00:00:00Z\",\"text\":\"Update: " + passage + ".\"}\n";
  ASSERT_EQ(Run("ingest --quiet --db " + db_ + " " + Write("t.jsonl", lines)).code, 0);
  // Without --limit: 5000, not show's 20: every candidate is examined.
  RunResult r = Run("trace --db " + db_ + " '" + passage + "'");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("1 occurrence(s) in 31 candidate document(s)"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("--limit"), std::string::npos) << r.err;
  // --limit 1: the copy is the most relevant candidate, so it is found.
  r = Run("trace --format csv --limit 1 --db " + db_ + " '" + passage + "'");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("in the 1 most relevant of 31 candidate documents"), std::string::npos)
      << r.err;
  EXPECT_EQ(r.out,
            "doc_id,source,author,time,start,end,coverage,identity,text\ncopy,t,,"
            "2026-03-01T00:00:00Z,8," +
                std::to_string(8 + passage.size()) + ",1.000000,1.000000," + passage + "\n")
      << r.out;
  r = Run("trace --format jsonl --db " + db_ + " '" + passage + "'");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("{\"doc_id\":\"copy\"", 0), 0u) << r.out;
}

TEST_F(CliTest, SearchOperatorsFiltersTotalAndCsv) {
  std::string f = Write("s.jsonl",
                        "{\"id\":\"1\",\"author\":\"ann\",\"time\":\"2016-05-01T00:00:00Z\","
                        "\"text\":\"NATO expansion worries Moscow\"}\n"
                        "{\"id\":\"2\",\"author\":\"bob\",\"time\":\"2017-05-01T00:00:00Z\","
                        "\"text\":\"Trump says NATO is obsolete\"}\n"
                        "{\"id\":\"3\",\"author\":\"ann\",\"time\":\"2017-06-01T00:00:00Z\","
                        "\"text\":\"Expansion!\"}\n");
  ASSERT_EQ(Run("ingest --quiet --db " + db_ + " " + f).code, 0);
  RunResult r = Run("search --json --db " + db_ + " 'NATO -Trump'");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("\"total\":1,"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("\"ext_id\":\"2\""), std::string::npos) << r.out;
  r = Run("search --format csv --author ann --to 2016-05-01 --db " + db_ + " 'NATO expansion'");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.substr(0, r.out.find('\n')),
            "rank,doc_id,source,author,time,score,coverage,bm25,similarity,start,end,snippet");
  EXPECT_NE(r.out.find("\n1,1,s,ann,2016-05-01T00:00:00Z,"), std::string::npos) << r.out;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 2) << r.out;
  EXPECT_NE(r.err.find("1 document(s) match"), std::string::npos) << r.err;
  r = Run("search --db " + db_ + " -- '-Trump'");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("only excludes"), std::string::npos) << r.err;
  EXPECT_EQ(Run("search --from yesterday --db " + db_ + " NATO").code, 2);
}

// ------------------------------------------------------ read-only stores
//
// Every reading verb must work on a store whose folder and file cannot be
// written (issue 17, item 1). Permission bits do not bind root, which runs
// these tests in CI, so as root the folder is bind-mounted read-only in a
// private mount namespace of the command (unshare -m): the kernel then
// refuses every write, as on read-only media. Otherwise chmod does it.
class ReadOnlyStoreTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    ro_ = dir_ / "ro";
    fs::create_directories(ro_);
    db_ = (ro_ / "store.db").string();
    script_ = Write("ro.sh",
                    "set -e\nd=$1; shift\nmount --bind \"$d\" \"$d\"\n"
                    "mount -o remount,bind,ro \"$d\"\nexec \"$@\"\n");
  }
  void TearDown() override {
    if (chmodded_) Std("chmod -R u+w " + ro_.string());
    CliTest::TearDown();
  }
  static int Std(const std::string& cmd) {
    int rc = std::system(cmd.c_str());
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  }
  // The prefix that runs a command with ro_ read-only; empty (with the
  // reason in *why) when that cannot be set up here.
  std::string ReadOnlyPrefix(std::string* why) {
    if (::geteuid() != 0) {
      chmodded_ = true;
      if (Std("chmod a-w " + ro_.string() + " " + ro_.string() + "/*") != 0) {
        *why = "chmod failed";
        return {};
      }
      return " ";
    }
    std::string prefix = "unshare -m sh " + script_ + " " + ro_.string() + " ";
    if (Std(prefix + "true 2>/dev/null") != 0) {
      *why =
          "running as root without unshare -m and mount (CAP_SYS_ADMIN), so the folder "
          "cannot be made read-only for root";
      return {};
    }
    // The mechanism really refuses writes, also to root.
    if (Std(prefix + "touch " + (ro_ / "probe").string() + " 2>/dev/null") == 0 ||
        fs::exists(ro_ / "probe")) {
      *why = "a read-only bind mount did not refuse a write";
      return {};
    }
    return prefix;
  }
  RunResult RunRo(const std::string& args) {
    std::string cmd = ro_prefix_ + std::string(ECHOTRACE_BINARY) + " " + args + " </dev/null >" +
                      (dir_ / "out").string() + " 2>" + (dir_ / "err").string();
    int rc = std::system(cmd.c_str());
    RunResult r;
    r.code = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
    r.out = Slurp(dir_ / "out");
    r.err = Slurp(dir_ / "err");
    return r;
  }
  // A store with every analysis: a quote reused by two sources, a
  // near-duplicate pair, three accounts sharing links within seconds.
  void MakeStore() {
    const std::string quote =
        "the harbour council voted to close the northern grain depots for the whole winter "
        "season after the storm";
    std::string lines =
        "{\"id\":\"o\",\"time\":\"2026-01-01T00:00:00Z\",\"source\":\"ledger\",\"text\":\"" +
        quote +
        "\"}\n{\"id\":\"c\",\"time\":\"2026-01-03T00:00:00Z\",\"source\":\"blog\","
        "\"text\":\"As reported: " +
        quote + ". More later.\"}\n";
    int id = 0;
    for (int day = 0; day < 3; ++day) {
      for (const char* who : {"ann", "bob", "cy"}) {
        ++id;
        lines += "{\"id\":\"p" + std::to_string(id) + "\",\"author\":\"" + who +
                 "\",\"time\":" + std::to_string(1767225600 + day * 86400 + id) +
                 ",\"text\":\"look https://ledger.example/story" + std::to_string(day) +
                 " now\"}\n";
      }
    }
    std::string f = Write("in.jsonl", lines);
    ASSERT_EQ(Run("ingest --quiet --db " + db_ + " " + f).code, 0);
    RunResult r = Run("analyze --quiet --db " + db_ + " --windows 60");
    ASSERT_EQ(r.code, 0) << r.err;
  }
  // GET `target` from 127.0.0.1:port; the whole response, "" on failure.
  static std::string Get(int port, const std::string& target) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    std::string resp;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
      std::string req = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                        "\r\nConnection: close\r\n\r\n";
      if (::write(fd, req.data(), req.size()) == static_cast<ssize_t>(req.size())) {
        char buf[4096];
        ssize_t n;
        while ((n = ::read(fd, buf, sizeof buf)) > 0) resp.append(buf, static_cast<size_t>(n));
      }
    }
    ::close(fd);
    return resp;
  }

  fs::path ro_;
  std::string script_;
  std::string ro_prefix_;
  bool chmodded_ = false;
};

// The verbs that only read, with arguments for the store MakeStore builds.
const char* const kReadingVerbs[] = {
    "stats --json",
    "search --json 'grain depots'",
    "trace --json 'the northern grain depots for the whole winter season'",
    "show reuse 1",
    "export --what neardup",
    "export --what reuse --format jsonl",
    "export --what coordination",
};

TEST_F(ReadOnlyStoreTest, EveryReadingVerbWorksOnAReadOnlyFolder) {
  MakeStore();
  std::vector<std::string> verbs(std::begin(kReadingVerbs), std::end(kReadingVerbs));
  {
    RunResult g = Run("export --what groups --db " + db_);  // account,group_id
    size_t at = g.out.find("\nann,");
    ASSERT_NE(at, std::string::npos) << g.out << g.err;
    verbs.push_back("show group " + g.out.substr(at + 5, g.out.find('\n', at + 1) - at - 5));
  }
  // What each verb prints on the writable store is what it must print on
  // the read-only one.
  std::vector<std::string> expected;
  for (const std::string& verb : verbs) {
    RunResult r = Run(verb + " --db " + db_);
    ASSERT_EQ(r.code, 0) << verb << ": " << r.err;
    ASSERT_FALSE(r.out.empty()) << verb;
    expected.push_back(r.out);
  }
  std::string why;
  ro_prefix_ = ReadOnlyPrefix(&why);
  if (ro_prefix_.empty()) GTEST_SKIP() << "cannot make a folder read-only: " << why;
  for (size_t i = 0; i < verbs.size(); ++i) {
    RunResult r = RunRo(verbs[i] + " --db " + db_);
    EXPECT_EQ(r.code, 0) << verbs[i] << ": " << r.err;
    EXPECT_EQ(r.out, expected[i]) << verbs[i];
  }
  // Without a front end report and serve refuse
  // (ReportAndServeSayTheBuildHasNoFrontEnd).
#if ECHOTRACE_HAVE_FRONT_END
  const std::string html = (dir_ / "r.html").string();
  RunResult r = RunRo("report --quiet --generated-at 0 --db " + db_ + " -o " + html);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(Slurp(html).find("Content-Security-Policy"), std::string::npos);

  // serve: started read-only, it answers a search and the overview.
  const std::string err = (dir_ / "serve.err").string();
  std::string cmd = ro_prefix_ + std::string(ECHOTRACE_BINARY) + " serve --port 0 --db " + db_ +
                    " </dev/null >/dev/null 2>" + err;
  pid_t pid = 0;
  const char* argv[] = {"sh", "-c", cmd.c_str(), nullptr};
  ASSERT_EQ(posix_spawn(&pid, "/bin/sh", nullptr, nullptr, const_cast<char**>(argv), environ), 0);
  int port = 0;
  for (int i = 0; i < 200 && port == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::string text = Slurp(err);
    size_t at = text.find("http://127.0.0.1:");
    if (at != std::string::npos) port = std::atoi(text.c_str() + at + 17);
    if (text.find("echotrace:") != std::string::npos) break;  // it failed
  }
  if (port != 0) {
    std::string resp = Get(port, "/api/search?q=grain");
    EXPECT_EQ(resp.rfind("HTTP/1.1 200", 0), 0u) << resp;
    EXPECT_NE(resp.find("\"ext_id\":\"o\""), std::string::npos) << resp;
    resp = Get(port, "/api/overview");
    EXPECT_EQ(resp.rfind("HTTP/1.1 200", 0), 0u) << resp.substr(0, 300);
  }
  ::kill(pid, SIGTERM);  // sh exec'd unshare, which exec'd echotrace: the same process
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_NE(port, 0) << Slurp(err);
  EXPECT_EQ(Slurp(err).find("readonly"), std::string::npos) << Slurp(err);
#endif
}

// A writer killed before it merged its write-ahead log leaves committed
// changes in store.db-wal. Read-only, they are read (with the -shm file
// beside it) or refused with a clear message (without it) — never skipped.
TEST_F(ReadOnlyStoreTest, PendingWriteAheadLogIsReadOrRefusedNeverSkipped) {
  MakeStore();
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(db_.c_str(), &db), SQLITE_OK);
    // Closing without the checkpoint leaves the log as a killed writer does.
    ASSERT_EQ(sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db,
                           "INSERT INTO docs(ext_id, text) VALUES ('late', 'zeppelins over "
                           "the harbour'); INSERT INTO docs_fts(rowid, text) "
                           "VALUES (last_insert_rowid(), 'zeppelins over the harbour')",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  ASSERT_GT(fs::file_size(db_ + "-wal"), 0u);
  ASSERT_TRUE(fs::exists(db_ + "-shm"));
  std::string why;
  ro_prefix_ = ReadOnlyPrefix(&why);
  if (ro_prefix_.empty()) GTEST_SKIP() << "cannot make a folder read-only: " << why;
  RunResult r = RunRo("search --json --db " + db_ + " zeppelins");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("\"ext_id\":\"late\""), std::string::npos) << r.out;
  r = RunRo("stats --json --db " + db_);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("\"documents\":12"), std::string::npos) << r.out;

  // Without its -shm file the log cannot be read in a read-only folder.
  if (chmodded_) Std("chmod u+w " + ro_.string());
  fs::remove(db_ + "-shm");
  if (chmodded_) Std("chmod a-w " + ro_.string());
  r = RunRo("stats --json --db " + db_);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("store.db-wal"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("echotrace upgrade --db"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;

  // Where it is writable, upgrade merges the log; then it reads read-only.
  if (chmodded_) Std("chmod -R u+w " + ro_.string());
  r = Run("upgrade --db " + db_);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_FALSE(fs::exists(db_ + "-wal"));
  if (chmodded_) Std("chmod a-w " + ro_.string() + " " + ro_.string() + "/*");
  r = RunRo("stats --json --db " + db_);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("\"documents\":12"), std::string::npos) << r.out;
}
