#ifndef CAUNOI_SERVICES_REPORTS_ALERTS_ALERT_PRODUCER_H_
#define CAUNOI_SERVICES_REPORTS_ALERTS_ALERT_PRODUCER_H_

#include "absl/status/statusor.h"
#include "absl/synchronization/notification.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/client/directives_client.h"
#include "common/client/organizations_client.h"
#include "services/reports/alerts/alert_store.h"

namespace caunoi::reports {

struct ProducerOptions {
  absl::Duration interval = absl::Minutes(1);
  // Items due longer ago than this are no longer looked at (nor resolved).
  int lookback_days = 366;
  // Alerts drafted and recorded together, each batch in its own
  // transaction: a pass over a national backlog keeps what it recorded
  // even when it cannot finish, and holds only one batch's drafts.
  int alerts_per_transaction = 1000;
};

// Looks at what falls due (open tasks, asked of the directives service;
// report duties' periods without a submitted report) and records the
// alerts each calls for, once each, and resolves those of finished items.
// Any replica may run it: the store records one pass at a time and never
// twice the same alert.
class AlertProducer {
 public:
  AlertProducer(AlertStore& store, OrganizationsClient& organizations, DirectivesClient& directives,
                ProducerOptions options);

  // One pass as of `today`.
  absl::StatusOr<ProductionResult> Produce(absl::CivilDay today);
  // A pass every interval until `stopping`.
  void Run(absl::Notification& stopping);

 private:
  struct Item;
  class Lookups;
  absl::Status GatherTasks(absl::CivilDay from, absl::CivilDay to, std::vector<Item>& items);
  absl::Status GatherDuties(absl::CivilDay from, absl::CivilDay to, std::vector<Item>& items);

  AlertStore& store_;
  OrganizationsClient& organizations_;
  DirectivesClient& directives_;
  const ProducerOptions options_;
};

}  // namespace caunoi::reports

#endif  // CAUNOI_SERVICES_REPORTS_ALERTS_ALERT_PRODUCER_H_
