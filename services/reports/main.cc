// The reports server: obligations, periodic reports and their review.
#include <algorithm>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/synchronization/notification.h"
#include "common/changes/change_feed.h"
#include "common/changes/change_watch.h"
#include "common/client/channel.h"
#include "common/client/directives_client.h"
#include "common/client/organizations_client.h"
#include "common/database/service_database.h"
#include "common/server/service_host.h"
#include "services/reports/alerts/alert_events.h"
#include "services/reports/alerts/alert_producer.h"
#include "services/reports/alerts/alert_store.h"
#include "services/reports/assignee_places.h"
#include "services/reports/dissolved_duties.h"
#include "services/reports/reports_service.h"
#include "services/reports/reports_store.h"
#include "services/reports/webhooks/webhook_sender.h"
#include "services/reports/webhooks/webhook_store.h"

ABSL_FLAG(absl::Duration, alert_interval, absl::Minutes(1),
          "how often the alert producer looks at what falls due");
ABSL_FLAG(int, alert_lookback_days, 366,
          "items due longer ago than this many days are no longer alerted on");
ABSL_FLAG(int, alerts_per_transaction, 1000,
          "alerts a producer pass records in each transaction (what it recorded stays when a pass"
          " cannot finish)");

ABSL_FLAG(int64_t, commune_tallies_held, 400000,
          "report tally rows per commune held between reads of a province's compliance"
          " (about 250 bytes each; 0: none)");
ABSL_FLAG(int, webhook_max_attempts, 12, "attempts before a webhook delivery is dead-lettered");
ABSL_FLAG(absl::Duration, webhook_initial_backoff, absl::Seconds(1),
          "the wait after a webhook delivery's first failure, doubled after each");
ABSL_FLAG(absl::Duration, webhook_max_backoff, absl::Minutes(10),
          "the longest wait between a webhook delivery's attempts");
ABSL_FLAG(absl::Duration, webhook_timeout, absl::Seconds(10), "how long one attempt may take");

namespace caunoi::reports {
std::span<const pg::Migration> Migrations();  // generated from migrations/*.sql
}

int main(int argc, char** argv) {
  using namespace caunoi;
  auto host =
      ServiceHost::Start(argc, argv, {.service = "reports", .listen_address = "127.0.0.1:50053"});
  auto database = ServiceDatabase::Open(host->config(), reports::Migrations());
  reports::ReportsStore store(database->pool());
  OrganizationsClient organizations(host->DependencyChannel(host->config().organizations_address));
  DirectivesClient directives(host->DependencyChannel(host->config().directives_address));
  reports::HeldCommuneTallies held_tallies(
      static_cast<size_t>(std::max<int64_t>(0, absl::GetFlag(FLAGS_commune_tallies_held))));
  reports::SummaryStore summaries(database->pool(), held_tallies);
  changes::ChangeStore change_log(database->pool(), "reports", reports::AlertDecoder());
  changes::ChangeFeed feed(change_log, {.retention = host->config().change_retention});
  changes::ChangeWatch watch(feed);
  reports::AlertStore alerts(database->pool());
  reports::AlertProducer producer(
      alerts, organizations, directives,
      {.interval = absl::GetFlag(FLAGS_alert_interval),
       .lookback_days = absl::GetFlag(FLAGS_alert_lookback_days),
       .alerts_per_transaction = absl::GetFlag(FLAGS_alerts_per_transaction)});
  reports::WebhookStore webhooks(database->pool());
  reports::WebhookSender sender(webhooks,
                                {.max_attempts = absl::GetFlag(FLAGS_webhook_max_attempts),
                                 .initial_backoff = absl::GetFlag(FLAGS_webhook_initial_backoff),
                                 .max_backoff = absl::GetFlag(FLAGS_webhook_max_backoff),
                                 .timeout = absl::GetFlag(FLAGS_webhook_timeout)});
  reports::ReportsService service(
      store, summaries, organizations, directives,
      {.changes = watch, .alerts = alerts, .producer = producer, .webhooks = webhooks});
  // Duties recorded before they kept their unit's locality are settled
  // in the background while the server serves.
  reports::DissolvedDuties dissolved(store, organizations);
  reports::AssigneePlaces assignee_places(store, organizations);
  absl::Notification stopping;
  std::thread settle([&] {
    dissolved.SettleAll(stopping);
    assignee_places.FillAll(stopping);
  });
  std::thread produce([&] { producer.Run(stopping); });
  std::thread deliver([&] { sender.Run(stopping); });
  const int exit_code =
      host->Serve({{&service, v1::ReportService::service_full_name()}}, database->Readiness());
  stopping.Notify();
  settle.join();
  produce.join();
  deliver.join();
  return exit_code;
}
