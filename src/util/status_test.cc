#include "echotrace/status.h"

#include <gtest/gtest.h>

namespace echotrace {
namespace {

Result<int> Half(int x) {
  if (x % 2 != 0) return Status::InvalidArgument("odd");
  return x / 2;
}

Result<int> Quarter(int x) {
  ET_ASSIGN_OR_RETURN(int h, Half(x));
  ET_ASSIGN_OR_RETURN(int q, Half(h));
  return q;
}

TEST(StatusTest, OkByDefault) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ToString(), "OK");
  EXPECT_EQ(ExitCodeFor(s), 0);
}

TEST(StatusTest, CodesMapToExitCodes) {
  EXPECT_EQ(ExitCodeFor(Status::InvalidArgument("x")), 2);
  EXPECT_EQ(ExitCodeFor(Status::BadInput("x")), 2);
  EXPECT_EQ(ExitCodeFor(Status::IOError("x")), 1);
  EXPECT_EQ(ExitCodeFor(Status::Internal("x")), 1);
}

TEST(StatusTest, ContextIsPrepended) {
  Status s = Status::IOError("permission denied").WithContext("a.csv");
  EXPECT_EQ(s.message(), "a.csv: permission denied");
  EXPECT_EQ(s.code(), StatusCode::kIOError);
  EXPECT_TRUE(Status::OK().WithContext("x").ok());
}

TEST(ResultTest, PropagatesErrors) {
  EXPECT_EQ(*Quarter(8), 2);
  Result<int> r = Quarter(6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "odd");
}

TEST(ResultTest, OkStatusIsNotAValue) {
  Result<int> r(Status::OK());
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInternal);
}

}  // namespace
}  // namespace echotrace
