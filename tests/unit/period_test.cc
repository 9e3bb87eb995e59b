// Reporting periods as operators write them, and the four-way timeliness.
#include "common/period/period.h"

#include "common/period/period_range.h"
#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace caunoi::reports {
namespace {

using ::caunoi::testing::StatusIs;
using ::testing::HasSubstr;

struct PeriodCase {
  const char* label;
  absl::CivilDay first;
  absl::CivilDay last;
};

TEST(ParsePeriodTest, ParsesEveryKindWithItsDays) {
  const PeriodCase cases[] = {
      {"2023", absl::CivilDay(2023, 1, 1), absl::CivilDay(2023, 12, 31)},
      {"2022-H1", absl::CivilDay(2022, 1, 1), absl::CivilDay(2022, 6, 30)},
      {"2022-H2", absl::CivilDay(2022, 7, 1), absl::CivilDay(2022, 12, 31)},
      {"2022-Q3", absl::CivilDay(2022, 7, 1), absl::CivilDay(2022, 9, 30)},
      {"2024-02", absl::CivilDay(2024, 2, 1), absl::CivilDay(2024, 2, 29)},
      {"2022-05@14", absl::CivilDay(2022, 4, 15), absl::CivilDay(2022, 5, 14)},
      {"2023-01@14", absl::CivilDay(2022, 12, 15), absl::CivilDay(2023, 1, 14)},
      {"2023-03@28", absl::CivilDay(2023, 3, 1), absl::CivilDay(2023, 3, 28)},
  };
  for (const PeriodCase& c : cases) {
    absl::StatusOr<periods::Period> period = periods::ParsePeriod(c.label);
    ASSERT_TRUE(period.ok()) << c.label << ": " << period.status();
    EXPECT_EQ(period->first, c.first) << c.label;
    EXPECT_EQ(period->last, c.last) << c.label;
    EXPECT_EQ(period->Label(), c.label);
  }
}

TEST(ParsePeriodTest, RefusesMalformedAndImpossiblePeriods) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "four-digit year"},       {"22-H1", "four-digit year"}, {"2022-Q5", "quarters 1 to 4"},
      {"2022-H3", "halves 1 and 2"}, {"2022-13", "01..12"},        {"2022-5", "two digits"},
      {"2022/05", "hyphen"},         {"2022-05@31", "1..28"},      {"2022-05@0", "1..28"},
      {"2022-05@", "cut-off"},       {"2022-05@1x", "cut-off"},    {"1850", "1900"},
      {"2022-Qx", "number"},
  };
  for (const auto& [label, reason] : cases) {
    EXPECT_THAT(periods::ParsePeriod(label).status(),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(reason)))
        << "\"" << label << "\"";
  }
}

TEST(PeriodTest, ContainingAndNextWalkTheCalendarWithoutGaps) {
  for (periods::PeriodKind kind :
       {periods::PeriodKind::kYear, periods::PeriodKind::kHalfYear, periods::PeriodKind::kQuarter,
        periods::PeriodKind::kMonth, periods::PeriodKind::kCutoffMonth}) {
    periods::Period period = periods::PeriodContaining(kind, absl::CivilDay(2021, 12, 20), 14);
    EXPECT_LE(period.first, absl::CivilDay(2021, 12, 20));
    EXPECT_GE(period.last, absl::CivilDay(2021, 12, 20));
    for (int i = 0; i < 30; ++i) {
      const periods::Period next = periods::NextPeriod(period);
      EXPECT_EQ(next.first, period.last + 1) << period.Label();
      EXPECT_EQ(*periods::ParsePeriod(next.Label()), next);
      period = next;
    }
  }
  EXPECT_EQ(
      periods::PeriodContaining(periods::PeriodKind::kCutoffMonth, absl::CivilDay(2022, 5, 15), 14)
          .Label(),
      "2022-06@14");
  EXPECT_EQ(
      periods::PeriodContaining(periods::PeriodKind::kCutoffMonth, absl::CivilDay(2022, 12, 20), 14)
          .Label(),
      "2023-01@14");
}

TEST(TimelinessTest, FourWaysAgainstTheDueDate) {
  const periods::Period h1 = *periods::ParsePeriod("2022-H1");
  const absl::CivilDay due = periods::DueDate(h1, 15);
  EXPECT_EQ(due, absl::CivilDay(2022, 7, 15));
  EXPECT_EQ(periods::Classify(absl::CivilDay(2022, 7, 15), due, absl::CivilDay(2023, 1, 1)),
            periods::Timeliness::kOnTime);
  EXPECT_EQ(periods::Classify(absl::CivilDay(2022, 7, 16), due, absl::CivilDay(2023, 1, 1)),
            periods::Timeliness::kLate);
  EXPECT_EQ(periods::Classify(std::nullopt, due, absl::CivilDay(2022, 7, 15)),
            periods::Timeliness::kMissingWithinDeadline);
  EXPECT_EQ(periods::Classify(std::nullopt, due, absl::CivilDay(2022, 7, 16)),
            periods::Timeliness::kMissingOverdue);
}

TEST(PeriodRangeTest, EitherEndMayBeOpenAndTheFieldAtFaultIsNamed) {
  absl::StatusOr<periods::PeriodRange> range = periods::ParsePeriodRange("2022-H2", "2023");
  ASSERT_TRUE(range.ok()) << range.status();
  EXPECT_EQ(range->from->first, absl::CivilDay(2022, 7, 1));
  EXPECT_EQ(range->to->last, absl::CivilDay(2023, 12, 31));
  range = periods::ParsePeriodRange("", "2023-Q1");
  ASSERT_TRUE(range.ok());
  EXPECT_FALSE(range->from.has_value());
  EXPECT_TRUE(periods::ParsePeriodRange("", "").ok());

  auto field = [](const absl::StatusOr<periods::PeriodRange>& bad) {
    std::optional<google::rpc::BadRequest> request = GetBadRequest(bad.status());
    return request ? request->field_violations(0).field() : std::string("none");
  };
  EXPECT_EQ(field(periods::ParsePeriodRange("2022-Q5", "2023")), "from_period");
  EXPECT_EQ(field(periods::ParsePeriodRange("2022", "2023-13")), "to_period");
  EXPECT_EQ(field(periods::ParsePeriodRange("2024", "2023-H2")), "to_period");
}

}  // namespace
}  // namespace caunoi::reports
