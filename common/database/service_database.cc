#include "common/database/service_database.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/logging/log.h"

namespace caunoi {
namespace {

constexpr absl::Duration kMigrationPatience = absl::Seconds(60);

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

std::unique_ptr<ServiceDatabase> ServiceDatabase::Open(const ServiceConfig& config,
                                                       std::span<const pg::Migration> migrations) {
  absl::StatusOr<int> schema_version = MigrateWithPatience(config, migrations);
  if (!schema_version.ok()) {
    log::Error("migration.failed", {{"error", schema_version.status().message()}});
    std::exit(1);
  }
  log::Info("migration.done",
            {{"schema", config.service}, {"version", absl::StrCat(*schema_version)}});
  if (config.migrate_only) std::exit(0);

  auto pool = std::make_unique<pg::Pool>(
      pg::PoolOptions{.dsn = config.database_url,
                      .application_name = absl::StrCat("caunoi-", config.service),
                      .size = config.db_pool_size,
                      .open_ahead = true});
  auto probe = std::make_shared<pg::DatabaseProbe>(
      config.database_url, absl::StrCat("caunoi-", config.service, "-health"));
  return std::unique_ptr<ServiceDatabase>(
      new ServiceDatabase(std::move(pool), std::move(probe), *schema_version));
}

ServerReadiness ServiceDatabase::Readiness() const {
  return {.probe = [probe = probe_] { return probe->Check(); }, .schema_version = schema_version_};
}

}  // namespace caunoi
