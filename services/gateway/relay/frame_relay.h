#ifndef CAUNOI_SERVICES_GATEWAY_RELAY_FRAME_RELAY_H_
#define CAUNOI_SERVICES_GATEWAY_RELAY_FRAME_RELAY_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/gateway/relay/relay_loop.h"
#include "services/gateway/relay/relay_route.h"
#include "services/gateway/relay/resolver.h"
#include "services/gateway/relay/tls_context.h"

namespace caunoi::gateway::relay {

// An upstream a route may name.
struct RelayedUpstream {
  // A gRPC channel's target (see UpstreamTarget): calls are spread over
  // its replicas.
  std::string target;
  // Reached over TLS with FrameRelayOptions::upstream_tls.
  bool tls = false;
};

struct FrameRelayOptions {
  // host:port to listen on; port 0 picks a free one.
  std::string listen_address;
  // By index, as routes name them.
  std::vector<RelayedUpstream> upstreams;
  // TLS served to callers, when set.
  std::optional<TlsFiles> serve_tls = std::nullopt;
  // TLS spoken to the upstreams marked for it.
  std::optional<TlsFiles> upstream_tls = std::nullopt;
  // How often the TLS files are read again for a rotated certificate.
  absl::Duration tls_reload_interval = absl::Minutes(1);
  // How often names are looked up again for replicas that came or went.
  absl::Duration resolve_interval = absl::Seconds(30);
  // Event loops, each on its own thread with its own listening socket
  // (SO_REUSEPORT); a caller is served by the loop RelaySettings::busy_share
  // picks.
  int threads = 2;
  RelaySettings settings;
};

// Relays gRPC calls (HTTP/2, in cleartext or over TLS) frame by frame: each call's
// headers are routed, then its messages pass through as bytes, without
// being parsed or copied into a gRPC call of the relay's own. Every
// replica of an upstream is one HTTP/2 connection per loop, multiplexing
// its calls.
class FrameRelay {
 public:
  static absl::StatusOr<std::unique_ptr<FrameRelay>> Start(FrameRelayOptions options,
                                                           Router router);
  FrameRelay(const FrameRelay&) = delete;
  FrameRelay& operator=(const FrameRelay&) = delete;
  // Stops the loops; calls still in flight end with their connections.
  ~FrameRelay();

  int port() const { return port_; }
  // What each event loop serves just now.
  struct LoopLoad {
    int callers = 0;
    int calls_in_flight = 0;
    // Its share of a core over its last load window.
    double busy_share = 0;
    // Callers it has asked to connect again, to a quieter loop.
    int64_t callers_moved = 0;
  };
  std::vector<LoopLoad> LoadPerLoop() const;

  // Stops taking calls (callers hear GOAWAY) and waits until those under
  // way have ended or `deadline` has passed; the destructor then ends any
  // left.
  void Drain(absl::Time deadline);

 private:
  FrameRelay(Router router, int port, std::vector<UpstreamTarget> targets,
             absl::Duration resolve_interval)
      : router_(std::move(router)), port_(port), resolver_(std::move(targets), resolve_interval) {}

  const Router router_;
  const int port_;
  Resolver resolver_;
  std::unique_ptr<TlsContext> serve_tls_;
  std::unique_ptr<TlsContext> upstream_tls_;
  std::vector<std::unique_ptr<RelayLoop>> loops_;
  std::vector<std::thread> threads_;
};

}  // namespace caunoi::gateway::relay

#endif  // CAUNOI_SERVICES_GATEWAY_RELAY_FRAME_RELAY_H_
