#ifndef CAUNOI_SERVICES_GATEWAY_RELAY_RELAY_LOOP_H_
#define CAUNOI_SERVICES_GATEWAY_RELAY_RELAY_LOOP_H_

#include <nghttp2/nghttp2.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "services/gateway/relay/http2_link.h"
#include "services/gateway/relay/relay_route.h"

namespace caunoi::gateway::relay {

class UpstreamLink;

struct RelaySettings {
  // What each stream may have in flight towards the relay before it has
  // passed the bytes on, and each caller's connection in all: the most a
  // caller makes the relay hold. Connections to upstreams have no window
  // of their own beyond their streams'.
  uint32_t stream_window = 1 << 20;
  uint32_t connection_window = 16 << 20;
};

// One thread's share of the relay: the callers it accepted on its own
// listening socket, its own connection to each upstream, and one epoll
// set for all of them. Loops share nothing but the router.
class RelayLoop {
 public:
  RelayLoop(int listen_fd, std::vector<std::string> upstreams, const Router& router,
            RelaySettings settings);
  RelayLoop(const RelayLoop&) = delete;
  RelayLoop& operator=(const RelayLoop&) = delete;
  // Closes every connection the loop has.
  ~RelayLoop();

  // Serves until Stop.
  void Run();
  // From any thread: stop accepting callers and tell those connected to
  // start no more calls; the calls under way go on.
  void Drain();
  // From any thread.
  void Stop();
  // Calls under way on this loop.
  int calls_in_flight_now() const { return calls_in_flight_.load(std::memory_order_acquire); }
  std::atomic<int>& calls_in_flight() { return calls_in_flight_; }

  // For the links.
  const Router& router() const { return router_; }
  const RelaySettings& settings() const { return settings_; }
  const nghttp2_option* session_options() const { return session_options_; }
  // The loop's connection to upstream `index`, made anew when the last one
  // closed or takes no more calls; null when none can be made.
  UpstreamLink* UpstreamFor(size_t index);
  void Own(Http2Link* link) { links_.insert(link); }
  void Watch(int fd, Watched* watched, uint32_t events);
  void Rewatch(int fd, Watched* watched, uint32_t events);
  void Unwatch(int fd);
  void Touched(Http2Link* link) { touched_.push_back(link); }
  void Retire(Http2Link* link);

 private:
  class Listener;
  class Waker;
  void FlushTouched();
  void StopTakingCalls();

  const int epoll_fd_;
  const int wake_fd_;
  int listen_fd_;
  const std::vector<std::string> upstreams_;
  const Router& router_;
  const RelaySettings settings_;
  nghttp2_option* session_options_ = nullptr;
  std::vector<Watched*> watchers_;  // the listener and the waker
  std::atomic<bool> stopping_{false};
  std::atomic<bool> draining_{false};
  std::atomic<int> calls_in_flight_{0};
  std::vector<UpstreamLink*> current_upstreams_;
  absl::flat_hash_set<Http2Link*> links_;
  std::vector<Http2Link*> touched_;
  std::vector<Http2Link*> retired_;
};

}  // namespace caunoi::gateway::relay

#endif  // CAUNOI_SERVICES_GATEWAY_RELAY_RELAY_LOOP_H_
