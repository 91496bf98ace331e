// A first load into a new store writes through a rollback journal instead of
// the WAL (store.cc, "An initial load also leaves WAL mode"): each page is
// written once. These tests hold it to the guarantees the WAL gave: the
// store ends in WAL mode with every index, a load killed in the middle of a
// transaction (pages of the file already overwritten) leaves exactly the
// committed batches, and the load resumes from there.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <string>
#include <vector>

#include "echotrace/store.h"
#include "store/store_internal.h"
#include "store/store_test_util.h"

namespace echotrace {
namespace {

using testing::RawDb;
using testing::TempDir;

std::vector<Document> Batch(int from, int n) {
  std::vector<Document> docs;
  for (int i = from; i < from + n; ++i) {
    Document d;
    d.ext_id = "d" + std::to_string(i);
    d.author = "acct" + std::to_string(i % 37);
    d.time = 1700000000 + i;
    d.text = "post " + std::to_string(i) + " about the harbour embargo";
    docs.push_back(std::move(d));
  }
  return docs;
}

std::string JournalMode(Store* s) {
  return RawDb::QueryOne(store_internal::Handle(s), "PRAGMA journal_mode");
}

TEST(FirstLoadTest, LoadsThroughARollbackJournalAndEndsInWal) {
  TempDir dir;
  const std::string path = dir.File("s.db");
  auto store = Store::Open(path, OpenMode::kReadWrite);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ(JournalMode(store->get()), "wal");
  InsertCounts c;
  ASSERT_TRUE((*store)->WriteBatch(0, Batch(0, 3000), {}, &c).ok());
  // An initial load: no WAL while it lasts, full syncs of the journal.
  EXPECT_EQ(JournalMode(store->get()), "truncate");
  EXPECT_EQ(RawDb::QueryOne(store_internal::Handle(*store), "PRAGMA synchronous"), "2");
  {
    // A reader may read meanwhile (between commits).
    RawDb reader(path);
    EXPECT_EQ(reader.One("SELECT count(*) FROM docs"), "3000");
  }
  ASSERT_TRUE((*store)->WriteBatch(0, Batch(3000, 3000), {}, &c).ok());
  ASSERT_TRUE((*store)->BuildIndexes().ok());
  EXPECT_EQ(JournalMode(store->get()), "wal");
  EXPECT_EQ(RawDb::QueryOne(store_internal::Handle(*store), "PRAGMA synchronous"), "1");
  EXPECT_EQ(c.inserted, 6000u);
  store->reset();
  RawDb raw(path);
  EXPECT_EQ(raw.One("PRAGMA journal_mode"), "wal");  // persistent in the file
  EXPECT_EQ(raw.One("PRAGMA integrity_check"), "ok");
  EXPECT_EQ(raw.One("SELECT count(*) FROM sqlite_schema WHERE name = 'docs_ext_id'"), "1");
  EXPECT_EQ(raw.One("SELECT count(*) FROM docs_fts WHERE docs_fts MATCH 'embargo'"), "6000");
  EXPECT_EQ(raw.Exec("INSERT INTO docs_fts(docs_fts) VALUES ('integrity-check')"), SQLITE_OK);
}

// A store that is not empty, or a small first write, stays in WAL.
TEST(FirstLoadTest, LaterAndSmallWritesStayInWal) {
  TempDir dir;
  const std::string path = dir.File("s.db");
  auto store = Store::Open(path, OpenMode::kReadWrite);
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE((*store)->WriteBatch(0, Batch(0, 10), {}, nullptr).ok());
  EXPECT_EQ(JournalMode(store->get()), "wal");
  ASSERT_TRUE((*store)->WriteBatch(0, Batch(10, 3000), {}, nullptr).ok());
  EXPECT_EQ(JournalMode(store->get()), "wal");
}

// Another connection holding the store open keeps it in WAL (SQLite refuses
// the switch); the load goes on as before.
TEST(FirstLoadTest, AnotherOpenConnectionKeepsWal) {
  TempDir dir;
  const std::string path = dir.File("s.db");
  auto store = Store::Open(path, OpenMode::kReadWrite);
  ASSERT_TRUE(store.ok());
  RawDb other(path);
  ASSERT_EQ(other.One("SELECT count(*) FROM docs"), "0");  // opens the WAL
  ASSERT_EQ(other.Exec("BEGIN; SELECT count(*) FROM docs;"), SQLITE_OK);
  ASSERT_TRUE((*store)->WriteBatch(0, Batch(0, 3000), {}, nullptr).ok());
  EXPECT_EQ(JournalMode(store->get()), "wal");
  ASSERT_EQ(other.Exec("COMMIT"), SQLITE_OK);
  ASSERT_TRUE((*store)->BuildIndexes().ok());
  EXPECT_EQ(RawDb::QueryOne(store_internal::Handle(*store), "SELECT count(*) FROM docs"), "3000");
}

// The crash the journal exists for: a process killed inside a transaction
// that had already written pages into the file (a tiny page cache forces
// the spill). The next writable Open plays the journal back: the committed
// batches are there, the killed one is not, the file is sound and in WAL,
// the indexes are rebuilt, and writing the rest completes the load.
TEST(FirstLoadTest, KilledMidTransactionKeepsTheCommittedBatchesAndResumes) {
  TempDir dir;
  const std::string path = dir.File("s.db");
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    auto store = Store::Open(path, OpenMode::kReadWrite);
    if (!store.ok() || !(*store)->WriteBatch(0, Batch(0, 3000), {}, nullptr).ok()) _exit(2);
    if (JournalMode(store->get()) != "truncate") _exit(3);
    sqlite3* db = store_internal::Handle(*store);
    // Rows of a batch that never commits, in a transaction whose pages
    // spill into the file before the kill.
    sqlite3_exec(db, "PRAGMA cache_size = 8; BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    for (int i = 0; i < 20000; ++i) {
      const std::string sql = "INSERT INTO docs(ext_id, source, text) VALUES ('k" +
                              std::to_string(i) + "', 's', 'killed " + std::to_string(i) + "')";
      if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) _exit(4);
    }
    ::kill(::getpid(), SIGKILL);
    _exit(5);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exit " << WEXITSTATUS(status);
  // A hot journal is left beside the store.
  ASSERT_TRUE(std::filesystem::exists(path + "-journal"));
  ASSERT_GT(std::filesystem::file_size(path + "-journal"), 0u);

  // A reading verb cannot undo the batch; it says what will.
  auto reader = Store::Open(path, OpenMode::kReadOnly);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), StatusCode::kIOError);
  EXPECT_NE(reader.status().message().find("stopped in the middle of a batch"), std::string::npos)
      << reader.status().message();
  EXPECT_NE(reader.status().message().find("echotrace upgrade --db"), std::string::npos);

  auto store = Store::Open(path, OpenMode::kReadWrite);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  sqlite3* db = store_internal::Handle(*store);
  EXPECT_EQ(RawDb::QueryOne(db, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(RawDb::QueryOne(db, "PRAGMA integrity_check"), "ok");
  EXPECT_EQ(RawDb::QueryOne(db, "SELECT count(*) FROM docs"), "3000");
  EXPECT_EQ(RawDb::QueryOne(db, "SELECT count(*) FROM docs WHERE ext_id LIKE 'k%'"), "0");
  EXPECT_EQ(RawDb::QueryOne(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'docs_ext_id'"),
            "1");
  // Resume: the whole input again; the stored batch is recognised.
  InsertCounts c;
  ASSERT_TRUE((*store)->WriteBatch(0, Batch(0, 6000), {}, &c).ok());
  EXPECT_EQ(c.inserted, 3000u);
  EXPECT_EQ(c.duplicates, 3000u);
  ASSERT_TRUE((*store)->BuildIndexes().ok());
  EXPECT_EQ(RawDb::QueryOne(db, "SELECT count(DISTINCT ext_id) FROM docs"), "6000");
  EXPECT_EQ(RawDb::QueryOne(db, "SELECT count(*) FROM docs_fts WHERE docs_fts MATCH 'embargo'"),
            "6000");
  EXPECT_EQ(sqlite3_exec(db, "INSERT INTO docs_fts(docs_fts) VALUES ('integrity-check')", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
}

}  // namespace
}  // namespace echotrace
