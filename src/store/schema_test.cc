// Opening stores: creation, reopening, and refusing files that are not
// echotrace stores of a version this build can read.
#include "store/schema.h"

#include <gtest/gtest.h>

#include <fstream>

#include "echotrace/store.h"
#include "store/store_internal.h"
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
    auto v = store_internal::ReadSchemaVersion(store_internal::Handle((*store)), db);
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

// A store as version 1 wrote it (the SQL of that version, verbatim where it
// differs: an inline UNIQUE ext_id, entities WITHOUT ROWID, an index on
// entity values), with two documents, their entities and FTS rows.
void WriteVersion1Store(const std::string& path) {
  RawDb raw(path);
  ASSERT_EQ(raw.Exec(R"sql(
PRAGMA journal_mode = WAL;
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE runs(id INTEGER PRIMARY KEY, kind TEXT NOT NULL, params TEXT, version TEXT NOT NULL,
  started_at INTEGER NOT NULL, ended_at INTEGER, status TEXT NOT NULL DEFAULT 'running'
  CHECK (status IN ('running', 'ok', 'failed', 'interrupted')), summary TEXT);
CREATE TABLE docs(id INTEGER PRIMARY KEY, ext_id TEXT NOT NULL UNIQUE, source TEXT, author TEXT,
  time INTEGER, parent TEXT, url TEXT, title TEXT, lang TEXT, text TEXT NOT NULL,
  norm_hash INTEGER, extra TEXT, origin_file TEXT, origin_line INTEGER, run_id INTEGER);
CREATE TABLE entities(doc_id INTEGER NOT NULL, kind INTEGER NOT NULL, value TEXT NOT NULL,
  start INTEGER NOT NULL, end INTEGER NOT NULL, PRIMARY KEY (doc_id, start, end, kind))
  WITHOUT ROWID;
CREATE VIRTUAL TABLE docs_fts USING fts5(text, title, content='docs', content_rowid='id',
  tokenize='unicode61 remove_diacritics 2');
INSERT INTO docs_fts(docs_fts, rank) VALUES ('automerge', 16);
CREATE TABLE rejects(id INTEGER PRIMARY KEY, run_id INTEGER, file TEXT NOT NULL,
  line INTEGER NOT NULL, reason TEXT NOT NULL, raw BLOB);
CREATE INDEX docs_author ON docs(author);
CREATE INDEX docs_time ON docs(time);
CREATE INDEX docs_source_lang ON docs(source, lang);
CREATE INDEX docs_norm_hash ON docs(norm_hash);
CREATE INDEX docs_parent ON docs(parent) WHERE parent IS NOT NULL;
CREATE INDEX entities_kind_value ON entities(kind, value);
INSERT INTO meta VALUES ('schema_version', '1'), ('created_by', 'echotrace 0.1.0');
INSERT INTO docs(id, ext_id, author, text, origin_line) VALUES
  (5, 'p5', 'ann', 'embargo on the harbour #ports', 1),
  (9, 'p9', 'bob', 'the harbour reopened', 2);
INSERT INTO entities VALUES (5, 3, 'ports', 23, 29);
INSERT INTO docs_fts(rowid, text, title) SELECT id, text, title FROM docs;
)sql"),
            SQLITE_OK)
      << sqlite3_errmsg(raw.get());
}

TEST(StoreOpen, Version1IsReadAsItIsAndUpgradedWhenOpenedWritable) {
  TempDir dir;
  const std::string db = dir.File("v1.db");
  WriteVersion1Store(db);
  {
    auto store = Store::Open(db, OpenMode::kReadOnly);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto d = (*store)->GetDocumentByExtId("p5");
    ASSERT_TRUE(d.ok() && d->has_value());
    EXPECT_EQ((*d)->entities.size(), 1u);
    auto hits = (*store)->Search("harbour", 10);
    ASSERT_TRUE(hits.ok());
    EXPECT_EQ(hits->size(), 2u);
  }
  EXPECT_EQ(RawDb(db).One("SELECT value FROM meta WHERE key = 'schema_version'"), "1");
  {
    auto store = Store::Open(db, OpenMode::kReadWrite);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    Document d;
    d.ext_id = "p5";  // still a duplicate after the upgrade
    d.text = "other";
    Document e;
    e.ext_id = "p10";
    e.text = "a third harbour post";
    InsertCounts c;
    ASSERT_TRUE((*store)->WriteBatch(0, {d, e}, {}, &c).ok());
    EXPECT_EQ(c.inserted, 1u);
    EXPECT_EQ(c.duplicates, 1u);
    auto hits = (*store)->Search("harbour", 10);
    ASSERT_TRUE(hits.ok());
    EXPECT_EQ(hits->size(), 3u);
  }
  RawDb raw(db);
  EXPECT_EQ(raw.One("SELECT value FROM meta WHERE key = 'schema_version'"),
            std::to_string(kSchemaVersion));  // 1 → 2 → 3
  EXPECT_EQ(raw.One("SELECT count(*) FROM pragma_table_info('docs') WHERE name = 'input_lang'"),
            "1");
  EXPECT_EQ(raw.One("SELECT group_concat(id || ':' || ext_id || ':' || ifnull(author, '-'), ' ') "
                    "FROM (SELECT * FROM docs ORDER BY id)"),
            "5:p5:ann 9:p9:bob 10:p10:-");
  EXPECT_EQ(raw.One("SELECT doc_id || ' ' || kind || ' ' || value || ' ' || start || ' ' || end "
                    "FROM entities"),
            "5 3 ports 23 29");
  EXPECT_EQ(raw.One("SELECT count(*) FROM sqlite_schema WHERE (name IN ('docs', 'entities') AND "
                    "(sql LIKE '%WITHOUT ROWID%' OR sql LIKE '%UNIQUE%')) OR "
                    "name = 'entities_kind_value'"),
            "0");
  EXPECT_EQ(raw.One("SELECT count(*) FROM sqlite_schema WHERE name IN ('docs_ext_id', "
                    "'entities_doc', 'docs_author')"),
            "3");
  EXPECT_EQ(raw.Exec("INSERT INTO docs_fts(docs_fts) VALUES ('integrity-check')"), SQLITE_OK);
}

// Version 2 → 3 (issue 17 item 3): repeats of a reject that reruns stored
// are merged, keeping the first; docs gain input_lang. Read-only opens leave
// a version-2 store as it is.
TEST(StoreOpen, Version2RejectsAreMergedAndUpgradedWhenOpenedWritable) {
  TempDir dir;
  const std::string db = dir.File("v2.db");
  {
    auto store = Store::Open(db, OpenMode::kReadWrite);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    Document d;
    d.ext_id = "a";
    d.text = "kept";
    ASSERT_TRUE((*store)->WriteBatch(0, {d}, {}, nullptr).ok());
  }
  {
    // Back to the version-2 layout, with the rejects of three runs of one
    // input (each recorded every time) and one other reject.
    RawDb raw(db);
    ASSERT_EQ(raw.Exec("DROP INDEX rejects_once; ALTER TABLE docs DROP COLUMN input_lang; "
                       "UPDATE meta SET value = '2' WHERE key = 'schema_version'"),
              SQLITE_OK);
    for (int run = 1; run <= 3; ++run) {
      const std::string r = std::to_string(run);
      ASSERT_EQ(raw.Exec("INSERT INTO rejects(run_id, file, line, reason, raw) VALUES (" + r +
                         ", 'in.jsonl', 2, 'invalid JSON', x'7b'), (" + r +
                         ", 'in.jsonl', 0, 'binary file', NULL)"),
                SQLITE_OK);
    }
    ASSERT_EQ(raw.Exec("INSERT INTO rejects(run_id, file, line, reason, raw) VALUES (3, "
                       "'in.jsonl', 2, 'invalid JSON', x'7c')"),
              SQLITE_OK);
  }
  {
    auto ro = Store::Open(db, OpenMode::kReadOnly);
    ASSERT_TRUE(ro.ok()) << ro.status().ToString();
    auto got = (*ro)->GetDocumentByExtId("a");
    ASSERT_TRUE(got.ok() && got->has_value()) << got.status().ToString();
  }
  EXPECT_EQ(RawDb(db).One("SELECT count(*) FROM rejects"), "7");
  {
    auto store = Store::Open(db, OpenMode::kReadWrite);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    // A rerun's reject is not stored again.
    InsertCounts c;
    ASSERT_TRUE((*store)->WriteBatch(4, {}, {Reject{"in.jsonl", 2, "invalid JSON", "{"}}, &c).ok());
    EXPECT_EQ(c.rejects, 0u);
  }
  RawDb raw(db);
  EXPECT_EQ(raw.One("SELECT value FROM meta WHERE key = 'schema_version'"), "3");
  EXPECT_EQ(raw.One("SELECT group_concat(run_id || ':' || line || ':' || hex(ifnull(raw, '')), "
                    "' ') FROM (SELECT * FROM rejects ORDER BY id)"),
            "1:2:7B 1:0: 3:2:7C");
  EXPECT_EQ(raw.One("SELECT count(*) FROM pragma_table_info('docs') WHERE name = 'input_lang'"),
            "1");
  EXPECT_EQ(raw.One("SELECT text FROM docs WHERE ext_id = 'a'"), "kept");
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
