// The reports server: obligations, periodic reports and their review.
#include <thread>

#include "absl/synchronization/notification.h"
#include "common/client/channel.h"
#include "common/client/directives_client.h"
#include "common/client/organizations_client.h"
#include "common/database/service_database.h"
#include "common/server/service_host.h"
#include "services/reports/dissolved_duties.h"
#include "services/reports/reports_service.h"
#include "services/reports/reports_store.h"

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
  reports::SummaryStore summaries(database->pool());
  reports::ReportsService service(store, summaries, organizations, directives);
  // Duties recorded before they kept their unit's locality are settled
  // in the background while the server serves.
  reports::DissolvedDuties dissolved(store, organizations);
  absl::Notification stopping;
  std::thread settle([&] { dissolved.SettleAll(stopping); });
  const int exit_code =
      host->Serve({{&service, v1::ReportService::service_full_name()}}, database->Readiness());
  stopping.Notify();
  settle.join();
  return exit_code;
}
