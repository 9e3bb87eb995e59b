#include "common/api/dates.h"

#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace caunoi::api {
namespace {

using ::caunoi::testing::StatusIs;
using ::testing::HasSubstr;

v1::Date MakeDate(int year, int month, int day) {
  v1::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

TEST(DatesTest, AcceptsRealDates) {
  EXPECT_EQ(*ToCivilDay(MakeDate(2024, 2, 29), "as_of"), absl::CivilDay(2024, 2, 29));
  EXPECT_EQ(*ToCivilDay(MakeDate(2022, 1, 5), "as_of"), absl::CivilDay(2022, 1, 5));
}

TEST(DatesTest, NamesThePartThatIsWrong) {
  EXPECT_THAT(ToCivilDay(MakeDate(2022, 2, 31), "as_of"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("as_of.day")));
  EXPECT_THAT(ToCivilDay(MakeDate(2023, 2, 29), "as_of"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("as_of.day")));
  EXPECT_THAT(ToCivilDay(MakeDate(2022, 13, 1), "as_of"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("as_of.month")));
  EXPECT_THAT(ToCivilDay(MakeDate(0, 1, 1), "as_of"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("as_of.year")));
  EXPECT_THAT(ToCivilDay(MakeDate(2022, 1, 0), "as_of"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("as_of.day")));
}

TEST(DatesTest, IsoTextRoundTrips) {
  EXPECT_EQ(FormatIsoDate(*ParseIsoDate("2025-07-01")), "2025-07-01");
  EXPECT_FALSE(ParseIsoDate("01/07/2025").ok());
}

}  // namespace
}  // namespace caunoi::api
