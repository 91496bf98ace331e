// The store's schema (docs/schema.md is its documentation): the SQL that
// creates version kSchemaVersion, and the check run on every open that a
// file is an echotrace store this build can read.
#ifndef ECHOTRACE_STORE_SCHEMA_H_
#define ECHOTRACE_STORE_SCHEMA_H_

#include <sqlite3.h>

#include <string>

#include "echotrace/status.h"

namespace echotrace::store_internal {

// The statements creating the tables of schema version 1, in order, ending
// with nullptr.
extern const char* const kSchemaV1[];

// The indexes that serve queries but not the integrity of the data (all but
// the ext_id key and the entities key): part of the schema, but dropped
// during an initial load and built at its end. Ends with {nullptr, nullptr}.
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

// Makes `db` (opened on `path`) a usable store of schema version
// kSchemaVersion:
//  - a file with no tables is given the schema (when `writable`; otherwise
//    Corruption: an empty file is not a store);
//  - a store of this version is checked for its tables, and, when
//    `writable`, given back any secondary index it lacks;
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
