// A provincial office's spreadsheet of reports on one document, read: one
// row per unit and period, one column per indicator (named by code or by
// Vietnamese name), cells as people type them ("1.200", "có", blank for
// not reported). Every error is named by line and column.
#ifndef CAUNOI_SERVICES_REPORTS_SPREADSHEETS_REPORT_SHEET_H_
#define CAUNOI_SERVICES_REPORTS_SPREADSHEETS_REPORT_SHEET_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "caunoi/v1/reports.pb.h"
#include "common/csv/csv_reader.h"
#include "services/reports/indicators/indicator_sets.h"

namespace caunoi::reports {

// Columns an export writes that an import reads past.
inline constexpr absl::string_view kExportOnlyColumns[] = {"state", "submitted_date", "locality",
                                                           "commune", "report"};

struct SheetRow {
  int line = 0;
  std::string unit_id;  // "2" for "organizations/2"
  std::string period;   // as written; checked against the obligation later
  std::optional<std::string> summary;
  google::protobuf::RepeatedPtrField<v1::IndicatorValue> values;
};

struct ReportSheet {
  std::vector<SheetRow> rows;
  std::vector<v1::ImportError> errors;
};

// An error of the sheet at `line` (the header is 1) and `column` (its
// heading; "" for the row as a whole).
v1::ImportError ImportErrorAt(int line, absl::string_view column, absl::string_view message);

// `codes` maps each header cell to the indicator code it names, for the
// cells that name one. INVALID_ARGUMENT (on "csv") when the file is not
// CSV or lacks "unit" or "period"; otherwise every row either parsed or
// named in the errors.
absl::StatusOr<ReportSheet> ReadReportSheet(const csv::Table& table,
                                            const std::map<std::string, std::string>& codes,
                                            const IndicatorSet& set);

// A cell as the indicator's value; nullopt when blank (not reported).
absl::StatusOr<std::optional<v1::IndicatorValue>> CellValue(absl::string_view cell,
                                                            const IndicatorRule& rule);

}  // namespace caunoi::reports

#endif  // CAUNOI_SERVICES_REPORTS_SPREADSHEETS_REPORT_SHEET_H_
