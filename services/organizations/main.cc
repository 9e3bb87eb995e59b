// The organizations server: localities, organizations and partners abroad.
#include "common/changes/change_feed.h"
#include "common/changes/change_watch.h"
#include "common/database/service_database.h"
#include "common/server/service_host.h"
#include "services/organizations/organizations_service.h"
#include "services/organizations/organizations_store.h"

namespace caunoi::organizations {
std::span<const pg::Migration> Migrations();  // generated from migrations/*.sql
}

int main(int argc, char** argv) {
  using namespace caunoi;
  auto host = ServiceHost::Start(argc, argv,
                                 {.service = "organizations", .listen_address = "127.0.0.1:50052"});
  auto database = ServiceDatabase::Open(host->config(), organizations::Migrations());
  organizations::OrganizationsStore store(database->pool());
  changes::ChangeStore change_log(database->pool(), "organizations");
  changes::ChangeFeed feed(change_log, {.retention = host->config().change_retention});
  changes::ChangeWatch watch(feed);
  organizations::OrganizationsService service(store, watch);
  return host->Serve({{&service, v1::OrganizationService::service_full_name()}},
                     database->Readiness());
}
