#include "services/reports/dissolved_duties.h"

#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/api/locality_name.h"
#include "common/api/resource_name.h"
#include "common/period/period.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"
#include "services/reports/resources/resources.h"

namespace caunoi::reports {

absl::Status EndWithItsUnit(v1::Obligation& obligation, absl::string_view unit_locality,
                            absl::string_view successor, absl::string_view field,
                            bool last_period_given) {
  if (!IsDissolvedLocality(unit_locality)) return absl::OkStatus();
  const periods::Period first = *periods::ParsePeriod(obligation.first_period());
  CAUNOI_RETURN_IF_ERROR(CheckInForceOn(unit_locality, first.first, successor, field));
  const periods::Period last_begun =
      periods::PeriodContaining(first.kind, kMergerDay - 1, first.cutoff_day);
  if (!obligation.last_period().empty()) {
    const periods::Period last = *periods::ParsePeriod(obligation.last_period());
    if (last.first <= last_begun.first) return absl::OkStatus();
    if (last_period_given) {
      return CheckInForceOn(unit_locality, last.first, successor, "obligation.last_period");
    }
  }
  obligation.set_last_period(last_begun.Label());
  return absl::OkStatus();
}

absl::StatusOr<SettledBatch> DissolvedDuties::SettleBatch(int64_t after_id, absl::Time deadline) {
  constexpr int kBatch = 200;
  CAUNOI_ASSIGN_OR_RETURN(std::vector<v1::Obligation> unsettled,
                          store_.ObligationsWithoutUnitLocality(after_id, kBatch, deadline));
  SettledBatch batch{.read = static_cast<int>(unsettled.size()), .last_id = after_id};
  std::map<std::string, v1::Organization> units;
  resource::WriteRequest write;
  write.actor = "reports-server";
  write.method = "SettleDissolvedDuties";
  write.reason =
      "the reporting unit's locality, as the registry names it; a unit of a locality dissolved "
      "on 2025-07-01 reports no period begun after it";
  write.deadline = deadline;
  for (const v1::Obligation& obligation : unsettled) {
    auto unit = units.find(obligation.unit());
    if (unit == units.end()) {
      CAUNOI_ASSIGN_OR_RETURN(
          v1::Organization found,
          organizations_.ReadOrganization(obligation.unit(), "obligation.unit", deadline));
      unit = units.emplace(obligation.unit(), std::move(found)).first;
    }
    const v1::Organization& reporting_unit = unit->second;
    const std::string id(api::ResourceId(obligation.name()));
    batch.last_id = api::NumericResourceId(obligation.name());
    if (reporting_unit.locality().empty()) continue;
    absl::StatusOr<v1::Obligation> settled = store_.resources().Update(
        kObligationSpec.table, obligation.name(), id, obligation.etag(),
        {"unit_locality", "last_period"}, write,
        [&](pg::Connection&, v1::Obligation& current) -> absl::StatusOr<std::vector<pg::Param>> {
          current.set_unit_locality(reporting_unit.locality());
          // A duty that began after the dissolution cannot be ended before
          // it began: its unit's filings are refused all the same.
          EndWithItsUnit(current, reporting_unit.locality(), reporting_unit.current_locality(),
                         "obligation.unit", false)
              .IgnoreError();
          return kObligationSpec.columns(current);
        });
    // A duty changed meanwhile was given its unit's locality by that write.
    if (!settled.ok() && !absl::IsAborted(settled.status())) return settled.status();
  }
  return batch;
}

void DissolvedDuties::SettleAll(const absl::Notification& stop) {
  SettleEachOnce("dissolved_duties", stop, [this](int64_t after_id, absl::Time deadline) {
    return SettleBatch(after_id, deadline);
  });
}

}  // namespace caunoi::reports
