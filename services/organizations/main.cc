// The organizations server: localities, organizations and partners abroad.
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
  organizations::OrganizationsService service(store);
  return host->Serve({{&service, v1::OrganizationService::service_full_name()}},
                     database->Readiness());
}
