// Transaction: see transaction.h. A failed COMMIT can leave the transaction
// open (SQLITE_BUSY on a WAL checkpoint, a full disk), hence the destructor
// asks SQLite, not only its own flag, before it rolls back.
#include "store/transaction.h"

#include <sqlite3.h>

#include "store/sqlite_util.h"

namespace echotrace::store_internal {

Transaction::~Transaction() {
  if (open_ && !sqlite3_get_autocommit(db_)) {
    // The error that made us roll back is the one the caller reports.
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

Status Transaction::Begin(const char* sql) {
  if (open_) return Status::Internal("starting " + what_ + ": a transaction is already open");
  ET_RETURN_IF_ERROR(Exec(db_, sql, "starting the transaction of " + what_));
  open_ = true;
  return Status::OK();
}

Status Transaction::BeginWrite() { return Begin("BEGIN IMMEDIATE"); }

Status Transaction::BeginRead() { return Begin("BEGIN"); }

Status Transaction::Commit() {
  if (!open_) return Status::Internal("committing " + what_ + ": no transaction is open");
  Status s = Exec(db_, "COMMIT", "committing " + what_);
  if (s.ok()) open_ = false;
  return s;
}

}  // namespace echotrace::store_internal
