#ifndef CAUNOI_SERVICES_GATEWAY_RELAY_RELAY_LOOP_H_
#define CAUNOI_SERVICES_GATEWAY_RELAY_RELAY_LOOP_H_

#include <nghttp2/nghttp2.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/gateway/relay/http2_link.h"
#include "services/gateway/relay/relay_route.h"
#include "services/gateway/relay/resolver.h"
#include "services/gateway/relay/tls_context.h"

namespace caunoi::gateway::relay {

class UpstreamLink;

struct RelaySettings {
  // What each stream may have in flight towards the relay before it has
  // passed the bytes on, and each caller's connection in all: the most a
  // caller makes the relay hold. Connections to upstreams have no window
  // of their own beyond their streams'.
  uint32_t stream_window = 1 << 20;
  uint32_t connection_window = 16 << 20;
  // How long a caller may hold a connection before its first HTTP/2
  // frame (over TLS, the handshake included): one that connects and says
  // nothing is closed, so idle sockets cannot use up the relay's.
  absl::Duration greeting_timeout = absl::Seconds(20);
  // A loop busy for less than this share of a core takes new callers
  // before the loops after it, so a gateway that is not busy serves its
  // callers from as few loops as it can: each wakeup then carries many
  // callers' frames, where loops spread thin each wake for a few. When
  // every loop is busier, a new caller goes to the one with the fewest.
  // A busier loop serving several callers, while another is below half
  // the share, asks enough callers to connect again to even the two
  // loops, and they land on the quieter one. 0 spreads callers evenly
  // from the start.
  double busy_share = 0.5;
  // How often each loop reads its share of a core.
  absl::Duration load_window = absl::Milliseconds(250);
};

// One thread's share of the relay: the callers it accepted on its own
// listening socket, its own connection to each replica of each upstream,
// and one epoll set for all of them. Loops share nothing but the router
// and the resolver.
class RelayLoop {
 public:
  // `serve_tls`, when set, is the TLS callers speak; `upstream_tls`, by
  // upstream index, that spoken to each (plaintext where null).
  RelayLoop(int listen_fd, Resolver& resolver, const Router& router, RelaySettings settings,
            TlsContext* serve_tls = nullptr, std::vector<TlsContext*> upstream_tls = {});
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
  // Before Run: the loops that share the port, this one among them, in
  // order. Each caller goes to the loop busy_share picks, whichever loop's
  // socket the kernel gave it to: the kernel spreads connections over the
  // sockets by a hash, which leaves one loop with two or three times the
  // other's callers as often as not.
  void ShareCallersWith(std::vector<RelayLoop*> loops) { loops_sharing_port_ = std::move(loops); }
  // Callers connected to this loop, and those handed to it not yet taken.
  int callers_now() const { return callers_.load(std::memory_order_acquire); }
  // Calls under way on this loop.
  int calls_in_flight_now() const { return calls_in_flight_.load(std::memory_order_acquire); }
  // The loop's share of a core over its last load window; 0 once it has
  // had no turn for two windows (it had nothing to do).
  double busy_share_now(absl::Time now) const;
  // Callers this loop has asked to connect again, to a quieter loop.
  int64_t callers_moved() const { return callers_moved_.load(std::memory_order_acquire); }
  std::atomic<int>& calls_in_flight() { return calls_in_flight_; }

  // For the links.
  const Router& router() const { return router_; }
  const RelaySettings& settings() const { return settings_; }
  const nghttp2_option* session_options() const { return session_options_; }
  TlsContext* serve_tls() const { return serve_tls_; }
  // A connection to upstream `index` for the next call: its replicas in
  // turn, each connection made anew when the last one closed or takes no
  // more calls, passing over replicas that did not answer lately; null
  // when none can be had.
  UpstreamLink* UpstreamFor(size_t index);
  // From the link, as it closes: a link that never connected holds its
  // replica back, a second at first and twice as long each time after.
  void UpstreamClosing(UpstreamLink* link, bool connected);
  void Own(Http2Link* link) { links_.insert(link); }
  void Watch(int fd, Watched* watched, uint32_t events);
  void Rewatch(int fd, Watched* watched, uint32_t events);
  void Unwatch(int fd);
  void Touched(Http2Link* link) { touched_.push_back(link); }
  void Retire(Http2Link* link);
  // Callers accepted and not yet greeted, counted up (+1) and down (-1).
  void CallerAwaited(int change) { callers_awaited_ += change; }
  // A caller of this loop's has gone (or could not be served).
  void CallerLeft() { callers_.fetch_sub(1, std::memory_order_acq_rel); }

 private:
  class Listener;
  class Waker;
  // A replica of an upstream, as this loop reaches it.
  struct Replica {
    SocketAddress address;
    UpstreamLink* link = nullptr;
    absl::Time retry_after = absl::InfinitePast();
    absl::Duration backoff = absl::ZeroDuration();
  };
  struct Replicas {
    uint64_t generation = 0;  // the resolver's, when last read
    std::vector<Replica> replicas;
    size_t next = 0;  // whose turn it is
  };

  // A caller just accepted on this loop's socket, `fd`, served here or by
  // another loop sharing the port: the first below busy_share, or else the
  // one with the fewest callers.
  void PlaceCaller(int fd, std::string peer);
  // From another loop: a caller of this loop's to serve.
  void Adopt(int fd, std::string peer);
  // The callers other loops handed over.
  void TakeAdopted();
  void FlushTouched();
  void StopTakingCalls();
  // Once a load window: reads the loop's share of a core, tells the
  // callers asked to leave a window ago the last call taken, and asks
  // more to leave when this loop is busy and another is quiet.
  void WeighLoad(absl::Time now);
  // The lowest busy share of the other loops sharing the port.
  double QuietestOtherShare(absl::Time now) const;
  void MoveCallers(double share, double quiet_share, absl::Time now);
  // Closes the callers whose greeting is overdue; how long epoll may wait
  // before the next look (-1: no caller is awaited).
  int CloseSilentCallers();
  // Takes the resolver's addresses for upstream `index`, keeping the
  // connections to replicas still there.
  void ReadAddresses(size_t index);
  // A replica that did not connect: not tried again for a while, and its
  // name looked up again soon.
  void HoldBack(Replica& replica);

  const int epoll_fd_;
  const int wake_fd_;
  int listen_fd_;
  Resolver& resolver_;
  const Router& router_;
  const RelaySettings settings_;
  TlsContext* const serve_tls_;
  const std::vector<TlsContext*> upstream_tls_;
  nghttp2_option* session_options_ = nullptr;
  std::vector<Watched*> watchers_;  // the listener and the waker
  std::atomic<bool> stopping_{false};
  std::atomic<bool> draining_{false};
  std::atomic<int> calls_in_flight_{0};
  std::atomic<int> callers_{0};
  std::vector<RelayLoop*> loops_sharing_port_;
  absl::Mutex adopted_mutex_;
  std::vector<std::pair<int, std::string>> adopted_ ABSL_GUARDED_BY(adopted_mutex_);
  std::vector<Replicas> upstreams_;  // by index
  absl::flat_hash_set<Http2Link*> links_;
  std::vector<Http2Link*> touched_;
  int callers_awaited_ = 0;
  absl::Time next_look_ = absl::InfinitePast();
  absl::Time weighed_at_ = absl::InfinitePast();
  absl::Duration cpu_at_weighing_;
  std::atomic<double> busy_share_{0};
  std::atomic<int64_t> busy_share_as_of_nanos_{0};  // Unix time
  std::atomic<int64_t> callers_moved_{0};
  absl::Time moved_at_ = absl::InfinitePast();  // when callers were last asked to leave
  std::vector<Http2Link*> retired_;
};

}  // namespace caunoi::gateway::relay

#endif  // CAUNOI_SERVICES_GATEWAY_RELAY_RELAY_LOOP_H_
