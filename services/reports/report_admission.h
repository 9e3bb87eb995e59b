#ifndef CAUNOI_SERVICES_REPORTS_REPORT_ADMISSION_H_
#define CAUNOI_SERVICES_REPORTS_REPORT_ADMISSION_H_

#include <optional>

#include "absl/status/status.h"
#include "caunoi/v1/reports.pb.h"
#include "common/auth/principal.h"

namespace caunoi::reports {

// Whether `caller` (nullopt: a call with no principal) may file `report`
// under `obligation`: the reporting unit's side writes it, for a period the
// obligation asks a report for, begun by today. The one rule for filing,
// applied to the obligation as the filing's transaction reads it.
absl::Status AdmitReport(const std::optional<auth::Principal>& caller,
                         const v1::Obligation& obligation, const v1::Report& report);

}  // namespace caunoi::reports

#endif  // CAUNOI_SERVICES_REPORTS_REPORT_ADMISSION_H_
