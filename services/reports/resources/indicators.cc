// The indicator catalogue: what reports carry, with its unit and how it
// adds up. Codes are fixed at creation, so stored values keep their meaning.
#include "absl/strings/ascii.h"
#include "services/reports/indicators/indicator_values.h"
#include "services/reports/resources/resources.h"

namespace caunoi::reports {
namespace {

constexpr resource::ConstraintRule kConstraints[] = {
    {"indicators_pkey", "indicator.code", absl::StatusCode::kAlreadyExists,
     "an indicator with this code already exists"},
    {"indicators_by_name", "indicator.display_name", absl::StatusCode::kAlreadyExists,
     "an indicator with this name already exists (names are matched without diacritics)"},
    {"indicator_text_not_added", "indicator.aggregation", absl::StatusCode::kInvalidArgument,
     "a TEXT indicator is counted, never added up: its aggregation is NONE"},
    {"document_indicator_exists", "indicator", absl::StatusCode::kFailedPrecondition, "",
     "the indicator is still in a document's set"},
};

constexpr resource::Column kColumns[] = {
    {.field = "code", .immutable = true},
    {.field = "display_name", .required = true},
    // Stored values keep their meaning only while the unit does.
    {.field = "unit", .required = true, .immutable = true},
    {.field = "aggregation", .required = true},
    {.field = "description", .text = resource::kNoteText},
};

constexpr api::FilterField kFilterFields[] = {
    {"unit", true, false, resource::EnumFilter<v1::IndicatorUnit>, "", "r.unit = $"},
    {"display_name", false, true, resource::SearchFilter, "",
     "strpos(r.search_name, reports.fold_text($)) > 0"},
};

absl::Status Validate(const v1::Indicator& indicator) {
  const std::string& code = indicator.code();
  bool valid = !code.empty() && code.size() <= 63 && absl::ascii_islower(code[0]);
  for (const char c : code) {
    valid = valid && (absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '_');
  }
  if (!valid) {
    return InvalidFieldError("indicator.code",
                             "must be lower-case letters, digits and underscores, starting with a"
                             " letter, at most 63 (\"cadres_trained\")");
  }
  return absl::OkStatus();
}

constexpr resource::StoredTable kTable = {
    .names = {"indicator", "indicator", "reports.indicators", kIndicatorPattern},
    .columns = kColumns,
    .constraints = kConstraints,
    .filters = kFilterFields,
};

}  // namespace

CAUNOI_DEFINE_STANDARD_RESOURCE(Indicator, kIndicatorSpec, kIndicatorList, kTable, Validate,
                                nullptr);

}  // namespace caunoi::reports
