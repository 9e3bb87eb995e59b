#include "common/period/period_range.h"

#include "common/status/errors.h"

namespace caunoi::periods {

absl::StatusOr<PeriodRange> ParsePeriodRange(absl::string_view from, absl::string_view to) {
  PeriodRange range;
  for (auto [label, field, period] :
       {std::tuple(from, "from_period", &range.from), std::tuple(to, "to_period", &range.to)}) {
    if (label.empty()) continue;
    absl::StatusOr<Period> parsed = ParsePeriod(label);
    if (!parsed.ok()) return InvalidFieldError(field, parsed.status().message());
    *period = *parsed;
  }
  if (range.from && range.to && range.to->last < range.from->first) {
    return InvalidFieldError("to_period", "comes before from_period");
  }
  return range;
}

}  // namespace caunoi::periods
