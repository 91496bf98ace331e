// Transaction: a scope that writes all or nothing.
#include "store/transaction.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "store/sqlite_util.h"

namespace echotrace::store_internal {
namespace {

class TransactionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(sqlite3_open(":memory:", &db_), SQLITE_OK);
    ASSERT_TRUE(Exec(db_, "CREATE TABLE t(x INTEGER)", "creating").ok());
  }
  void TearDown() override { sqlite3_close(db_); }
  int64_t Rows() { return *QueryInt64(db_, "SELECT count(*) FROM t"); }
  sqlite3* db_ = nullptr;
};

TEST_F(TransactionTest, CommittedWritesStay) {
  {
    Transaction tx(db_, "a test");
    ASSERT_TRUE(tx.BeginWrite().ok());
    ASSERT_TRUE(Exec(db_, "INSERT INTO t VALUES (1), (2)", "inserting").ok());
    ASSERT_TRUE(tx.Commit().ok());
  }
  EXPECT_EQ(Rows(), 2);
  EXPECT_TRUE(sqlite3_get_autocommit(db_));
}

TEST_F(TransactionTest, LeavingTheScopeWithoutCommitRollsBack) {
  {
    Transaction tx(db_, "a test");
    ASSERT_TRUE(tx.BeginWrite().ok());
    ASSERT_TRUE(Exec(db_, "INSERT INTO t VALUES (1)", "inserting").ok());
  }  // an early error return
  EXPECT_EQ(Rows(), 0);
  EXPECT_TRUE(sqlite3_get_autocommit(db_));
}

TEST_F(TransactionTest, MisuseIsAnError) {
  Transaction tx(db_, "a test");
  EXPECT_EQ(tx.Commit().code(), StatusCode::kInternal);  // never begun
  ASSERT_TRUE(tx.BeginRead().ok());
  EXPECT_EQ(tx.BeginWrite().code(), StatusCode::kInternal);
  ASSERT_TRUE(tx.Commit().ok());
  EXPECT_EQ(tx.Commit().code(), StatusCode::kInternal);
  // Another transaction already open on the connection: BEGIN fails.
  ASSERT_TRUE(Exec(db_, "BEGIN", "starting").ok());
  Transaction nested(db_, "a nested test");
  EXPECT_FALSE(nested.BeginWrite().ok());
  ASSERT_TRUE(Exec(db_, "COMMIT", "ending").ok());
}

}  // namespace
}  // namespace echotrace::store_internal
