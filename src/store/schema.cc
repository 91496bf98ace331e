// Schema version 1 of the store, as SQL, and the open-time check.
//
// The SQL here is the contract documented in docs/schema.md; change one and
// you change the other, and bump kSchemaVersion (include/echotrace/store.h)
// whenever a table, a column or the meaning of a value changes.
//
// Choices made for ingest speed (2.5M posts must load in seconds):
//  - docs_fts is an FTS5 *external content* table: the text is stored once,
//    in docs, and FTS5 reads it back for snippets. No triggers keep it in
//    sync: the store inserts each new document's FTS row itself, and
//    documents are never updated or deleted.
//  - entities is WITHOUT ROWID with key (doc_id, start, end, kind): rows are
//    appended in doc_id order, and that key doubles as the per-document
//    index, so each entity costs two B-tree inserts instead of three.
//  - docs(source, lang) is one index serving both per-source and per-language
//    counts; docs(parent) is partial (most posts have no parent).
//  - The secondary indexes (kSecondaryIndexes: all but the ext_id key and the
//    entities key) are kept apart so that an initial load can drop them and
//    build them once at the end, by sorting, instead of maintaining six
//    B-trees with random inserts in every batch (store.cc). EnsureSchema
//    rebuilds any that a crash left missing.
//
// Migration rule: a build opens stores of its own version and older ones
// (upgrading them, one version step per transaction, when opened writable),
// and refuses newer ones. Version 1 is the first, so nothing is upgraded yet.
#include "store/schema.h"

#include <charconv>
#include <ctime>
#include <string>

#include "echotrace/store.h"
#include "store/sqlite_util.h"

namespace echotrace::store_internal {

const char* const kSchemaV1[] = {
    R"sql(CREATE TABLE meta(
  key   TEXT PRIMARY KEY,
  value TEXT
))sql",
    R"sql(CREATE TABLE runs(
  id         INTEGER PRIMARY KEY,
  kind       TEXT NOT NULL,
  params     TEXT,
  version    TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  ended_at   INTEGER,
  status     TEXT NOT NULL DEFAULT 'running'
             CHECK (status IN ('running', 'ok', 'failed', 'interrupted')),
  summary    TEXT
))sql",
    R"sql(CREATE TABLE docs(
  id          INTEGER PRIMARY KEY,
  ext_id      TEXT NOT NULL UNIQUE,
  source      TEXT,
  author      TEXT,
  time        INTEGER,
  parent      TEXT,
  url         TEXT,
  title       TEXT,
  lang        TEXT,
  text        TEXT NOT NULL,
  norm_hash   INTEGER,
  extra       TEXT,
  origin_file TEXT,
  origin_line INTEGER,
  run_id      INTEGER
))sql",
    R"sql(CREATE TABLE entities(
  doc_id INTEGER NOT NULL,
  kind   INTEGER NOT NULL,
  value  TEXT NOT NULL,
  start  INTEGER NOT NULL,
  end    INTEGER NOT NULL,
  PRIMARY KEY (doc_id, start, end, kind)
) WITHOUT ROWID)sql",
    R"sql(CREATE VIRTUAL TABLE docs_fts USING fts5(
  text, title,
  content='docs', content_rowid='id',
  tokenize='unicode61 remove_diacritics 2'
))sql",
    // FTS5 merges its segments less eagerly than the default (4): each
    // posting is rewritten fewer times during ingest; BuildIndexes() merges
    // everything into one segment after an initial load.
    "INSERT INTO docs_fts(docs_fts, rank) VALUES ('automerge', 16)",
    R"sql(CREATE TABLE rejects(
  id     INTEGER PRIMARY KEY,
  run_id INTEGER,
  file   TEXT NOT NULL,
  line   INTEGER NOT NULL,
  reason TEXT NOT NULL,
  raw    BLOB
))sql",
    nullptr,
};

const SecondaryIndex kSecondaryIndexes[] = {
    {"docs_author", "CREATE INDEX IF NOT EXISTS docs_author ON docs(author)"},
    {"docs_time", "CREATE INDEX IF NOT EXISTS docs_time ON docs(time)"},
    {"docs_source_lang", "CREATE INDEX IF NOT EXISTS docs_source_lang ON docs(source, lang)"},
    {"docs_norm_hash", "CREATE INDEX IF NOT EXISTS docs_norm_hash ON docs(norm_hash)"},
    {"docs_parent",
     "CREATE INDEX IF NOT EXISTS docs_parent ON docs(parent) WHERE parent IS NOT NULL"},
    {"entities_kind_value",
     "CREATE INDEX IF NOT EXISTS entities_kind_value ON entities(kind, value)"},
    {nullptr, nullptr},
};

namespace {

// Tables every version-1 store has; a store missing one was damaged by hand.
constexpr const char* kRequiredTables[] = {"meta",     "runs",     "docs",
                                           "entities", "docs_fts", "rejects"};

std::string UtcNowIso8601() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Result<int64_t> QueryInt(sqlite3* db, const char* sql, std::string_view doing) {
  Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(db, sql));
  int rc = st.Step();
  if (rc == SQLITE_ROW) return st.Int64(0);
  return SqliteStatus(db, rc == SQLITE_DONE ? SQLITE_INTERNAL : rc, doing);
}

Result<bool> HasTable(sqlite3* db, const char* name) {
  Stmt st;
  ET_RETURN_IF_ERROR(
      st.Prepare(db, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1"));
  st.BindText(1, name);
  int rc = st.Step();
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteStatus(db, rc, std::string("looking for table ") + name);
}

Status CreateSchema(sqlite3* db, const std::string& path) {
  for (const char* const* sql = kSchemaV1; *sql != nullptr; ++sql) {
    ET_RETURN_IF_ERROR(Exec(db, *sql, "creating the schema in " + path));
  }
  for (const SecondaryIndex* ix = kSecondaryIndexes; ix->name != nullptr; ++ix) {
    ET_RETURN_IF_ERROR(Exec(db, ix->create_sql, "creating the schema in " + path));
  }
  Stmt ins;
  ET_RETURN_IF_ERROR(ins.Prepare(db, "INSERT INTO meta(key, value) VALUES (?1, ?2)"));
  const std::string version = std::to_string(kSchemaVersion);
  const std::string created_by = std::string("echotrace ") + ECHOTRACE_VERSION;
  const std::string created_at = UtcNowIso8601();
  const std::pair<const char*, const std::string*> rows[] = {
      {"schema_version", &version}, {"created_by", &created_by}, {"created_at", &created_at}};
  for (const auto& [key, value] : rows) {
    ins.BindText(1, key);
    ins.BindText(2, *value);
    ET_RETURN_IF_ERROR(StepDone(db, ins, "writing meta." + std::string(key) + " in " + path));
  }
  return Status::OK();
}

// Creates the schema in a file with no tables. BEGIN IMMEDIATE takes the
// write lock first, so of two processes creating the same store at once the
// second finds the tables and only checks them.
Status CreateIfEmpty(sqlite3* db, const std::string& path) {
  ET_RETURN_IF_ERROR(Exec(db, "BEGIN IMMEDIATE", "locking " + path + " to create the store"));
  Status s;
  auto n = QueryInt(db, "SELECT count(*) FROM sqlite_schema", "reading " + path);
  if (!n.ok()) {
    s = n.status();
  } else if (*n == 0) {
    s = CreateSchema(db, path);
  }
  if (s.ok()) s = Exec(db, "COMMIT", "committing the new schema of " + path);
  if (!s.ok() && !sqlite3_get_autocommit(db)) {
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  return s;
}

}  // namespace

Result<int> ReadSchemaVersion(sqlite3* db, const std::string& path) {
  Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(db, "SELECT value FROM meta WHERE key = 'schema_version'"));
  int rc = st.Step();
  if (rc == SQLITE_DONE) {
    return Status::Corruption(path + " is an SQLite database but not an echotrace store " +
                              "(its meta table has no schema_version); check the --db path");
  }
  if (rc != SQLITE_ROW) return SqliteStatus(db, rc, "reading the schema version of " + path);
  std::string text = st.Text(0);
  int version = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), version);
  if (ec != std::errc() || end != text.data() + text.size() || version < 1) {
    return Status::Corruption(path + " has an unreadable schema version '" + text +
                              "' in its meta table: not an echotrace store, or damaged");
  }
  return version;
}

Status EnsureSchema(sqlite3* db, const std::string& path, bool writable) {
  // The first read of the file: this is where a file that is not SQLite
  // shows itself (SQLITE_NOTADB).
  auto tables = QueryInt(db, "SELECT count(*) FROM sqlite_schema", "reading " + path);
  if (!tables.ok()) {
    if (tables.status().code() == StatusCode::kCorruption) {
      return Status::Corruption(path + " is not an echotrace store: " + tables.status().message() +
                                "; check the --db path");
    }
    return tables.status();
  }
  if (*tables == 0) {
    if (!writable) {
      return Status::Corruption(path + " is empty, not an echotrace store; create one with " +
                                "`echotrace ingest --db " + path + " FILE...`");
    }
    ET_RETURN_IF_ERROR(CreateIfEmpty(db, path));
  }
  ET_ASSIGN_OR_RETURN(bool has_meta, HasTable(db, "meta"));
  if (!has_meta) {
    return Status::Corruption(path + " is an SQLite database but not an echotrace store " +
                              "(it has no meta table); check the --db path");
  }
  ET_ASSIGN_OR_RETURN(int version, ReadSchemaVersion(db, path));
  if (version > kSchemaVersion) {
    return Status::Corruption(path + " has store schema version " + std::to_string(version) +
                              ", newer than this echotrace (" + ECHOTRACE_VERSION +
                              ") can read (up to version " + std::to_string(kSchemaVersion) +
                              "); upgrade echotrace");
  }
  // version < kSchemaVersion cannot happen yet: 1 is the first version. When
  // version 2 exists, its upgrade step runs here (writable stores only).
  for (const char* table : kRequiredTables) {
    ET_ASSIGN_OR_RETURN(bool present, HasTable(db, table));
    if (!present) {
      return Status::Corruption(path + " is a damaged echotrace store: table '" + table +
                                "' is missing");
    }
  }
  if (writable) {
    // An initial load interrupted before its indexes were rebuilt (see
    // store.cc) leaves them missing; this is where they come back.
    ET_ASSIGN_OR_RETURN(bool complete, SecondaryIndexesPresent(db));
    if (!complete) ET_RETURN_IF_ERROR(CreateSecondaryIndexes(db, path));
  }
  return Status::OK();
}

Result<bool> SecondaryIndexesPresent(sqlite3* db) {
  Stmt st;
  ET_RETURN_IF_ERROR(
      st.Prepare(db, "SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ?1"));
  for (const SecondaryIndex* ix = kSecondaryIndexes; ix->name != nullptr; ++ix) {
    st.BindText(1, ix->name);
    int rc = st.Step();
    st.Reset();
    if (rc == SQLITE_DONE) return false;
    if (rc != SQLITE_ROW) return SqliteStatus(db, rc, "looking for the store's indexes");
  }
  return true;
}

Status CreateSecondaryIndexes(sqlite3* db, const std::string& path) {
  for (const SecondaryIndex* ix = kSecondaryIndexes; ix->name != nullptr; ++ix) {
    ET_RETURN_IF_ERROR(
        Exec(db, ix->create_sql, "building index " + std::string(ix->name) + " of " + path));
  }
  return Status::OK();
}

Status DropSecondaryIndexes(sqlite3* db, const std::string& path) {
  for (const SecondaryIndex* ix = kSecondaryIndexes; ix->name != nullptr; ++ix) {
    ET_RETURN_IF_ERROR(Exec(db, ("DROP INDEX IF EXISTS " + std::string(ix->name)).c_str(),
                            "dropping index " + std::string(ix->name) + " of " + path));
  }
  return Status::OK();
}

}  // namespace echotrace::store_internal
