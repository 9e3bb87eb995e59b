#ifndef CAUNOI_COMMON_PERIOD_PERIOD_RANGE_H_
#define CAUNOI_COMMON_PERIOD_PERIOD_RANGE_H_

#include <optional>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/period/period.h"

namespace caunoi::periods {

// A request's from_period and to_period, each optional (empty): periods
// whose first day falls from `from->first` to `to->last`.
struct PeriodRange {
  std::optional<Period> from;
  std::optional<Period> to;
};

// INVALID_ARGUMENT naming from_period or to_period when a label is
// malformed, and to_period when the range ends before it begins.
absl::StatusOr<PeriodRange> ParsePeriodRange(absl::string_view from, absl::string_view to);

}  // namespace caunoi::periods

#endif  // CAUNOI_COMMON_PERIOD_PERIOD_RANGE_H_
