#include "services/gateway/relay_front.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/gateway/relay/upstream_target.h"

namespace caunoi::gateway {

absl::Status RelayFront::Fits(const ServiceConfig& config) {
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
                       const ServiceConfig& config, CallLogLevel log_level, RelayTuning tuning)
    : backends_(std::move(backends)),
      gatekeeper_(gatekeeper),
      secret_(config.gateway_secret),
      tls_reload_interval_(config.tls_reload_interval),
      log_level_(log_level),
      tuning_(tuning) {
  if (!config.tls_cert_file.empty()) {
    serve_tls_ = relay::TlsFiles{.certificate = config.tls_cert_file,
                                 .key = config.tls_key_file,
                                 .ca = config.tls_client_ca_file};
  }
  if (!config.backend_ca_file.empty()) {
    backend_tls_ = relay::TlsFiles{.certificate = config.backend_cert_file,
                                   .key = config.backend_key_file,
                                   .ca = config.backend_ca_file};
  }
}

absl::StatusOr<int> RelayFront::Start(const std::string& address,
                                      const std::string& server_address) {
  std::vector<relay::RelayedUpstream> upstreams;
  std::vector<RelayedService> services;
  for (const RelayedBackend& backend : backends_) {
    services.push_back({backend.service, backend.backend, upstreams.size()});
    upstreams.push_back({.target = backend.address, .tls = backend_tls_.has_value()});
  }
  router_.emplace(services, upstreams.size(), gatekeeper_, secret_, log_level_);
  // The gateway's own gRPC server, behind the relay on this host alone,
  // speaks plaintext.
  upstreams.push_back({.target = server_address});
  absl::StatusOr<std::unique_ptr<relay::FrameRelay>> relay = relay::FrameRelay::Start(
      {.listen_address = address,
       .upstreams = std::move(upstreams),
       .serve_tls = serve_tls_,
       .upstream_tls = backend_tls_,
       .tls_reload_interval = tls_reload_interval_,
       .resolve_interval = tuning_.resolve_interval,
       .threads = tuning_.threads,
       .settings = {.greeting_timeout = tuning_.greeting_timeout,
                    .busy_share = tuning_.busy_share}},
      [router = &*router_](absl::string_view path, absl::string_view peer, relay::Headers headers) {
        return (*router)(path, peer, std::move(headers));
      });
  if (!relay.ok()) return relay.status();
  relay_ = *std::move(relay);
  auto per_loop = [relay = relay_.get()](auto relay::FrameRelay::LoopLoad::*field) {
    metrics::GaugeSeries series;
    const std::vector<relay::FrameRelay::LoopLoad> loads = relay->LoadPerLoop();
    for (size_t i = 0; i < loads.size(); ++i) {
      series.push_back({{{"loop", absl::StrCat(i)}}, static_cast<double>(loads[i].*field)});
    }
    return series;
  };
  callers_gauge_.emplace("caunoi_gateway_relay_callers",
                         "connections from callers each of the frame relay's event loops serves",
                         [per_loop] { return per_loop(&relay::FrameRelay::LoopLoad::callers); });
  calls_gauge_.emplace("caunoi_gateway_relay_calls_in_flight",
                       "calls under way on each of the frame relay's event loops", [per_loop] {
                         return per_loop(&relay::FrameRelay::LoopLoad::calls_in_flight);
                       });
  busy_gauge_.emplace("caunoi_gateway_relay_busy_share",
                      "each of the frame relay's event loops' share of a core over its last quarter"
                      " second; a new caller goes to the first loop below --relay_busy_share",
                      [per_loop] { return per_loop(&relay::FrameRelay::LoopLoad::busy_share); });
  return relay_->port();
}

void RelayFront::Drain(absl::Time deadline) {
  if (relay_ != nullptr) relay_->Drain(deadline);
}

}  // namespace caunoi::gateway
