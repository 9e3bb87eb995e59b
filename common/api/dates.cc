#include "common/api/dates.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/status/errors.h"

namespace caunoi::api {

absl::StatusOr<absl::CivilDay> ToCivilDay(const v1::Date& date, absl::string_view field) {
  // The records begin with the Democratic Republic (1945); plans reach a
  // few decades ahead ("vision to 2045"), no further.
  const int latest = static_cast<int>(TodayInVietnam().year()) + kYearsAhead;
  if (date.year() < kFirstYear || date.year() > latest) {
    return InvalidFieldError(absl::StrCat(field, ".year"),
                             absl::StrCat("must be between ", kFirstYear, " and ", latest));
  }
  if (date.month() < 1 || date.month() > 12) {
    return InvalidFieldError(absl::StrCat(field, ".month"), "must be between 1 and 12");
  }
  const absl::CivilDay day(date.year(), date.month(), date.day());
  if (date.day() < 1 || day.month() != date.month() || day.day() != date.day()) {
    return InvalidFieldError(
        absl::StrCat(field, ".day"),
        absl::StrFormat("%d-%02d has no day %d", date.year(), date.month(), date.day()));
  }
  return day;
}

absl::StatusOr<absl::CivilDay> ToPastCivilDay(const v1::Date& date, absl::string_view field) {
  absl::StatusOr<absl::CivilDay> day = ToCivilDay(date, field);
  if (day.ok() && TodayInVietnam() < *day) {
    return InvalidFieldError(field, "is after today; it records a day that has happened");
  }
  return day;
}

v1::Date ToDate(absl::CivilDay day) {
  v1::Date date;
  date.set_year(static_cast<int32_t>(day.year()));
  date.set_month(day.month());
  date.set_day(day.day());
  return date;
}

absl::CivilDay ToCivilDayUnchecked(const v1::Date& date) {
  return absl::CivilDay(date.year(), date.month(), date.day());
}

absl::StatusOr<absl::CivilDay> ParseIsoDate(absl::string_view text) {
  // PostgreSQL's dates as rows carry them ("2025-07-01"), read directly:
  // the general parser formats through strptime, for every date of a list.
  auto digits = [&](size_t from, size_t count, int& value) {
    value = 0;
    for (size_t i = from; i < from + count; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      value = value * 10 + (text[i] - '0');
    }
    return true;
  };
  int year = 0, month = 0, day_of_month = 0;
  if (text.size() == 10 && text[4] == '-' && text[7] == '-' && digits(0, 4, year) &&
      digits(5, 2, month) && digits(8, 2, day_of_month)) {
    const absl::CivilDay day(year, month, day_of_month);
    if (day.month() == month && day.day() == day_of_month) return day;
  }
  absl::CivilDay day;
  if (!absl::ParseCivilTime(text, &day)) {
    return absl::InternalError(absl::StrCat("not a date: ", text));
  }
  return day;
}

std::string FormatIsoDate(absl::CivilDay day) { return absl::FormatCivilTime(day); }

absl::StatusOr<absl::Time> ToTime(const google::protobuf::Timestamp& timestamp,
                                  absl::string_view field) {
  // 1900-01-01 and 10000-01-01, in Unix seconds.
  constexpr int64_t kEarliest = -2208988800;
  constexpr int64_t kLatest = 253402300800;
  if (timestamp.seconds() < kEarliest || timestamp.seconds() >= kLatest) {
    return InvalidFieldError(absl::StrCat(field, ".seconds"), "must fall within 1900 to 9999");
  }
  if (timestamp.nanos() < 0 || timestamp.nanos() > 999'999'999) {
    return InvalidFieldError(absl::StrCat(field, ".nanos"), "must be 0 to 999999999");
  }
  return absl::FromUnixSeconds(timestamp.seconds()) + absl::Nanoseconds(timestamp.nanos());
}

absl::CivilDay TodayInVietnam() {
  return absl::ToCivilDay(absl::Now(), absl::FixedTimeZone(7 * 60 * 60));
}

}  // namespace caunoi::api
