#include "common/api/dates.h"

#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace caunoi::api {
namespace {

using ::caunoi::testing::IsOk;
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

TEST(DatesTest, DatesThatMakeNoSenseAreRefused) {
  EXPECT_THAT(ToCivilDay(MakeDate(9999, 12, 31), "document.issue_date"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("document.issue_date.year")));
  EXPECT_THAT(ToCivilDay(MakeDate(1944, 12, 31), "as_of"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("1945")));
  EXPECT_THAT(ToCivilDay(MakeDate(1945, 9, 2), "as_of").status(), IsOk());
  EXPECT_THAT(ToCivilDay(ToDate(TodayInVietnam() + 365 * 20), "task.due_date").status(), IsOk());
  EXPECT_THAT(ToPastCivilDay(ToDate(TodayInVietnam() + 1), "document.issue_date"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("after today")));
  EXPECT_THAT(ToPastCivilDay(ToDate(TodayInVietnam()), "document.issue_date").status(), IsOk());
}

TEST(DatesTest, IsoTextRoundTrips) {
  EXPECT_EQ(FormatIsoDate(*ParseIsoDate("2025-07-01")), "2025-07-01");
  EXPECT_EQ(FormatIsoDate(*ParseIsoDate("2024-02-29")), "2024-02-29");
  EXPECT_EQ(*ParseIsoDate("0999-12-31"), absl::CivilDay(999, 12, 31));
  EXPECT_FALSE(ParseIsoDate("01/07/2025").ok());
  EXPECT_FALSE(ParseIsoDate("2025-02-29").ok());
  EXPECT_FALSE(ParseIsoDate("2025-13-01").ok());
  EXPECT_FALSE(ParseIsoDate("2025-1a-01").ok());
  // Other spellings the general parser reads keep reading the same.
  EXPECT_EQ(FormatIsoDate(*ParseIsoDate("12025-07-01")), "12025-07-01");
}

}  // namespace
}  // namespace caunoi::api
