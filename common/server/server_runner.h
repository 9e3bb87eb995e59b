#ifndef CAUNOI_COMMON_SERVER_SERVER_RUNNER_H_
#define CAUNOI_COMMON_SERVER_SERVER_RUNNER_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/config/service_config.h"
#include "grpcpp/impl/codegen/service_type.h"
#include "grpcpp/server.h"

namespace caunoi {

// A gRPC service and its full name, e.g. "caunoi.v1.OrganizationService",
// under which health reports its status.
struct HostedService {
  grpc::Service* service;
  std::string full_name;
};

// What the server depends on, for health and ServerInfo.
struct ServerReadiness {
  // Polled every config.health_interval; health is SERVING while it returns
  // OK. Empty: always SERVING until drain.
  std::function<absl::Status()> probe;
  int schema_version = 0;
};

// Something served beside the gRPC port that calls the server in-process
// (the gateway's web dashboard): started once the server serves, stopped
// when it starts draining.
class CompanionListener {
 public:
  virtual ~CompanionListener() = default;
  virtual absl::Status Start(grpc::Server& server) = 0;
  virtual void Stop() = 0;
};

struct ServerParts {
  // The service's own gRPC services; the runner adds health, reflection and
  // caunoi.v1.ServerInfoService.
  std::vector<HostedService> services;
  ServerReadiness readiness;
  std::vector<CompanionListener*> companions;
};

// Serves until SIGTERM or SIGINT (call BlockTerminationSignals first), then
// drains: health turns NOT_SERVING at once, new calls are still accepted for
// config.drain_grace (so load balancers notice first), then the server stops
// accepting and in-flight calls get until config.drain_deadline before they
// are cancelled. Returns the process exit code.
int RunServer(const ServiceConfig& config, const ServerParts& parts);

}  // namespace caunoi

#endif  // CAUNOI_COMMON_SERVER_SERVER_RUNNER_H_
