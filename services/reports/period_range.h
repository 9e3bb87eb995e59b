#ifndef CAUNOI_SERVICES_REPORTS_PERIOD_RANGE_H_
#define CAUNOI_SERVICES_REPORTS_PERIOD_RANGE_H_

#include <optional>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/reports/period.h"

namespace caunoi::reports {

// A request's from_period and to_period, each optional (empty): periods
// whose first day falls from `from->first` to `to->last`.
struct PeriodRange {
  std::optional<Period> from;
  std::optional<Period> to;
};

// INVALID_ARGUMENT naming from_period or to_period when a label is
// malformed, and to_period when the range ends before it begins.
absl::StatusOr<PeriodRange> ParsePeriodRange(absl::string_view from, absl::string_view to);

}  // namespace caunoi::reports

#endif  // CAUNOI_SERVICES_REPORTS_PERIOD_RANGE_H_
