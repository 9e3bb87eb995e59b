#ifndef CAUNOI_COMMON_SERVER_SERVICE_HOST_H_
#define CAUNOI_COMMON_SERVER_SERVICE_HOST_H_

#include <memory>
#include <vector>

#include "common/config/service_config.h"
#include "common/server/server_runner.h"
#include "grpcpp/channel.h"
#include "grpcpp/security/credentials.h"

namespace caunoi {

// Everything a server's main does before and after building its handlers
// (a server with tables opens them with ServiceDatabase):
//   auto host = ServiceHost::Start(argc, argv, defaults);
//   MyService service(...);
//   return host->Serve({{&service, "caunoi.v1.MyService"}});
class ServiceHost {
 public:
  // Blocks termination signals and reads configuration. Exits the process
  // with a clear message on bad configuration.
  static std::unique_ptr<ServiceHost> Start(int argc, char** argv, const ServiceDefaults& defaults);

  const ServiceConfig& config() const { return config_; }

  // Credentials for calls to the other services (TLS when configured).
  const std::shared_ptr<grpc::ChannelCredentials>& backend_credentials() const {
    return backend_credentials_;
  }
  // A channel to another service at `target`, with those credentials.
  std::shared_ptr<grpc::Channel> DependencyChannel(const std::string& target) const;

  // Serves until SIGTERM/SIGINT and drains; returns the exit code. Health
  // follows `readiness` (the database's reachability when there is one).
  int Serve(std::vector<HostedService> services, ServerReadiness readiness = {},
            std::vector<CompanionListener*> companions = {}, FrontListener* front = nullptr);

 private:
  ServiceHost(ServiceConfig config, std::shared_ptr<grpc::ChannelCredentials> backend_credentials)
      : config_(std::move(config)), backend_credentials_(std::move(backend_credentials)) {}

  const ServiceConfig config_;
  const std::shared_ptr<grpc::ChannelCredentials> backend_credentials_;
};

}  // namespace caunoi

#endif  // CAUNOI_COMMON_SERVER_SERVICE_HOST_H_
