#include "common/period/period.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status/quoted.h"

namespace caunoi::periods {
namespace {

constexpr int kMinYear = 1900;
constexpr int kMaxYear = 9999;
constexpr int kMaxCutoffDay = 28;  // every month has it

absl::Status Malformed(absl::string_view label, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat(Quoted(label), " is not a reporting period: ", why,
                   " (expected 2023, 2022-H1, 2022-Q3, 2022-05 or 2022-05@14)"));
}

bool Digits(absl::string_view text, size_t length, int& value) {
  if (text.size() != length) return false;
  for (char c : text) {
    if (!absl::ascii_isdigit(c)) return false;
  }
  return absl::SimpleAtoi(text, &value);
}

Period Months(PeriodKind kind, int year, int index, int first_month, int months) {
  const absl::CivilMonth start(year, first_month);
  return Period{.kind = kind,
                .year = year,
                .index = index,
                .cutoff_day = 0,
                .first = absl::CivilDay(start),
                .last = absl::CivilDay(start + months) - 1};
}

Period CutoffMonth(int year, int month, int cutoff_day) {
  const absl::CivilMonth end(year, month);
  const absl::CivilMonth before = end - 1;
  return Period{.kind = PeriodKind::kCutoffMonth,
                .year = year,
                .index = month,
                .cutoff_day = cutoff_day,
                .first = absl::CivilDay(before.year(), before.month(), cutoff_day + 1),
                .last = absl::CivilDay(year, month, cutoff_day)};
}

Period Make(PeriodKind kind, int year, int index, int cutoff_day) {
  switch (kind) {
    case PeriodKind::kYear:
      return Months(kind, year, 0, 1, 12);
    case PeriodKind::kHalfYear:
      return Months(kind, year, index, 1 + (index - 1) * 6, 6);
    case PeriodKind::kQuarter:
      return Months(kind, year, index, 1 + (index - 1) * 3, 3);
    case PeriodKind::kMonth:
      return Months(kind, year, index, index, 1);
    case PeriodKind::kCutoffMonth:
      return CutoffMonth(year, index, cutoff_day);
  }
  return Months(PeriodKind::kYear, year, 0, 1, 12);
}

}  // namespace

std::string Period::Label() const {
  switch (kind) {
    case PeriodKind::kYear:
      return absl::StrFormat("%04d", year);
    case PeriodKind::kHalfYear:
      return absl::StrFormat("%04d-H%d", year, index);
    case PeriodKind::kQuarter:
      return absl::StrFormat("%04d-Q%d", year, index);
    case PeriodKind::kMonth:
      return absl::StrFormat("%04d-%02d", year, index);
    case PeriodKind::kCutoffMonth:
      return absl::StrFormat("%04d-%02d@%d", year, index, cutoff_day);
  }
  return "";
}

absl::StatusOr<Period> ParsePeriod(absl::string_view label) {
  const absl::string_view text = absl::StripAsciiWhitespace(label);
  int year;
  if (text.size() < 4 || !Digits(text.substr(0, 4), 4, year)) {
    return Malformed(label, "it must start with a four-digit year");
  }
  if (year < kMinYear || year > kMaxYear) return Malformed(label, "the year must be 1900..9999");
  if (text.size() == 4) return Make(PeriodKind::kYear, year, 0, 0);
  if (text[4] != '-') return Malformed(label, "a hyphen must follow the year");
  const absl::string_view rest = text.substr(5);
  if (rest.size() == 2 && (rest[0] == 'H' || rest[0] == 'Q')) {
    int index;
    if (!Digits(rest.substr(1), 1, index)) return Malformed(label, "H and Q take a number");
    const bool half = rest[0] == 'H';
    if (index < 1 || index > (half ? 2 : 4)) {
      return Malformed(label, half ? "a year has halves 1 and 2" : "a year has quarters 1 to 4");
    }
    return Make(half ? PeriodKind::kHalfYear : PeriodKind::kQuarter, year, index, 0);
  }
  int month;
  if (rest.size() < 2 || !Digits(rest.substr(0, 2), 2, month)) {
    return Malformed(label, "the month must have two digits");
  }
  if (month < 1 || month > 12) return Malformed(label, "the month must be 01..12");
  if (rest.size() == 2) return Make(PeriodKind::kMonth, year, month, 0);
  int cutoff_day;
  if (rest[2] != '@' || !absl::SimpleAtoi(rest.substr(3), &cutoff_day) || rest.size() > 5 ||
      !absl::ascii_isdigit(rest.back())) {
    return Malformed(label, "a cut-off is written @ and a day, e.g. 2022-05@14");
  }
  if (cutoff_day < 1 || cutoff_day > kMaxCutoffDay) {
    return Malformed(label, "the cut-off day must be 1..28, which every month has");
  }
  return Make(PeriodKind::kCutoffMonth, year, month, cutoff_day);
}

Period PeriodContaining(PeriodKind kind, absl::CivilDay day, int cutoff_day) {
  const int year = static_cast<int>(day.year());
  const int month = day.month();
  switch (kind) {
    case PeriodKind::kYear:
      return Make(kind, year, 0, 0);
    case PeriodKind::kHalfYear:
      return Make(kind, year, month <= 6 ? 1 : 2, 0);
    case PeriodKind::kQuarter:
      return Make(kind, year, (month - 1) / 3 + 1, 0);
    case PeriodKind::kMonth:
      return Make(kind, year, month, 0);
    case PeriodKind::kCutoffMonth: {
      // Days after the cut-off belong to next month's period.
      const absl::CivilMonth end =
          day.day() <= cutoff_day ? absl::CivilMonth(day) : absl::CivilMonth(day) + 1;
      return Make(kind, static_cast<int>(end.year()), end.month(), cutoff_day);
    }
  }
  return Make(PeriodKind::kYear, year, 0, 0);
}

Period NextPeriod(const Period& period) {
  return PeriodContaining(period.kind, period.last + 1, period.cutoff_day);
}

absl::CivilDay DueDate(const Period& period, int timely_days) { return period.last + timely_days; }

Timeliness Classify(std::optional<absl::CivilDay> submitted, absl::CivilDay due,
                    absl::CivilDay today) {
  if (submitted.has_value()) return *submitted <= due ? Timeliness::kOnTime : Timeliness::kLate;
  return today <= due ? Timeliness::kMissingWithinDeadline : Timeliness::kMissingOverdue;
}

}  // namespace caunoi::periods
