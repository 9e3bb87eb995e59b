#ifndef CAUNOI_COMMON_API_DATES_H_
#define CAUNOI_COMMON_API_DATES_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "caunoi/v1/common.pb.h"
#include "google/protobuf/timestamp.pb.h"

namespace caunoi::api {

inline constexpr int kFirstYear = 1945;
inline constexpr int kYearsAhead = 30;

// A calendar date from a request; INVALID_ARGUMENT naming `field` (and the
// part, e.g. "as_of.day") when it is not a real date from 1945 to 30 years
// after this one.
absl::StatusOr<absl::CivilDay> ToCivilDay(const v1::Date& date, absl::string_view field);

// As ToCivilDay, for a day that has already happened (an issue date, the
// day a proposal was raised): also refuses a day after today.
absl::StatusOr<absl::CivilDay> ToPastCivilDay(const v1::Date& date, absl::string_view field);

v1::Date ToDate(absl::CivilDay day);
// For dates this server wrote itself (already valid).
absl::CivilDay ToCivilDayUnchecked(const v1::Date& date);

// "YYYY-MM-DD", as PostgreSQL writes a date.
absl::StatusOr<absl::CivilDay> ParseIsoDate(absl::string_view text);
std::string FormatIsoDate(absl::CivilDay day);

// An instant from a request; INVALID_ARGUMENT naming `field` outside the
// years 1900 to 9999 or with nanos outside 0..999,999,999.
absl::StatusOr<absl::Time> ToTime(const google::protobuf::Timestamp& timestamp,
                                  absl::string_view field);

// Today's date in Vietnam (UTC+7, no daylight saving).
absl::CivilDay TodayInVietnam();

}  // namespace caunoi::api

#endif  // CAUNOI_COMMON_API_DATES_H_
