#include "services/reports/report_admission.h"

#include "absl/strings/str_cat.h"
#include "common/api/commune_name.h"
#include "common/api/dates.h"
#include "common/api/locality_name.h"
#include "common/api/resource_name.h"
#include "common/period/period.h"
#include "common/status/errors.h"
#include "common/status/quoted.h"
#include "common/status/status_macros.h"
#include "services/reports/resources/resources.h"

namespace caunoi::reports {
namespace {

// Whether the report's period is one `obligation` asks a report for, up to
// today.
absl::Status CheckPeriodOfObligation(const v1::Obligation& obligation, const v1::Report& report) {
  const periods::Period period = *periods::ParsePeriod(report.period());
  const periods::Period first = *periods::ParsePeriod(obligation.first_period());
  if (PeriodKindOf(obligation.cadence()) != period.kind ||
      period.cutoff_day != obligation.cutoff_day()) {
    return InvalidFieldError("report.period",
                             absl::StrCat(Quoted(report.period()), " is not a period of ",
                                          obligation.name(), "'s cadence"));
  }
  if (api::TodayInVietnam() < period.first) {
    return InvalidFieldError(
        "report.period", absl::StrCat(period.Label(), " has not begun; report on it once it has"));
  }
  // A unit of a dissolved locality reports no period after it: its
  // successor's unit does.
  CAUNOI_RETURN_IF_ERROR(CheckInForceOn(obligation.unit_locality(), period.first,
                                        obligation.locality(), "report.period"));
  if (period.first < first.first) {
    return InvalidFieldError(
        "report.period",
        absl::StrCat(period.Label(), " is before the obligation's first period ", first.Label()));
  }
  if (!obligation.last_period().empty() &&
      periods::ParsePeriod(obligation.last_period())->first < period.first) {
    return InvalidFieldError("report.period",
                             absl::StrCat(period.Label(), " is after the obligation ended"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status AdmitReport(const std::optional<auth::Principal>& caller,
                         const v1::Obligation& obligation, const v1::Report& report) {
  CAUNOI_RETURN_IF_ERROR(auth::CheckUnitWrite(
      caller, PlaceOf(obligation.locality(), obligation.commune()),
      api::ResourceId(obligation.unit()), absl::StrCat("reports of ", obligation.name())));
  return CheckPeriodOfObligation(obligation, report);
}

}  // namespace caunoi::reports
