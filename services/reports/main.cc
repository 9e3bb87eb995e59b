// The reports server: obligations, periodic reports and their review.
#include "common/client/channel.h"
#include "common/client/directives_client.h"
#include "common/client/organizations_client.h"
#include "common/server/service_host.h"
#include "services/reports/reports_service.h"
#include "services/reports/reports_store.h"

namespace caunoi::reports {
std::span<const pg::Migration> Migrations();  // generated from migrations/*.sql
}

int main(int argc, char** argv) {
  using namespace caunoi;
  auto host =
      ServiceHost::Start(argc, argv, {.service = "reports", .listen_address = "127.0.0.1:50053"},
                         reports::Migrations());
  reports::ReportsStore store(host->pool());
  OrganizationsClient organizations(host->DependencyChannel(host->config().organizations_address));
  DirectivesClient directives(host->DependencyChannel(host->config().directives_address));
  reports::SummaryStore summaries(host->pool());
  reports::ReportsService service(store, summaries, organizations, directives);
  return host->Serve({{&service, v1::ReportService::service_full_name()}});
}
