#ifndef CAUNOI_SERVICES_REPORTS_ASSIGNEE_PLACES_H_
#define CAUNOI_SERVICES_REPORTS_ASSIGNEE_PLACES_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "common/client/organizations_client.h"
#include "services/reports/reports_store.h"
#include "services/reports/settle_walk.h"

namespace caunoi::reports {

// Proposals assigned before proposals kept their assignee's locality are
// given it, as the registry names it today, by the server itself: a
// derived value filled in as a migration would, without audit records.
class AssigneePlaces {
 public:
  AssigneePlaces(ReportsStore& store, OrganizationsClient& organizations)
      : store_(store), organizations_(organizations) {}

  // Fills the proposals of the assignees after `after_id` (by id). An
  // assignee with no locality (a central body) leaves them as they are.
  absl::StatusOr<SettledBatch> FillBatch(int64_t after_id, absl::Time deadline);

  // Fills every such assignee's proposals once (SettleEachOnce).
  void FillAll(const absl::Notification& stop);

 private:
  ReportsStore& store_;
  OrganizationsClient& organizations_;
};

}  // namespace caunoi::reports

#endif  // CAUNOI_SERVICES_REPORTS_ASSIGNEE_PLACES_H_
