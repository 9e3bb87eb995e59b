// The directives server: documents, their cascade, tasks and dissemination.
#include "common/changes/change_feed.h"
#include "common/changes/change_watch.h"
#include "common/client/channel.h"
#include "common/client/organizations_client.h"
#include "common/database/service_database.h"
#include "common/server/service_host.h"
#include "services/directives/directives_service.h"
#include "services/directives/directives_store.h"
#include "services/directives/document_changes.h"

namespace caunoi::directives {
std::span<const pg::Migration> Migrations();  // generated from migrations/*.sql
}

int main(int argc, char** argv) {
  using namespace caunoi;
  auto host = ServiceHost::Start(argc, argv,
                                 {.service = "directives", .listen_address = "127.0.0.1:50051"});
  auto database = ServiceDatabase::Open(host->config(), directives::Migrations());
  directives::DirectivesStore store(database->pool());
  OrganizationsClient organizations(host->DependencyChannel(host->config().organizations_address));
  changes::ChangeStore change_log(database->pool(), "directives", directives::DocumentDecoder());
  changes::ChangeFeed feed(change_log, {.retention = host->config().change_retention});
  changes::ChangeWatch watch(feed);
  directives::DirectivesService service(store, organizations, watch);
  return host->Serve({{&service, v1::DirectiveService::service_full_name()}},
                     database->Readiness());
}
