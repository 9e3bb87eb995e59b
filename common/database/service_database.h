#ifndef CAUNOI_COMMON_DATABASE_SERVICE_DATABASE_H_
#define CAUNOI_COMMON_DATABASE_SERVICE_DATABASE_H_

#include <memory>
#include <span>

#include "common/config/service_config.h"
#include "common/pg/database_probe.h"
#include "common/pg/migrator.h"
#include "common/pg/pool.h"
#include "common/server/server_runner.h"

namespace caunoi {

// The PostgreSQL side of a server that owns tables, kept apart from
// ServiceHost so that servers without tables (the gateway) link no libpq:
//   auto host = ServiceHost::Start(argc, argv, defaults);
//   auto database = ServiceDatabase::Open(host->config(), Migrations());
//   MyStore store(database->pool());  MyService service(store);
//   return host->Serve({{&service, "caunoi.v1.MyService"}}, database->Readiness());
class ServiceDatabase {
 public:
  // Applies `migrations` to the schema named after the service (retrying
  // while the database starts) and opens the pool. Exits the process with
  // a clear message on a failed migration, and with 0 after
  // `<server> migrate`.
  static std::unique_ptr<ServiceDatabase> Open(const ServiceConfig& config,
                                               std::span<const pg::Migration> migrations);

  pg::Pool& pool() { return *pool_; }
  // Health follows the database's reachability.
  ServerReadiness Readiness() const;

 private:
  ServiceDatabase(std::unique_ptr<pg::Pool> pool, std::shared_ptr<pg::DatabaseProbe> probe,
                  int schema_version)
      : pool_(std::move(pool)), probe_(std::move(probe)), schema_version_(schema_version) {}

  std::unique_ptr<pg::Pool> pool_;
  std::shared_ptr<pg::DatabaseProbe> probe_;
  const int schema_version_;
};

}  // namespace caunoi

#endif  // CAUNOI_COMMON_DATABASE_SERVICE_DATABASE_H_
