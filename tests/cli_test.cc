// Integration tests of the command line: exit codes, --json contracts,
// messages, and the crash-resume guarantee (SIGKILL half-way, rerun, every
// record exactly once).
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

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
                           "demo", "match", "eval-match"}) {
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

}  // namespace
