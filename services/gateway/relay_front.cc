#include "services/gateway/relay_front.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/gateway/relay/upstream_target.h"

namespace caunoi::gateway {

absl::Status RelayFront::Fits(const ServiceConfig& config) {
  if (!config.tls_cert_file.empty()) {
    return absl::FailedPreconditionError("the gateway's port serves TLS");
  }
  if (!config.backend_ca_file.empty()) {
    return absl::FailedPreconditionError("the services are called over TLS");
  }
  for (const std::string& target :
       {config.directives_address, config.organizations_address, config.reports_address}) {
    if (absl::StatusOr<relay::UpstreamTarget> parsed = relay::ParseUpstreamTarget(target);
        !parsed.ok()) {
      return absl::FailedPreconditionError(parsed.status().message());
    }
  }
  return absl::OkStatus();
}

RelayFront::RelayFront(std::vector<RelayedBackend> backends, Gatekeeper& gatekeeper,
                       std::string secret, CallLogLevel log_level, int threads)
    : backends_(std::move(backends)),
      gatekeeper_(gatekeeper),
      secret_(std::move(secret)),
      log_level_(log_level),
      threads_(threads) {}

absl::StatusOr<int> RelayFront::Start(const std::string& address,
                                      const std::string& server_address) {
  std::vector<std::string> upstreams;
  std::vector<RelayedService> services;
  for (const RelayedBackend& backend : backends_) {
    services.push_back({backend.service, backend.backend, upstreams.size()});
    upstreams.push_back(backend.address);
  }
  router_.emplace(services, upstreams.size(), gatekeeper_, secret_, log_level_);
  upstreams.push_back(server_address);
  absl::StatusOr<std::unique_ptr<relay::FrameRelay>> relay = relay::FrameRelay::Start(
      {.listen_address = address,
       .upstreams = std::move(upstreams),
       .threads = threads_,
       .settings = {}},
      [router = &*router_](absl::string_view path, absl::string_view peer, relay::Headers headers) {
        return (*router)(path, peer, std::move(headers));
      });
  if (!relay.ok()) return relay.status();
  relay_ = *std::move(relay);
  return relay_->port();
}

void RelayFront::Drain(absl::Time deadline) {
  if (relay_ != nullptr) relay_->Drain(deadline);
}

}  // namespace caunoi::gateway
