// The run lifecycle (RunDetector) with a toy detector that owns one table:
// an ok run records its figures, a failed or cancelled run is recorded as
// such and leaves the previous result as it was.
#include "analyze/detector.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>

#include "pipeline/store_test_fixture.h"
#include "store/sqlite_util.h"
#include "store/transaction.h"

namespace echotrace {
namespace {

// Replaces table toy with `rows` rows of its run, in one transaction; fails
// half-way or gets cancelled half-way when told to.
class ToyDetector : public Detector {
 public:
  int rows = 3;
  bool fail = false;
  std::atomic<bool>* cancel_midway = nullptr;

  Result<RunPlan> Plan(const DetectorContext& ctx) override {
    ET_ASSIGN_OR_RETURN(std::optional<RunRecord> prior, ctx.store->LatestRun("toy"));
    RunPlan p;
    p.kind = "toy";
    p.params = "{\"rows\":" + std::to_string(rows) + "}";
    p.full_reason = prior ? "parameters changed" : "no earlier run";
    return p;
  }
  Result<std::string> Execute(const DetectorContext& ctx, const RunPlan&, int64_t run_id) override {
    sqlite3* db = store_internal::Handle(ctx.store);
    store_internal::Transaction tx(db, "the toy result");
    ET_RETURN_IF_ERROR(tx.BeginWrite());
    ET_RETURN_IF_ERROR(store_internal::Exec(
        db, "CREATE TABLE IF NOT EXISTS toy(run_id INTEGER, n INTEGER); DELETE FROM toy;",
        "clearing"));
    for (int i = 0; i < rows; ++i) {
      const std::string sql =
          "INSERT INTO toy VALUES (" + std::to_string(run_id) + ", " + std::to_string(i) + ")";
      ET_RETURN_IF_ERROR(store_internal::Exec(db, sql.c_str(), "inserting"));
      if (i == 1 && fail) return Status::IOError("disk full (test)");
      if (i == 1 && cancel_midway != nullptr) cancel_midway->store(true);
    }
    ET_RETURN_IF_ERROR(ctx.CheckCancelled());
    ET_RETURN_IF_ERROR(tx.Commit());
    return "{\"rows\":" + std::to_string(rows) + "}";
  }
  std::string Headline(const std::string& figures) const override { return "toy " + figures; }
};

class DetectorTest : public StoreTest {
 protected:
  DetectorContext Ctx() {
    DetectorContext c;
    c.store = store_.get();
    c.progress = false;
    return c;
  }
};

TEST_F(DetectorTest, OkRunRecordsParamsFiguresAndHeadline) {
  ToyDetector toy;
  StageSummary sum;
  Status s = RunDetector("toy", toy, Ctx(), &sum);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(sum.detector, "toy");
  EXPECT_EQ(sum.figures_json, "{\"rows\":3}");
  EXPECT_EQ(sum.headline, "toy {\"rows\":3}");
  EXPECT_EQ(Query("SELECT kind, params, status, summary FROM runs WHERE id = " +
                  std::to_string(sum.run_id)),
            "toy|{\"rows\":3}|ok|{\"rows\":3}\n");
  EXPECT_EQ(Query("SELECT count(*) FROM toy WHERE run_id = " + std::to_string(sum.run_id)), "3\n");
}

TEST_F(DetectorTest, FailedRunLeavesThePreviousResult) {
  ToyDetector toy;
  StageSummary first, second;
  ASSERT_TRUE(RunDetector("toy", toy, Ctx(), &first).ok());
  toy.rows = 5;
  toy.fail = true;
  EXPECT_EQ(RunDetector("toy", toy, Ctx(), &second).code(), StatusCode::kIOError);
  EXPECT_EQ(Query("SELECT status FROM runs WHERE id = " + std::to_string(second.run_id)),
            "failed\n");
  EXPECT_EQ(Query("SELECT DISTINCT run_id, count(*) FROM toy"),
            std::to_string(first.run_id) + "|3\n");
  auto latest = store_->LatestRun("toy");
  ASSERT_TRUE(latest.ok() && latest->has_value());
  EXPECT_EQ((*latest)->id, first.run_id);
}

TEST_F(DetectorTest, CancelledRunIsInterruptedAndWritesNothing) {
  ToyDetector toy;
  StageSummary first, second;
  ASSERT_TRUE(RunDetector("toy", toy, Ctx(), &first).ok());
  std::atomic<bool> cancel{false};
  DetectorContext ctx = Ctx();
  ctx.cancel = &cancel;
  toy.rows = 5;
  toy.cancel_midway = &cancel;
  EXPECT_EQ(RunDetector("toy", toy, ctx, &second).code(), StatusCode::kCancelled);
  EXPECT_EQ(Query("SELECT status FROM runs WHERE id = " + std::to_string(second.run_id)),
            "interrupted\n");
  EXPECT_EQ(Query("SELECT DISTINCT run_id, count(*) FROM toy"),
            std::to_string(first.run_id) + "|3\n");
  // Cancelled before it began: not even a run is recorded.
  StageSummary third;
  EXPECT_EQ(RunDetector("toy", toy, ctx, &third).code(), StatusCode::kCancelled);
  EXPECT_EQ(Query("SELECT count(*) FROM runs"), "2\n");
}

TEST(ThousandsTest, GroupsDigits) {
  EXPECT_EQ(Thousands(0), "0");
  EXPECT_EQ(Thousands(999), "999");
  EXPECT_EQ(Thousands(1000), "1,000");
  EXPECT_EQ(Thousands(1234567), "1,234,567");
  EXPECT_EQ(Thousands(-45678), "-45,678");
}

}  // namespace
}  // namespace echotrace
