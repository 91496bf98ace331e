// Opening stores: creation, reopening, and refusing files that are not
// echotrace stores of a version this build can read.
#include "store/schema.h"

#include <gtest/gtest.h>

#include <fstream>

#include "echotrace/store.h"
#include "store/store_test_util.h"

namespace echotrace {
namespace {

using testing::RawDb;
using testing::TempDir;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(StoreOpen, CreatesSchemaVersionAndMetaInWalMode) {
  TempDir dir;
  const std::string db = dir.File("s.db");
  {
    auto store = Store::Open(db, OpenMode::kReadWrite);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
  }
  RawDb raw(db);
  EXPECT_EQ(raw.One("SELECT value FROM meta WHERE key = 'schema_version'"),
            std::to_string(kSchemaVersion));
  EXPECT_EQ(raw.One("SELECT value FROM meta WHERE key = 'created_by'"),
            std::string("echotrace ") + ECHOTRACE_VERSION);
  EXPECT_EQ(raw.One("SELECT length(value) FROM meta WHERE key = 'created_at'"), "20");
  EXPECT_EQ(raw.One("PRAGMA journal_mode"), "wal");
  for (const char* table : {"docs", "entities", "docs_fts", "rejects", "runs"}) {
    EXPECT_EQ(
        raw.One(std::string("SELECT count(*) FROM sqlite_schema WHERE name = '") + table + "'"),
        "1")
        << table;
  }
}

TEST(StoreOpen, ReopensExistingStoreWithItsData) {
  TempDir dir;
  const std::string db = dir.File("s.db");
  {
    auto store = Store::Open(db, OpenMode::kReadWrite);
    ASSERT_TRUE(store.ok());
    Document d;
    d.ext_id = "a";
    d.text = "hello";
    ASSERT_TRUE((*store)->WriteBatch(0, {d}, {}, nullptr).ok());
  }
  for (OpenMode mode : {OpenMode::kReadWrite, OpenMode::kReadOnly}) {
    auto store = Store::Open(db, mode);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto n = (*store)->CountDocuments();
    ASSERT_TRUE(n.ok());
    EXPECT_EQ(*n, 1u);
    auto v = store_internal::ReadSchemaVersion((*store)->handle(), db);
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(*v, kSchemaVersion);
  }
}

TEST(StoreOpen, ReadOnlyOfMissingFileIsNotFoundAndCreatesNothing) {
  TempDir dir;
  const std::string db = dir.File("missing.db");
  auto store = Store::Open(db, OpenMode::kReadOnly);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kNotFound);
  EXPECT_NE(store.status().message().find(db), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(db));
}

TEST(StoreOpen, ReadOnlyOfEmptyFileIsCorruption) {
  TempDir dir;
  const std::string db = dir.File("empty.db");
  std::ofstream(db).close();
  auto store = Store::Open(db, OpenMode::kReadOnly);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kCorruption);
}

TEST(StoreOpen, MissingDirectoryIsIOError) {
  TempDir dir;
  auto store = Store::Open(dir.File("no/such/dir/s.db"), OpenMode::kReadWrite);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kIOError) << store.status().ToString();
}

TEST(StoreOpen, NonSqliteFileIsCorruptionAndLeftUnchanged) {
  TempDir dir;
  for (const std::string& content :
       {std::string("id,text\n1,hello\n"), std::string(8192, 'x'), std::string("SQLite")}) {
    const std::string db = dir.File("notdb.csv");
    std::ofstream(db, std::ios::binary) << content;
    for (OpenMode mode : {OpenMode::kReadWrite, OpenMode::kReadOnly}) {
      auto store = Store::Open(db, mode);
      ASSERT_FALSE(store.ok());
      EXPECT_EQ(store.status().code(), StatusCode::kCorruption) << store.status().ToString();
      EXPECT_NE(store.status().message().find("not an echotrace store"), std::string::npos)
          << store.status().message();
    }
    EXPECT_EQ(ReadFile(db), content);
  }
}

TEST(StoreOpen, SqliteFileWithUnrelatedTablesIsCorruptionAndLeftUnchanged) {
  TempDir dir;
  const std::string db = dir.File("other.db");
  {
    RawDb raw(db);
    ASSERT_EQ(raw.Exec("CREATE TABLE docs(x); INSERT INTO docs VALUES (1)"), SQLITE_OK);
  }
  auto store = Store::Open(db, OpenMode::kReadWrite);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kCorruption);
  EXPECT_NE(store.status().message().find("not an echotrace store"), std::string::npos);
  RawDb raw(db);
  EXPECT_EQ(raw.One("SELECT count(*) FROM sqlite_schema"), "1");
  EXPECT_EQ(raw.One("PRAGMA journal_mode"), "delete");  // not switched to WAL
}

TEST(StoreOpen, MetaWithoutVersionIsCorruption) {
  TempDir dir;
  const std::string db = dir.File("meta.db");
  {
    RawDb raw(db);
    ASSERT_EQ(raw.Exec("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT)"), SQLITE_OK);
  }
  auto store = Store::Open(db, OpenMode::kReadWrite);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kCorruption);
  EXPECT_NE(store.status().message().find("schema_version"), std::string::npos);
}

TEST(StoreOpen, NewerSchemaVersionSaysToUpgrade) {
  TempDir dir;
  const std::string db = dir.File("new.db");
  { ASSERT_TRUE(Store::Open(db, OpenMode::kReadWrite).ok()); }
  {
    RawDb raw(db);
    ASSERT_EQ(raw.Exec("UPDATE meta SET value = '" + std::to_string(kSchemaVersion + 1) +
                       "' WHERE key = 'schema_version'"),
              SQLITE_OK);
  }
  auto store = Store::Open(db, OpenMode::kReadOnly);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kCorruption);
  EXPECT_NE(store.status().message().find("upgrade echotrace"), std::string::npos)
      << store.status().message();
  EXPECT_NE(store.status().message().find("version " + std::to_string(kSchemaVersion + 1)),
            std::string::npos);
}

TEST(StoreOpen, GarbledVersionOrMissingTableIsCorruption) {
  TempDir dir;
  const std::string db = dir.File("bad.db");
  { ASSERT_TRUE(Store::Open(db, OpenMode::kReadWrite).ok()); }
  {
    RawDb raw(db);
    ASSERT_EQ(raw.Exec("UPDATE meta SET value = '1x' WHERE key = 'schema_version'"), SQLITE_OK);
  }
  auto store = Store::Open(db, OpenMode::kReadWrite);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kCorruption);
  {
    RawDb raw(db);
    ASSERT_EQ(raw.Exec("UPDATE meta SET value = '1' WHERE key = 'schema_version';"
                       "DROP TABLE rejects"),
              SQLITE_OK);
  }
  store = Store::Open(db, OpenMode::kReadWrite);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kCorruption);
  EXPECT_NE(store.status().message().find("rejects"), std::string::npos);
}

TEST(StoreOpen, TwoStoresOnOneFileBothWork) {
  TempDir dir;
  const std::string db = dir.File("two.db");
  auto a = Store::Open(db, OpenMode::kReadWrite);
  auto b = Store::Open(db, OpenMode::kReadWrite);
  ASSERT_TRUE(a.ok() && b.ok());
  Document d;
  d.ext_id = "x";
  d.text = "shared";
  ASSERT_TRUE((*a)->WriteBatch(0, {d}, {}, nullptr).ok());
  auto n = (*b)->CountDocuments();
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 1u);
}

}  // namespace
}  // namespace echotrace
