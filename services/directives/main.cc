// The directives server: documents, their cascade, tasks and dissemination.
#include <thread>

#include "absl/flags/flag.h"
#include "common/changes/change_feed.h"
#include "common/changes/change_watch.h"
#include "common/client/channel.h"
#include "common/client/organizations_client.h"
#include "common/database/service_database.h"
#include "common/server/service_host.h"
#include "services/directives/directives_service.h"
#include "services/directives/directives_store.h"
#include "services/directives/document_changes.h"
#include "services/directives/task_horizon.h"

namespace caunoi::directives {
std::span<const pg::Migration> Migrations();  // generated from migrations/*.sql
}

ABSL_FLAG(absl::Duration, task_horizon_interval, absl::Minutes(10),
          "how often the day open tasks are counted overdue from is moved to today");

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
  absl::Notification stopping;
  std::thread horizon([&] {
    directives::KeepTaskHorizon(store, absl::GetFlag(FLAGS_task_horizon_interval), stopping);
  });
  const int exit_code =
      host->Serve({{&service, v1::DirectiveService::service_full_name()}}, database->Readiness());
  stopping.Notify();
  horizon.join();
  return exit_code;
}
