#ifndef CAUNOI_SERVICES_GATEWAY_RELAY_RESOLVER_H_
#define CAUNOI_SERVICES_GATEWAY_RELAY_RESOLVER_H_

#include <sys/socket.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/gateway/relay/upstream_target.h"

namespace caunoi::gateway::relay {

// One address a replica listens on.
struct SocketAddress {
  sockaddr_storage storage{};
  socklen_t length = 0;

  const sockaddr* get() const { return reinterpret_cast<const sockaddr*>(&storage); }
  bool is_ipv6() const { return storage.ss_family == AF_INET6; }
  // "10.0.0.1", "::1".
  std::string host() const;
  uint16_t port() const;
  friend bool operator==(const SocketAddress& a, const SocketAddress& b);
  friend bool operator<(const SocketAddress& a, const SocketAddress& b);
};

// The addresses of every upstream, looked up on a thread of its own so
// that no event loop ever waits for DNS: once before the constructor
// returns, then every `interval` (replicas come and go as a Deployment
// scales) and soon after a loop finds an address that does not answer.
// A name that fails to resolve keeps the addresses it had.
class Resolver {
 public:
  Resolver(std::vector<UpstreamTarget> targets, absl::Duration interval);
  Resolver(const Resolver&) = delete;
  Resolver& operator=(const Resolver&) = delete;
  ~Resolver();

  size_t size() const { return targets_.size(); }
  // Changes whenever some upstream's addresses do: a loop compares it
  // with what it last read, without a lock.
  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }
  // Upstream `index`'s addresses, in a fixed order.
  std::vector<SocketAddress> AddressesOf(size_t index) const;
  // The name a certificate of upstream `index` at `address` must be for:
  // the name looked up, or the address itself when it was given as one.
  std::string PeerName(size_t index, const SocketAddress& address) const;
  // From any thread: look again now, or a second after the last look.
  void ResolveSoon();

 private:
  void Run();
  void ResolveAll(bool first);

  const std::vector<UpstreamTarget> targets_;
  const absl::Duration interval_;
  std::atomic<uint64_t> generation_{0};
  mutable absl::Mutex mutex_;
  std::vector<std::vector<SocketAddress>> addresses_ ABSL_GUARDED_BY(mutex_);
  bool soon_ ABSL_GUARDED_BY(mutex_) = false;
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  std::thread thread_;
};

}  // namespace caunoi::gateway::relay

#endif  // CAUNOI_SERVICES_GATEWAY_RELAY_RESOLVER_H_
