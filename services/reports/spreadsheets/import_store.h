// ImportReports' writing side: a whole spreadsheet of reports on one
// document in one transaction, every row checked against its unit's
// obligation, the document's indicators and the reports already there.
#ifndef CAUNOI_SERVICES_REPORTS_SPREADSHEETS_IMPORT_STORE_H_
#define CAUNOI_SERVICES_REPORTS_SPREADSHEETS_IMPORT_STORE_H_

#include <optional>
#include <string>

#include "absl/time/civil_time.h"
#include "caunoi/v1/reports.pb.h"
#include "common/auth/principal.h"
#include "common/csv/csv_reader.h"
#include "common/resource/resource_store.h"

namespace caunoi::reports {

struct ImportInput {
  std::string document_id;
  csv::Table table;
  bool allow_partial = false;
  bool submit = false;
  std::optional<auth::Principal> caller;
  resource::WriteRequest write;
  absl::CivilDay today;
};

// INVALID_ARGUMENT with every error in its BadRequest when a row is wrong
// and the import is all or nothing; a repeated request_id writes nothing.
absl::StatusOr<v1::ImportReportsResponse> ImportReportSheet(resource::ResourceStore& resources,
                                                            const ImportInput& input);

}  // namespace caunoi::reports

#endif  // CAUNOI_SERVICES_REPORTS_SPREADSHEETS_IMPORT_STORE_H_
