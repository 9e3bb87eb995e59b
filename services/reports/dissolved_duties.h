#ifndef CAUNOI_SERVICES_REPORTS_DISSOLVED_DUTIES_H_
#define CAUNOI_SERVICES_REPORTS_DISSOLVED_DUTIES_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "caunoi/v1/organizations.pb.h"
#include "caunoi/v1/reports.pb.h"
#include "common/client/organizations_client.h"
#include "services/reports/reports_store.h"
#include "services/reports/settle_walk.h"

// Duties of units whose locality the 2025 merger dissolved end by
// themselves: a unit reports no period begun after its locality was
// dissolved; its successor's unit reports from the next period.
namespace caunoi::reports {

// Ends `obligation`, whose unit is in `unit_locality` ("localities/pre2025-80")
// now held by `successor` ("localities/80"), with the last period that began
// before the dissolution: INVALID_ARGUMENT with the successor on `field`
// when it would begin later, and on last_period when a `last_period_given`
// ends later. OK, unchanged, for a unit of a locality in force.
absl::Status EndWithItsUnit(v1::Obligation& obligation, absl::string_view unit_locality,
                            absl::string_view successor, absl::string_view field,
                            bool last_period_given);

// Obligations recorded before they kept their unit's locality are given
// it, and ended as above, each with an audit record, by the server itself.
class DissolvedDuties {
 public:
  DissolvedDuties(ReportsStore& store, OrganizationsClient& organizations)
      : store_(store), organizations_(organizations) {}

  // Settles the batch after obligation `after_id`. A unit with no
  // locality leaves its duty as it was: nothing is known to record.
  absl::StatusOr<SettledBatch> SettleBatch(int64_t after_id, absl::Time deadline);

  // Settles every obligation once (SettleEachOnce).
  void SettleAll(const absl::Notification& stop);

 private:
  ReportsStore& store_;
  OrganizationsClient& organizations_;
};

}  // namespace caunoi::reports

#endif  // CAUNOI_SERVICES_REPORTS_DISSOLVED_DUTIES_H_
