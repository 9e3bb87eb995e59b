#include "common/pg/sqlstate.h"

#include "gtest/gtest.h"

namespace caunoi::pg {
namespace {

TEST(SqlStateTest, MapsClassesToCodes) {
  struct Case {
    const char* sqlstate;
    absl::StatusCode code;
  };
  for (const Case& c :
       {Case{"23505", absl::StatusCode::kAlreadyExists},
        Case{"23503", absl::StatusCode::kFailedPrecondition},
        Case{"23514", absl::StatusCode::kInvalidArgument},
        Case{"22007", absl::StatusCode::kInvalidArgument},
        Case{"40001", absl::StatusCode::kAborted}, Case{"40P01", absl::StatusCode::kAborted},
        Case{"08006", absl::StatusCode::kUnavailable},
        Case{"57P01", absl::StatusCode::kUnavailable},
        Case{"53300", absl::StatusCode::kUnavailable},
        Case{"57014", absl::StatusCode::kDeadlineExceeded},
        Case{"42P01", absl::StatusCode::kInternal}}) {
    EXPECT_EQ(StatusFromSqlState(c.sqlstate, "m").code(), c.code) << c.sqlstate;
  }
}

TEST(SqlStateTest, InternalDetailIsNotSent) {
  const absl::Status status = StatusFromSqlState("42P01", "relation \"secret\" does not exist");
  EXPECT_EQ(status.message().find("secret"), absl::string_view::npos);
}

TEST(SqlStateTest, ClassifiesRetries) {
  EXPECT_TRUE(IsSerializationFailure(StatusFromSqlState("40001", "")));
  EXPECT_FALSE(IsSerializationFailure(StatusFromSqlState("23505", "")));
  EXPECT_TRUE(IsConnectionFailure(StatusFromSqlState("08006", "")));
  EXPECT_FALSE(IsConnectionFailure(StatusFromSqlState("40001", "")));
  EXPECT_FALSE(IsConnectionFailure(absl::UnavailableError("not from the database")));
  EXPECT_EQ(SqlStateOf(StatusFromSqlState("23505", "")), "23505");
}

}  // namespace
}  // namespace caunoi::pg
