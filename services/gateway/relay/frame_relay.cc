#include "services/gateway/relay/frame_relay.h"

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/gateway/relay/host_port.h"

namespace caunoi::gateway::relay {
namespace {

// A listening socket on `address` (port 0: any free one), sharing its
// port with the other loops' sockets.
absl::StatusOr<int> Listen(const HostPort& address) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  if (const int failed = getaddrinfo(address.host.c_str(), address.port.c_str(), &hints, &found);
      failed != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot resolve ", address.host, ": ", gai_strerror(failed)));
  }
  const int fd = socket(found->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  const int one = 1;
  const bool listening = fd >= 0 &&
                         setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == 0 &&
                         setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) == 0 &&
                         bind(fd, found->ai_addr, found->ai_addrlen) == 0 && listen(fd, 1024) == 0;
  const int error = errno;
  freeaddrinfo(found);
  if (!listening) {
    if (fd >= 0) close(fd);
    return absl::UnavailableError(absl::StrCat("cannot listen on ", address.host, ":", address.port,
                                               ": ", std::strerror(error)));
  }
  return fd;
}

int PortOf(int fd) {
  SocketAddress bound;
  bound.length = sizeof(bound.storage);
  getsockname(fd, reinterpret_cast<sockaddr*>(&bound.storage), &bound.length);
  return bound.port();
}

// The side's TLS from `files`; null, for plaintext, when there are none.
absl::StatusOr<std::unique_ptr<TlsContext>> LoadTls(const std::optional<TlsFiles>& files,
                                                    TlsContext::Side side,
                                                    absl::Duration reload_interval) {
  if (!files.has_value()) return nullptr;
  return TlsContext::Load(side, *files, reload_interval);
}

}  // namespace

absl::StatusOr<std::unique_ptr<FrameRelay>> FrameRelay::Start(FrameRelayOptions options,
                                                              Router router) {
  absl::StatusOr<HostPort> address = SplitHostPort(options.listen_address);
  if (!address.ok()) return address.status();
  std::vector<UpstreamTarget> targets;
  for (const RelayedUpstream& upstream : options.upstreams) {
    absl::StatusOr<UpstreamTarget> target = ParseUpstreamTarget(upstream.target);
    if (!target.ok()) return target.status();
    targets.push_back(*std::move(target));
  }
  for (const RelayedUpstream& upstream : options.upstreams) {
    if (upstream.tls && !options.upstream_tls.has_value()) {
      return absl::InvalidArgumentError(
          absl::StrCat(upstream.target, " is to be reached over TLS, and no TLS files are given"));
    }
  }
  absl::StatusOr<std::unique_ptr<TlsContext>> serve_tls =
      LoadTls(options.serve_tls, TlsContext::Side::kServe, options.tls_reload_interval);
  if (!serve_tls.ok()) return serve_tls.status();
  absl::StatusOr<std::unique_ptr<TlsContext>> upstream_tls =
      LoadTls(options.upstream_tls, TlsContext::Side::kReach, options.tls_reload_interval);
  if (!upstream_tls.ok()) return upstream_tls.status();
  std::vector<int> sockets;
  for (int i = 0; i < std::max(1, options.threads); ++i) {
    absl::StatusOr<int> fd = Listen(*address);
    if (!fd.ok()) {
      for (const int opened : sockets) close(opened);
      return fd.status();
    }
    // The first socket fixes the port the others share.
    if (i == 0) address->port = absl::StrCat(PortOf(*fd));
    sockets.push_back(*fd);
  }
  std::unique_ptr<FrameRelay> relay(new FrameRelay(std::move(router), PortOf(sockets[0]),
                                                   std::move(targets), options.resolve_interval));
  relay->serve_tls_ = *std::move(serve_tls);
  relay->upstream_tls_ = *std::move(upstream_tls);
  std::vector<TlsContext*> tls_by_upstream;
  for (const RelayedUpstream& upstream : options.upstreams) {
    tls_by_upstream.push_back(upstream.tls ? relay->upstream_tls_.get() : nullptr);
  }
  for (const int fd : sockets) {
    relay->loops_.push_back(std::make_unique<RelayLoop>(fd, relay->resolver_, relay->router_,
                                                        options.settings, relay->serve_tls_.get(),
                                                        tls_by_upstream));
  }
  std::vector<RelayLoop*> loops;
  for (const std::unique_ptr<RelayLoop>& loop : relay->loops_) loops.push_back(loop.get());
  for (RelayLoop* loop : loops) loop->ShareCallersWith(loops);
  for (RelayLoop* loop : loops) relay->threads_.emplace_back([loop] { loop->Run(); });
  return relay;
}

std::vector<FrameRelay::LoopLoad> FrameRelay::LoadPerLoop() const {
  std::vector<LoopLoad> load;
  const absl::Time now = absl::Now();
  for (const std::unique_ptr<RelayLoop>& loop : loops_) {
    load.push_back({.callers = loop->callers_now(),
                    .calls_in_flight = loop->calls_in_flight_now(),
                    .busy_share = loop->busy_share_now(now),
                    .callers_moved = loop->callers_moved()});
  }
  return load;
}

void FrameRelay::Drain(absl::Time deadline) {
  for (const std::unique_ptr<RelayLoop>& loop : loops_) loop->Drain();
  auto busy = [this] {
    for (const std::unique_ptr<RelayLoop>& loop : loops_) {
      if (loop->calls_in_flight_now() > 0) return true;
    }
    return false;
  };
  while (busy() && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(20));
}

FrameRelay::~FrameRelay() {
  for (const std::unique_ptr<RelayLoop>& loop : loops_) loop->Stop();
  for (std::thread& thread : threads_) thread.join();
}

}  // namespace caunoi::gateway::relay
