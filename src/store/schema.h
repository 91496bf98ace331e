// The store's schema (docs/schema.md is its documentation): the SQL that
// creates version kSchemaVersion, and the check run on every open that a
// file is an echotrace store this build can read.
#ifndef ECHOTRACE_STORE_SCHEMA_H_
#define ECHOTRACE_STORE_SCHEMA_H_

#include <sqlite3.h>

#include <string>

#include "echotrace/status.h"

namespace echotrace::store_internal {

// The declaration of docs_fts, shared by the store and the scratch index of
// an initial load (fts_loader.h), which must match it: columns, tokenizer,
// and the settings written after CREATE.
#define ET_FTS_COLUMNS "text, title"
#define ET_FTS_TOKENIZE "tokenize='unicode61 remove_diacritics 2'"
// FTS5 merges its segments less eagerly than the default (4): each posting
// is rewritten fewer times during ingest; BuildIndexes() merges everything
// into one segment after an initial load. Its in-memory term buffer is
// 8 MiB (default 1 MiB): fewer, larger segments to merge.
#define ET_FTS_SETTINGS                                             \
  "INSERT INTO docs_fts(docs_fts, rank) VALUES ('automerge', 16); " \
  "INSERT INTO docs_fts(docs_fts, rank) VALUES ('hashsize', 8388608)"

// The oldest schema version the reading code reads as it is, without an
// upgrade (versions 1 to 3 hold the columns the readers select). Raise it when a version
// changes what readers see; read-only opens of older stores are then
// refused with a message naming `echotrace upgrade`.
inline constexpr int kOldestReadableVersion = 1;

// The statements creating the tables of the current schema version
// (kSchemaVersion; the name is from version 2), in order, ending with
// nullptr.
extern const char* const kSchemaV2[];

// Every index of the store, the unique ext_id key (docs_ext_id, first)
// included: part of the schema, but dropped during an initial load and built
// at its end (schema.cc says why). Ends with {nullptr, nullptr}.
struct SecondaryIndex {
  const char* name;
  const char* create_sql;  // CREATE INDEX IF NOT EXISTS ...
};
extern const SecondaryIndex kSecondaryIndexes[];

// Whether all secondary indexes exist.
Result<bool> SecondaryIndexesPresent(sqlite3* db);
// Creates the missing secondary indexes; each is its own statement, so call
// inside a transaction to make the set atomic.
Status CreateSecondaryIndexes(sqlite3* db, const std::string& path);
Status DropSecondaryIndexes(sqlite3* db, const std::string& path);

// Whether meta.fts_pending is set: the full-text index of a first load is
// still being built on the side (fts_loader.h), or its load was killed.
Result<bool> FullTextPending(sqlite3* db);

// A store whose initial load was killed before its full-text index, built
// on the side (fts_loader.h), was moved in carries meta.fts_pending: this
// rebuilds docs_fts from the stored text and removes the mark, in one
// transaction (about 5 s per million tweets); does nothing without the mark.
// Sets *rebuilt (may be null) to whether it rebuilt.
Status RebuildFullTextIndexIfPending(sqlite3* db, const std::string& path, bool* rebuilt = nullptr);

// Makes `db` (opened on `path`) a usable store of schema version
// kSchemaVersion:
//  - a file with no tables is given the schema (when `writable`; otherwise
//    Corruption: an empty file is not a store);
//  - a store of an older version is upgraded when `writable`; when not,
//    it is read as it is from kOldestReadableVersion on, and below that
//    IOError saying to run `echotrace upgrade`: reading never writes;
//  - a store is checked for its tables, and, when `writable`, given back
//    any index it lacks and a full-text index left unfinished by a killed
//    initial load (RebuildFullTextIndexIfPending; its scratch file goes);
//  - a file that is not SQLite, an SQLite file without meta.schema_version
//    or with an unreadable version, or with a version newer than this build
//    knows gives Corruption, naming the file and what to do. Such files are
//    not modified.
// Must be called outside any transaction.
Status EnsureSchema(sqlite3* db, const std::string& path, bool writable);

// The schema version stored in meta, or Corruption / an SQLite error.
Result<int> ReadSchemaVersion(sqlite3* db, const std::string& path);

}  // namespace echotrace::store_internal

#endif  // ECHOTRACE_STORE_SCHEMA_H_
