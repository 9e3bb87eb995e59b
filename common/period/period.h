#ifndef CAUNOI_COMMON_PERIOD_PERIOD_H_
#define CAUNOI_COMMON_PERIOD_PERIOD_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

// Reporting periods and their labels:
//   2023        a year                 2023-01-01 .. 2023-12-31
//   2022-H1     a half-year            2022-01-01 .. 2022-06-30
//   2022-Q3     a quarter              2022-07-01 .. 2022-09-30
//   2022-05     a month                2022-05-01 .. 2022-05-31
//   2022-05@14  a month cut off on the 14th (the 15th to the 14th):
//                                      2022-04-15 .. 2022-05-14
// Dates are calendar days with no time zone. Pure functions.
namespace caunoi::periods {

enum class PeriodKind { kYear, kHalfYear, kQuarter, kMonth, kCutoffMonth };

struct Period {
  PeriodKind kind;
  int year = 0;
  int index = 0;       // half 1..2, quarter 1..4, month 1..12; 0 for a year
  int cutoff_day = 0;  // 1..28 for kCutoffMonth
  absl::CivilDay first;
  absl::CivilDay last;  // inclusive

  std::string Label() const;
  friend bool operator==(const Period& a, const Period& b) {
    return a.kind == b.kind && a.year == b.year && a.index == b.index &&
           a.cutoff_day == b.cutoff_day;
  }
};

// INVALID_ARGUMENT with the reason for a malformed or impossible label
// ("2022-Q5", "2022-13", "2022-05@31", "22-H1").
absl::StatusOr<Period> ParsePeriod(absl::string_view label);

// The period of `kind` that contains `day` (`cutoff_day` for kCutoffMonth).
Period PeriodContaining(PeriodKind kind, absl::CivilDay day, int cutoff_day = 0);

// The period right after `period`.
Period NextPeriod(const Period& period);

// A report for `period` is due on its last day plus `timely_days`.
absl::CivilDay DueDate(const Period& period, int timely_days);

// The four-way status shared with tasks, for a report due on `due`.
enum class Timeliness { kOnTime, kLate, kMissingWithinDeadline, kMissingOverdue };
Timeliness Classify(std::optional<absl::CivilDay> submitted, absl::CivilDay due,
                    absl::CivilDay today);

}  // namespace caunoi::periods

#endif  // CAUNOI_COMMON_PERIOD_PERIOD_H_
