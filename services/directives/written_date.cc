#include "services/directives/written_date.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/status/quoted.h"

namespace caunoi::directives {
namespace {

absl::Status NotADate(absl::string_view text, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(Quoted(text), " is not a date: ", why,
                                                 " (expected e.g. \"23-5-2022\" or "
                                                 "\"2022-05-23\")"));
}

bool AllDigits(absl::string_view part, size_t min, size_t max) {
  if (part.size() < min || part.size() > max) return false;
  for (char c : part) {
    if (!absl::ascii_isdigit(c)) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<absl::CivilDay> ParseWrittenDate(absl::string_view text) {
  const absl::string_view trimmed = absl::StripAsciiWhitespace(text);
  char separator = 0;
  for (char c : trimmed) {
    if (c == '-' || c == '/' || c == '.') {
      separator = c;
      break;
    }
  }
  if (separator == 0) return NotADate(text, "no separator between day, month and year");
  const std::vector<absl::string_view> parts = absl::StrSplit(trimmed, separator);
  if (parts.size() != 3) return NotADate(text, "it needs a day, a month and a year");

  const bool iso = separator == '-' && parts[0].size() == 4;
  const absl::string_view year_part = iso ? parts[0] : parts[2];
  const absl::string_view month_part = parts[1];
  const absl::string_view day_part = iso ? parts[2] : parts[0];
  if (!AllDigits(year_part, 4, 4)) return NotADate(text, "the year must have four digits");
  if (!AllDigits(month_part, 1, 2) || !AllDigits(day_part, 1, 2)) {
    return NotADate(text, "the day and month must be numbers");
  }
  int year, month, day;
  if (!absl::SimpleAtoi(year_part, &year) || !absl::SimpleAtoi(month_part, &month) ||
      !absl::SimpleAtoi(day_part, &day)) {
    return NotADate(text, "the parts must be numbers");
  }
  if (year < 1900 || year > 9999) return NotADate(text, "the year must be 1900..9999");
  if (month < 1 || month > 12) return NotADate(text, "the month must be 1..12");
  const absl::CivilDay parsed(year, month, day);
  if (day < 1 || parsed.day() != day || parsed.month() != month) {
    const int days_in_month = (absl::CivilDay(absl::CivilMonth(year, month) + 1) - 1).day();
    return NotADate(text,
                    absl::StrCat("month ", month, " of ", year, " has ", days_in_month, " days"));
  }
  return parsed;
}

}  // namespace caunoi::directives
