// Reports on one document out as a spreadsheet, in the layout ImportReports
// reads back: unit, period, state, submitted date, locality, commune,
// summary, then one column per indicator of the document, named in
// Vietnamese. Read in short batches keyed by id, so a long export holds no
// transaction open.
#ifndef CAUNOI_SERVICES_REPORTS_SPREADSHEETS_EXPORT_STORE_H_
#define CAUNOI_SERVICES_REPORTS_SPREADSHEETS_EXPORT_STORE_H_

#include <functional>
#include <optional>
#include <string>

#include "absl/time/civil_time.h"
#include "common/resource/resource_store.h"

namespace caunoi::reports {

struct ReportSheetQuery {
  std::string document_id;
  absl::CivilDay from;
  absl::CivilDay to;
  std::optional<std::string> locality_id;
};

// Calls `write` with the file in pieces (the first begins with the
// byte-order mark and the header); stops when `write` returns false.
absl::Status ExportReportSheet(resource::ResourceStore& resources, const ReportSheetQuery& query,
                               absl::Time deadline, const std::function<bool(std::string)>& write);

}  // namespace caunoi::reports

#endif  // CAUNOI_SERVICES_REPORTS_SPREADSHEETS_EXPORT_STORE_H_
