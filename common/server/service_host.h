#ifndef CAUNOI_COMMON_SERVER_SERVICE_HOST_H_
#define CAUNOI_COMMON_SERVER_SERVICE_HOST_H_

#include <memory>
#include <span>
#include <vector>

#include "common/config/service_config.h"
#include "common/pg/migrator.h"
#include "common/pg/pool.h"
#include "common/server/server_runner.h"
#include "grpcpp/channel.h"
#include "grpcpp/security/credentials.h"

namespace caunoi {

// Everything a server's main does before and after building its handlers:
//   auto host = ServiceHost::Start(argc, argv, defaults, Migrations());
//   MyStore store(host->pool());  MyService service(store);
//   return host->Serve({{&service, "caunoi.v1.MyService"}});
class ServiceHost {
 public:
  // Blocks termination signals, reads configuration, and when the service
  // owns tables connects to PostgreSQL and applies `migrations` to the
  // schema named after the service (retrying while the database starts).
  // Exits the process with a clear message on bad configuration or a failed
  // migration, and with 0 after `<server> migrate`.
  static std::unique_ptr<ServiceHost> Start(int argc, char** argv, const ServiceDefaults& defaults,
                                            std::span<const pg::Migration> migrations);

  // Only for services that own tables.
  pg::Pool& pool() { return *pool_; }
  const ServiceConfig& config() const { return config_; }

  // Credentials for calls to the other services (TLS when configured).
  const std::shared_ptr<grpc::ChannelCredentials>& backend_credentials() const {
    return backend_credentials_;
  }
  // A channel to another service at `target`, with those credentials.
  std::shared_ptr<grpc::Channel> DependencyChannel(const std::string& target) const;

  // Serves until SIGTERM/SIGINT and drains; returns the exit code. Health
  // follows the database's reachability when the service has one.
  int Serve(std::vector<HostedService> services);

 private:
  ServiceHost(ServiceConfig config, std::unique_ptr<pg::Pool> pool, int schema_version,
              std::shared_ptr<grpc::ChannelCredentials> backend_credentials)
      : config_(std::move(config)),
        pool_(std::move(pool)),
        schema_version_(schema_version),
        backend_credentials_(std::move(backend_credentials)) {}

  const ServiceConfig config_;
  std::unique_ptr<pg::Pool> pool_;
  const int schema_version_;
  const std::shared_ptr<grpc::ChannelCredentials> backend_credentials_;
};

}  // namespace caunoi

#endif  // CAUNOI_COMMON_SERVER_SERVICE_HOST_H_
