#ifndef CAUNOI_SERVICES_DIRECTIVES_WRITTEN_DATE_H_
#define CAUNOI_SERVICES_DIRECTIVES_WRITTEN_DATE_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace caunoi::directives {

// A date as Vietnamese documents and articles write it: day first
// ("5-1-2022", "23-5-2022", "11/5/2022", "11.5.2022") or ISO ("2022-05-23").
// INVALID_ARGUMENT with the reason for anything else, including dates that
// do not exist ("31-2-2022") and years outside 1900..9999.
absl::StatusOr<absl::CivilDay> ParseWrittenDate(absl::string_view text);

}  // namespace caunoi::directives

#endif  // CAUNOI_SERVICES_DIRECTIVES_WRITTEN_DATE_H_
