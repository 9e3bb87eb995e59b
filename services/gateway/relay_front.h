#ifndef CAUNOI_SERVICES_GATEWAY_RELAY_FRONT_H_
#define CAUNOI_SERVICES_GATEWAY_RELAY_FRONT_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/config/service_config.h"
#include "common/metrics/metrics.h"
#include "common/server/server_runner.h"
#include "services/gateway/relay/frame_relay.h"
#include "services/gateway/relay_router.h"

namespace caunoi::gateway {

// A service the front relays to, and where it listens.
struct RelayedBackend {
  const google::protobuf::ServiceDescriptor* service;
  Backend* backend;
  std::string address;  // a gRPC target: host:port, dns:///name:port, ipv4:...
};

// What an operator may tune in the relay (see the gateway's --relay_* flags).
struct RelayTuning {
  int threads = 2;
  absl::Duration greeting_timeout = absl::Seconds(20);
  absl::Duration resolve_interval = absl::Seconds(30);
  double busy_share = 0.5;  // see relay::RelaySettings
};

// The gateway's port served by the frame relay: the three services' calls
// go straight to them, relayed frame by frame; the rest to the gateway's
// gRPC server behind it.
class RelayFront final : public FrontListener {
 public:
  // OK when the relay can serve this configuration: backends at targets
  // it can resolve (see relay::UpstreamTarget). TLS on the port and to the
  // backends is served from the same files as gRPC's would be.
  static absl::Status Fits(const ServiceConfig& config);

  RelayFront(std::vector<RelayedBackend> backends, Gatekeeper& gatekeeper,
             const ServiceConfig& config, CallLogLevel log_level, RelayTuning tuning);

  absl::StatusOr<int> Start(const std::string& address, const std::string& server_address) override;
  void Drain(absl::Time deadline) override;

 private:
  const std::vector<RelayedBackend> backends_;
  Gatekeeper& gatekeeper_;
  const std::string secret_;
  std::optional<relay::TlsFiles> serve_tls_;
  std::optional<relay::TlsFiles> backend_tls_;
  const absl::Duration tls_reload_interval_;
  const CallLogLevel log_level_;
  const RelayTuning tuning_;
  std::optional<RelayRouter> router_;
  std::unique_ptr<relay::FrameRelay> relay_;
  // After relay_, so they stop reading it first.
  std::optional<metrics::ScrapedGauge> callers_gauge_;
  std::optional<metrics::ScrapedGauge> calls_gauge_;
  std::optional<metrics::ScrapedGauge> busy_gauge_;
};

}  // namespace caunoi::gateway

#endif  // CAUNOI_SERVICES_GATEWAY_RELAY_FRONT_H_
