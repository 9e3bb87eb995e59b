#include "common/server/service_host.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/auth/principal.h"
#include "common/client/channel.h"
#include "common/logging/log.h"
#include "common/pg/database_probe.h"
#include "common/server/caller_watch.h"
#include "common/server/signals.h"
#include "grpcpp/create_channel.h"

namespace caunoi {
namespace {

constexpr absl::Duration kMigrationPatience = absl::Seconds(60);

[[noreturn]] void Fail(absl::string_view event, absl::string_view message) {
  log::Error(event, {{"error", message}});
  std::exit(1);
}

absl::StatusOr<int> MigrateWithPatience(const ServiceConfig& config,
                                        std::span<const pg::Migration> migrations) {
  const absl::Time give_up = absl::Now() + kMigrationPatience;
  const std::string application = absl::StrCat("caunoi-", config.service, "-migrate");
  while (true) {
    absl::StatusOr<std::unique_ptr<pg::Connection>> connection =
        pg::Connection::Open(config.database_url, application);
    if (connection.ok()) return pg::Migrate(**connection, config.service, migrations);
    if (absl::Now() > give_up) return connection.status();
    log::Info("migration.waiting_for_database", {{"error", connection.status().message()}});
    absl::SleepFor(absl::Seconds(1));
  }
}

}  // namespace

std::unique_ptr<ServiceHost> ServiceHost::Start(int argc, char** argv,
                                                const ServiceDefaults& defaults,
                                                std::span<const pg::Migration> migrations) {
  // Debian builds Abseil without NDEBUG, which leaves its lock-order
  // deadlock detector on for every Mutex, gRPC's own included: a global
  // graph updated on each lock. A server runs without it; tests keep it.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  WatchCallersOfSyncHandlers();
  BlockTerminationSignals();
  log::SetService(defaults.service);
  absl::StatusOr<ServiceConfig> config = LoadServiceConfig(argc, argv, defaults);
  if (!config.ok()) Fail("config.invalid", config.status().message());
  auth::SetGatewaySecret(config->gateway_secret);
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
      BackendCredentials(*config);
  if (!credentials.ok()) Fail("config.invalid", credentials.status().message());
  if (!defaults.needs_database) {
    return std::unique_ptr<ServiceHost>(
        new ServiceHost(*std::move(config), nullptr, 0, *std::move(credentials)));
  }

  absl::StatusOr<int> schema_version = MigrateWithPatience(*config, migrations);
  if (!schema_version.ok()) Fail("migration.failed", schema_version.status().message());
  log::Info("migration.done",
            {{"schema", config->service}, {"version", absl::StrCat(*schema_version)}});
  if (config->migrate_only) std::exit(0);

  auto pool = std::make_unique<pg::Pool>(
      pg::PoolOptions{.dsn = config->database_url,
                      .application_name = absl::StrCat("caunoi-", config->service),
                      .size = config->db_pool_size});
  return std::unique_ptr<ServiceHost>(new ServiceHost(*std::move(config), std::move(pool),
                                                      *schema_version, *std::move(credentials)));
}

std::shared_ptr<grpc::Channel> ServiceHost::DependencyChannel(const std::string& target) const {
  grpc::ChannelArguments arguments = ClientChannelArguments();
  // A name with several replicas behind it: spread the calls over all.
  arguments.SetServiceConfigJSON(R"({"loadBalancingConfig":[{"round_robin":{}}]})");
  return grpc::CreateCustomChannel(target, backend_credentials_, arguments);
}

int ServiceHost::Serve(std::vector<HostedService> services) {
  ServerParts parts;
  parts.services = std::move(services);
  parts.schema_version = schema_version_;
  std::shared_ptr<pg::DatabaseProbe> probe;
  if (pool_ != nullptr) {
    probe = std::make_shared<pg::DatabaseProbe>(
        config_.database_url, absl::StrCat("caunoi-", config_.service, "-health"));
    parts.readiness_probe = [probe] { return probe->Check(); };
  }
  return RunServer(config_, parts);
}

}  // namespace caunoi
