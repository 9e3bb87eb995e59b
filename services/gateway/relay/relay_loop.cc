#include "services/gateway/relay/relay_loop.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <limits>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/logging/log.h"
#include "services/gateway/relay/caller_link.h"
#include "services/gateway/relay/caller_moves.h"
#include "services/gateway/relay/thread_cpu.h"
#include "services/gateway/relay/upstream_link.h"

namespace caunoi::gateway::relay {
namespace {

// As gRPC names a peer: "ipv4:127.0.0.1:40512", "ipv6:[::1]:40512".
std::string PeerName(const SocketAddress& address) {
  if (address.is_ipv6()) return absl::StrCat("ipv6:[", address.host(), "]:", address.port());
  return absl::StrCat("ipv4:", address.host(), ":", address.port());
}

}  // namespace

// Accepts the callers that connect to this loop's socket.
class RelayLoop::Listener final : public Watched {
 public:
  explicit Listener(RelayLoop& loop) : loop_(loop) {}
  void OnEvents(uint32_t /*events*/) override {
    for (;;) {
      SocketAddress address;
      address.length = sizeof(address.storage);
      const int fd = accept4(loop_.listen_fd_, reinterpret_cast<sockaddr*>(&address.storage),
                             &address.length, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EINTR || errno == ECONNABORTED) continue;
        return;  // EAGAIN, or out of descriptors until a caller leaves
      }
      const int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
      loop_.PlaceCaller(fd, PeerName(address));
    }
  }

 private:
  RelayLoop& loop_;
};

// Wakes the loop to take the callers handed to it, or to drain or stop.
class RelayLoop::Waker final : public Watched {
 public:
  explicit Waker(RelayLoop& loop) : loop_(loop) {}
  void OnEvents(uint32_t /*events*/) override {
    uint64_t count = 0;
    (void)read(loop_.wake_fd_, &count, sizeof(count));
    loop_.TakeAdopted();
    if (loop_.draining_.load(std::memory_order_acquire)) loop_.StopTakingCalls();
  }

 private:
  RelayLoop& loop_;
};

RelayLoop::RelayLoop(int listen_fd, Resolver& resolver, const Router& router,
                     RelaySettings settings, TlsContext* serve_tls,
                     std::vector<TlsContext*> upstream_tls)
    : epoll_fd_(epoll_create1(EPOLL_CLOEXEC)),
      wake_fd_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)),
      listen_fd_(listen_fd),
      resolver_(resolver),
      router_(router),
      settings_(settings),
      serve_tls_(serve_tls),
      upstream_tls_(std::move(upstream_tls)),
      upstreams_(resolver.size()) {
  nghttp2_option_new(&session_options_);
  // Windows are given back as the bytes are passed on, not as they arrive.
  nghttp2_option_set_no_auto_window_update(session_options_, 1);
  watchers_ = {new Listener(*this), new Waker(*this)};
  Watch(listen_fd_, watchers_[0], EPOLLIN);
  Watch(wake_fd_, watchers_[1], EPOLLIN);
}

RelayLoop::~RelayLoop() {
  {
    absl::MutexLock lock(&adopted_mutex_);
    for (const auto& [fd, peer] : adopted_) close(fd);
  }
  for (Http2Link* link : std::vector<Http2Link*>(links_.begin(), links_.end())) link->Close();
  for (Http2Link* link : retired_) delete link;
  for (Watched* watched : watchers_) delete watched;
  nghttp2_option_del(session_options_);
  if (listen_fd_ >= 0) close(listen_fd_);
  close(wake_fd_);
  close(epoll_fd_);
}

void RelayLoop::Run() {
  // The calls of a turn are logged in one write.
  log::HoldLinesOnThisThread();
  weighed_at_ = absl::Now();
  cpu_at_weighing_ = ThisThreadsCpu();
  epoll_event events[256];
  while (!stopping_.load(std::memory_order_acquire)) {
    const int ready = epoll_wait(epoll_fd_, events, 256, CloseSilentCallers());
    if (ready < 0) {
      if (errno == EINTR) continue;
      return;
    }
    for (int i = 0; i < ready; ++i) {
      static_cast<Watched*>(events[i].data.ptr)->OnEvents(events[i].events);
    }
    if (const absl::Time now = absl::Now(); now - weighed_at_ >= settings_.load_window) {
      WeighLoad(now);
    }
    FlushTouched();
    for (Http2Link* link : retired_) delete link;
    retired_.clear();
    log::FlushHeldLines();
  }
  log::FlushHeldLines();
}

int RelayLoop::CloseSilentCallers() {
  if (callers_awaited_ == 0) return -1;
  // Looked at a few times per timeout: a silent caller goes within about
  // 1.25 timeouts of connecting.
  const absl::Duration every = settings_.greeting_timeout / 4;
  const absl::Time now = absl::Now();
  if (now >= next_look_) {
    next_look_ = now + every;
    std::vector<Http2Link*> silent;
    for (Http2Link* link : links_) {
      if (!link->is_caller()) continue;
      const auto* caller = static_cast<const CallerLink*>(link);
      if (!caller->greeted() && now - caller->accepted() >= settings_.greeting_timeout) {
        silent.push_back(link);
      }
    }
    for (Http2Link* link : silent) link->Close();
    // Their sockets close now, not after the next event.
    for (Http2Link* link : retired_) delete link;
    retired_.clear();
  }
  return static_cast<int>(std::max<int64_t>(1, absl::ToInt64Milliseconds(next_look_ - now)));
}

void RelayLoop::PlaceCaller(int fd, std::string peer) {
  const absl::Time now = absl::Now();
  RelayLoop* chosen = nullptr;
  for (RelayLoop* loop : loops_sharing_port_) {
    if (loop->busy_share_now(now) < settings_.busy_share) {
      chosen = loop;
      break;
    }
  }
  if (chosen == nullptr) {
    chosen = this;
    for (RelayLoop* loop : loops_sharing_port_) {
      if (loop->callers_now() < chosen->callers_now()) chosen = loop;
    }
  }
  // Counted at once, so the next caller placed anywhere sees it.
  chosen->callers_.fetch_add(1, std::memory_order_acq_rel);
  if (chosen == this) {
    CallerLink::Accept(*this, fd, std::move(peer));
  } else {
    chosen->Adopt(fd, std::move(peer));
  }
}

double RelayLoop::busy_share_now(absl::Time now) const {
  const absl::Time as_of =
      absl::FromUnixNanos(busy_share_as_of_nanos_.load(std::memory_order_acquire));
  if (now - as_of > 2 * settings_.load_window) return 0;
  return busy_share_.load(std::memory_order_acquire);
}

void RelayLoop::WeighLoad(absl::Time now) {
  const absl::Duration cpu = ThisThreadsCpu();
  const double share = absl::FDivDuration(cpu - cpu_at_weighing_, now - weighed_at_);
  weighed_at_ = now;
  cpu_at_weighing_ = cpu;
  busy_share_.store(share, std::memory_order_release);
  busy_share_as_of_nanos_.store(absl::ToUnixNanos(now), std::memory_order_release);
  // A window after the notice, a call the caller sent before it heard it
  // has arrived: what comes later was never taken, and its client sends
  // it again on its new connection.
  for (Http2Link* link : links_) {
    if (link->is_caller()) static_cast<CallerLink*>(link)->FinishLeaving();
  }
  if (share > settings_.busy_share && !draining_.load(std::memory_order_acquire)) {
    const double quietest = QuietestOtherShare(now);
    if (quietest < settings_.busy_share / 2) MoveCallers(share, quietest, now);
  }
}

double RelayLoop::QuietestOtherShare(absl::Time now) const {
  double quietest = std::numeric_limits<double>::infinity();
  for (RelayLoop* loop : loops_sharing_port_) {
    if (loop != this) quietest = std::min(quietest, loop->busy_share_now(now));
  }
  return quietest;
}

// The callers with the most calls under way go first, as they move the
// most work; how many, CallersToMove decides.
void RelayLoop::MoveCallers(double share, double quiet_share, absl::Time now) {
  std::vector<CallerLink*> staying;
  for (Http2Link* link : links_) {
    if (!link->is_caller()) continue;
    auto* caller = static_cast<CallerLink*>(link);
    if (caller->greeted() && !caller->asked_to_leave()) staying.push_back(caller);
  }
  const size_t moving =
      CallersToMove({.movable_callers = staying.size(), .share = share, .quiet_share = quiet_share},
                    now - moved_at_, settings_.load_window);
  if (moving == 0) return;
  std::partial_sort(staying.begin(), staying.begin() + static_cast<ptrdiff_t>(moving),
                    staying.end(), [](const CallerLink* a, const CallerLink* b) {
                      return a->calls_under_way() > b->calls_under_way();
                    });
  for (size_t i = 0; i < moving; ++i) {
    staying[i]->AskToLeave();
    log::Info("gateway.relay_caller_moved",
              {{"peer", staying[i]->peer()},
               {"loop_busy_share", absl::StrCat(share)},
               {"calls_under_way", absl::StrCat(staying[i]->calls_under_way())}});
  }
  moved_at_ = now;
  // Counted at once: a reader sees the whole batch or none of it.
  callers_moved_.fetch_add(static_cast<int64_t>(moving), std::memory_order_acq_rel);
}

void RelayLoop::Adopt(int fd, std::string peer) {
  {
    absl::MutexLock lock(&adopted_mutex_);
    adopted_.emplace_back(fd, std::move(peer));
  }
  const uint64_t one = 1;
  (void)write(wake_fd_, &one, sizeof(one));
}

void RelayLoop::TakeAdopted() {
  std::vector<std::pair<int, std::string>> adopted;
  {
    absl::MutexLock lock(&adopted_mutex_);
    adopted.swap(adopted_);
  }
  for (auto& [fd, peer] : adopted) {
    // A draining loop takes no new caller; the caller connects again, to
    // another gateway.
    if (draining_.load(std::memory_order_acquire)) {
      close(fd);
      CallerLeft();
      continue;
    }
    CallerLink::Accept(*this, fd, std::move(peer));
  }
}

void RelayLoop::Drain() {
  draining_.store(true, std::memory_order_release);
  const uint64_t one = 1;
  (void)write(wake_fd_, &one, sizeof(one));
}

// Callers hear GOAWAY naming the last call taken, so they open no more
// streams here and retry elsewhere; what they already started finishes.
void RelayLoop::StopTakingCalls() {
  if (listen_fd_ >= 0) {
    Unwatch(listen_fd_);
    close(listen_fd_);
    listen_fd_ = -1;
  }
  for (Http2Link* link : links_) {
    if (!link->is_caller()) continue;
    nghttp2_submit_goaway(link->session(), NGHTTP2_FLAG_NONE,
                          nghttp2_session_get_last_proc_stream_id(link->session()),
                          NGHTTP2_NO_ERROR, nullptr, 0);
    link->Touch();
  }
  FlushTouched();
}

void RelayLoop::Stop() {
  stopping_.store(true, std::memory_order_release);
  const uint64_t one = 1;
  (void)write(wake_fd_, &one, sizeof(one));
}

// Flushing one link can give another something to send (a window given
// back, a resumed stream), so this runs until nothing is left touched.
void RelayLoop::FlushTouched() {
  std::vector<Http2Link*> batch;
  while (!touched_.empty()) {
    batch.swap(touched_);
    for (Http2Link* link : batch) link->Flush();
    batch.clear();
  }
}

UpstreamLink* RelayLoop::UpstreamFor(size_t index) {
  if (index >= upstreams_.size()) return nullptr;
  Replicas& upstream = upstreams_[index];
  if (upstream.generation != resolver_.generation()) ReadAddresses(index);
  const size_t count = upstream.replicas.size();
  for (size_t tried = 0; tried < count; ++tried) {
    Replica& replica = upstream.replicas[upstream.next];
    upstream.next = (upstream.next + 1) % count;
    if (replica.link != nullptr && replica.link->TakesCalls()) return replica.link;
    if (replica.retry_after != absl::InfinitePast() && absl::Now() < replica.retry_after) continue;
    TlsContext* tls = index < upstream_tls_.size() ? upstream_tls_[index] : nullptr;
    replica.link =
        UpstreamLink::Connect(*this, replica.address, tls,
                              tls == nullptr ? "" : resolver_.PeerName(index, replica.address));
    if (replica.link != nullptr) return replica.link;
    HoldBack(replica);
  }
  resolver_.ResolveSoon();  // no replica, or none answering: the name may have changed
  return nullptr;
}

void RelayLoop::UpstreamClosing(UpstreamLink* link, bool connected) {
  // As a gRPC channel does when a connection ends: the name may hold
  // other replicas by now.
  if (connected) resolver_.ResolveSoon();
  for (Replicas& upstream : upstreams_) {
    for (Replica& replica : upstream.replicas) {
      if (replica.link != link) continue;
      replica.link = nullptr;
      if (connected) {
        replica.backoff = absl::ZeroDuration();
        replica.retry_after = absl::InfinitePast();
      } else {
        HoldBack(replica);
      }
      return;
    }
  }
}

void RelayLoop::HoldBack(Replica& replica) {
  constexpr absl::Duration kFirst = absl::Seconds(1);
  constexpr absl::Duration kLongest = absl::Seconds(30);
  replica.backoff = std::clamp(replica.backoff * 2, kFirst, kLongest);
  replica.retry_after = absl::Now() + replica.backoff;
  resolver_.ResolveSoon();
}

void RelayLoop::ReadAddresses(size_t index) {
  Replicas& upstream = upstreams_[index];
  upstream.generation = resolver_.generation();
  std::vector<Replica> old = std::move(upstream.replicas);
  upstream.replicas.clear();
  for (const SocketAddress& address : resolver_.AddressesOf(index)) {
    auto kept = std::find_if(old.begin(), old.end(),
                             [&](const Replica& replica) { return replica.address == address; });
    if (kept != old.end()) {
      upstream.replicas.push_back(*kept);
      kept->link = nullptr;
    } else {
      upstream.replicas.push_back({.address = address});
    }
  }
  upstream.next = upstream.replicas.empty() ? 0 : upstream.next % upstream.replicas.size();
  // A replica gone from the name takes no new calls; its connection ends
  // now when idle, or when its calls are done and the replica closes it.
  for (Replica& gone : old) {
    if (gone.link != nullptr && gone.link->idle()) gone.link->Close();
  }
}

void RelayLoop::Watch(int fd, Watched* watched, uint32_t events) {
  epoll_event event{};
  event.events = events;
  event.data.ptr = watched;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event);
}

void RelayLoop::Rewatch(int fd, Watched* watched, uint32_t events) {
  epoll_event event{};
  event.events = events;
  event.data.ptr = watched;
  epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd, &event);
}

void RelayLoop::Unwatch(int fd) { epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr); }

void RelayLoop::Retire(Http2Link* link) {
  links_.erase(link);
  retired_.push_back(link);
}

}  // namespace caunoi::gateway::relay
