// A report's indicator values as stored: one JSON object keyed by indicator
// code ({"cadres_trained": 120, "has_plan": true, "note": "..."}), and the
// nine default indicators' view as ReportFigures.
#ifndef CAUNOI_SERVICES_REPORTS_INDICATORS_INDICATOR_VALUES_H_
#define CAUNOI_SERVICES_REPORTS_INDICATORS_INDICATOR_VALUES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "caunoi/v1/reports.pb.h"

namespace caunoi::reports {

inline constexpr absl::string_view kIndicatorPattern = "indicators/{key}";

// "indicators/cadres_trained" or "cadres_trained" → "cadres_trained".
std::string IndicatorCode(absl::string_view indicator);

// The values as the JSON object stored, keys in the values' order.
std::string ValuesJson(const google::protobuf::RepeatedPtrField<v1::IndicatorValue>& values);

// The stored object back as values, named "indicators/{key}", in key
// order; INTERNAL when the text is not such an object.
absl::StatusOr<std::vector<v1::IndicatorValue>> ValuesFromJson(absl::string_view json);

// The nine default indicators' codes, as ReportFigures names its fields.
const std::vector<std::string>& DefaultIndicatorCodes();

// The default indicators' values as figures (0 where absent).
v1::ReportFigures FiguresOf(const google::protobuf::RepeatedPtrField<v1::IndicatorValue>& values);

// The values a write means: `values`, unless the figures were changed (an
// older client, or an update of "figures"), in which case the default
// indicators' values become the non-zero figures.
google::protobuf::RepeatedPtrField<v1::IndicatorValue> EffectiveValues(const v1::Report& report);

}  // namespace caunoi::reports

#endif  // CAUNOI_SERVICES_REPORTS_INDICATORS_INDICATOR_VALUES_H_
