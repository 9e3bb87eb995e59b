#ifndef CAUNOI_SERVICES_REPORTS_COMPLIANCE_H_
#define CAUNOI_SERVICES_REPORTS_COMPLIANCE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "caunoi/v1/reports.pb.h"
#include "common/period/period.h"

// Expected reports are obligations × periods, as DHIS2 counts them; this
// is the pure arithmetic behind SummarizeCompliance, given obligations
// grouped by their reporting terms and the submitted-report tallies.
namespace caunoi::reports {

// Obligations of one current locality sharing cadence, timely days and
// window: each of them expects one report per period of the window.
struct ObligationGroup {
  std::string locality_id;  // "" for units with no locality
  int timely_days = 0;
  periods::Period first;
  std::optional<periods::Period> last;  // open-ended when unset
  int64_t obligations = 0;
};

// Submitted reports of one locality and period, by the obligation's timely
// days.
struct ReportTally {
  std::string locality_id;
  std::string period;
  int timely_days = 0;
  int64_t on_time = 0;
  int64_t late = 0;
};

// Periods whose first day falls within [from, to] count; `to` is at most
// today, since a period not yet begun expects nothing.
struct ComplianceWindow {
  std::optional<absl::CivilDay> from;
  absl::CivilDay to;
  absl::CivilDay today;
};

// What a summary is made of: per locality or per place within one, with
// or without its rows per period, each locality's reporting communes
// named or numbered.
struct ComplianceShape {
  bool by_commune = false;
  bool with_periods = true;
  bool communes_by_code = false;
};

// The periods of an obligation group's cadence from `first` (to `last`,
// when set) whose first day lies in the window and has come: one expected
// report each per obligation.
std::vector<periods::Period> ExpectedPeriods(const periods::Period& first,
                                             const std::optional<periods::Period>& last,
                                             const ComplianceWindow& window);

// Into `response`, which may live on an arena: a province's answer per
// commune and month is thousands of rows of a few messages each.
void SummarizeCompliance(const std::vector<ObligationGroup>& groups,
                         const std::vector<ReportTally>& tallies, const ComplianceWindow& window,
                         bool with_periods, v1::SummarizeComplianceResponse& response);

v1::SummarizeComplianceResponse SummarizeCompliance(const std::vector<ObligationGroup>& groups,
                                                    const std::vector<ReportTally>& tallies,
                                                    const ComplianceWindow& window,
                                                    bool with_periods = true);

}  // namespace caunoi::reports

#endif  // CAUNOI_SERVICES_REPORTS_COMPLIANCE_H_
