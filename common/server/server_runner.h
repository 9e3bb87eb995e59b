#ifndef CAUNOI_COMMON_SERVER_SERVER_RUNNER_H_
#define CAUNOI_COMMON_SERVER_SERVER_RUNNER_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
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

// Takes the server's address in place of gRPC's server and passes it the
// calls it does not answer itself (the gateway's frame relay); gRPC's
// server then listens on loopback only, in plaintext: the front serves the
// port's TLS.
class FrontListener {
 public:
  virtual ~FrontListener() = default;
  // Listens on `address`, passing calls on to the gRPC server at
  // `server_address`; returns the port bound.
  virtual absl::StatusOr<int> Start(const std::string& address,
                                    const std::string& server_address) = 0;
  // Takes no more calls; waits for those under way until `deadline`.
  virtual void Drain(absl::Time deadline) = 0;
};

struct ServerParts {
  // The service's own gRPC services; the runner adds health, reflection and
  // caunoi.v1.ServerInfoService.
  std::vector<HostedService> services;
  ServerReadiness readiness;
  std::vector<CompanionListener*> companions;
  FrontListener* front = nullptr;
};

// Serves until SIGTERM or SIGINT (call BlockTerminationSignals first), then
// drains: health turns NOT_SERVING at once, new calls are still accepted for
// config.drain_grace (so load balancers notice first), then the server stops
// accepting and in-flight calls get until config.drain_deadline before they
// are cancelled. Returns the process exit code.
int RunServer(const ServiceConfig& config, const ServerParts& parts);

}  // namespace caunoi

#endif  // CAUNOI_COMMON_SERVER_SERVER_RUNNER_H_
