#include "common/server/service_host.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/auth/principal.h"
#include "common/client/channel.h"
#include "common/logging/log.h"
#include "common/metrics/metrics.h"
#include "common/server/call_log.h"
#include "common/server/caller_watch.h"
#include "common/server/signals.h"
#include "grpcpp/create_channel.h"

namespace caunoi {
namespace {

[[noreturn]] void Fail(absl::string_view event, absl::string_view message) {
  log::Error(event, {{"error", message}});
  std::exit(1);
}

}  // namespace

std::unique_ptr<ServiceHost> ServiceHost::Start(int argc, char** argv,
                                                const ServiceDefaults& defaults) {
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
  auth::SetDevelopmentMode(config->development_mode);
  if (config->development_mode) {
    log::Warning("config.development_mode",
                 {{"effect", "calls with no principal may write: never use in production"}});
  }
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
      BackendCredentials(*config);
  if (!credentials.ok()) Fail("config.invalid", credentials.status().message());
  return std::unique_ptr<ServiceHost>(new ServiceHost(*std::move(config), *std::move(credentials)));
}

std::shared_ptr<grpc::Channel> ServiceHost::DependencyChannel(const std::string& target) const {
  grpc::ChannelArguments arguments = ClientChannelArguments();
  // A name with several replicas behind it: spread the calls over all.
  arguments.SetServiceConfigJSON(R"({"loadBalancingConfig":[{"round_robin":{}}]})");
  std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>> counted;
  counted.push_back(metrics::ClientCalls());
  counted.push_back(MakeTracePropagation());
  return grpc::experimental::CreateCustomChannelWithInterceptors(target, backend_credentials_,
                                                                 arguments, std::move(counted));
}

int ServiceHost::Serve(std::vector<HostedService> services, ServerReadiness readiness,
                       std::vector<CompanionListener*> companions, FrontListener* front) {
  return RunServer(config_, {.services = std::move(services),
                             .readiness = std::move(readiness),
                             .companions = std::move(companions),
                             .front = front});
}

}  // namespace caunoi
