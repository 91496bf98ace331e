// An SQLite transaction as a scope: begun by Begin(), committed by Commit(),
// rolled back by the destructor when it was not committed (an error return,
// a cancellation). Private to the library (it takes the raw handle); every
// detector writes its run through one, so a run's result is either all
// written or not at all and no stage writes BEGIN/COMMIT/ROLLBACK by hand.
#ifndef ECHOTRACE_STORE_TRANSACTION_H_
#define ECHOTRACE_STORE_TRANSACTION_H_

#include <string>
#include <string_view>

#include "echotrace/status.h"

struct sqlite3;

namespace echotrace::store_internal {

class Transaction {
 public:
  // `what` names the work for error messages ("the near-duplicate result").
  Transaction(sqlite3* db, std::string_view what) : db_(db), what_(what) {}
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  // BEGIN IMMEDIATE (takes the write lock now, waiting as the connection's
  // busy timeout allows) for a write; a plain BEGIN for a read that must see
  // one snapshot. IOError when the lock cannot be had; Internal when a
  // transaction is already open on the connection.
  Status BeginWrite();
  Status BeginRead();

  // COMMIT. On error the transaction is rolled back (by the destructor) and
  // the COMMIT's error is returned. Calling it twice is an error.
  Status Commit();

 private:
  Status Begin(const char* sql);
  sqlite3* db_;
  std::string what_;
  bool open_ = false;
};

}  // namespace echotrace::store_internal

#endif  // ECHOTRACE_STORE_TRANSACTION_H_
