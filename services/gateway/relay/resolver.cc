#include "services/gateway/relay/resolver.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>

#include <algorithm>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "common/logging/log.h"

namespace caunoi::gateway::relay {
namespace {

// However often loops ask, DNS is asked at most this often.
constexpr absl::Duration kSoonest = absl::Seconds(1);

// Every address `name` resolves to; false when it does not resolve.
bool ResolveName(const HostPort& name, bool numeric, std::vector<SocketAddress>& found) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV | (numeric ? AI_NUMERICHOST : 0);
  addrinfo* list = nullptr;
  if (const int failed = getaddrinfo(name.host.c_str(), name.port.c_str(), &hints, &list);
      failed != 0) {
    log::Warning("gateway.relay_resolve_failed", {{"name", absl::StrCat(name.host, ":", name.port)},
                                                  {"error", gai_strerror(failed)}});
    return false;
  }
  for (const addrinfo* entry = list; entry != nullptr; entry = entry->ai_next) {
    if (entry->ai_addrlen > sizeof(sockaddr_storage)) continue;
    SocketAddress address;
    std::memcpy(&address.storage, entry->ai_addr, entry->ai_addrlen);
    address.length = entry->ai_addrlen;
    found.push_back(address);
  }
  freeaddrinfo(list);
  return true;
}

}  // namespace

std::string SocketAddress::host() const {
  char text[INET6_ADDRSTRLEN] = {};
  if (is_ipv6()) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&storage)->sin6_addr, text,
              sizeof(text));
  } else {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&storage)->sin_addr, text,
              sizeof(text));
  }
  return text;
}

uint16_t SocketAddress::port() const {
  return ntohs(is_ipv6() ? reinterpret_cast<const sockaddr_in6*>(&storage)->sin6_port
                         : reinterpret_cast<const sockaddr_in*>(&storage)->sin_port);
}

bool operator==(const SocketAddress& a, const SocketAddress& b) {
  return a.length == b.length && std::memcmp(&a.storage, &b.storage, a.length) == 0;
}

bool operator<(const SocketAddress& a, const SocketAddress& b) {
  if (a.length != b.length) return a.length < b.length;
  return std::memcmp(&a.storage, &b.storage, a.length) < 0;
}

Resolver::Resolver(std::vector<UpstreamTarget> targets, absl::Duration interval)
    : targets_(std::move(targets)), interval_(interval) {
  {
    absl::MutexLock lock(&mutex_);
    addresses_.resize(targets_.size());
  }
  ResolveAll(/*first=*/true);
  thread_ = std::thread([this] { Run(); });
}

Resolver::~Resolver() {
  {
    absl::MutexLock lock(&mutex_);
    stopping_ = true;
  }
  thread_.join();
}

std::vector<SocketAddress> Resolver::AddressesOf(size_t index) const {
  absl::MutexLock lock(&mutex_);
  return index < addresses_.size() ? addresses_[index] : std::vector<SocketAddress>{};
}

std::string Resolver::PeerName(size_t index, const SocketAddress& address) const {
  const UpstreamTarget& target = targets_[index];
  return target.fixed ? address.host() : target.names.front().host;
}

void Resolver::ResolveSoon() {
  absl::MutexLock lock(&mutex_);
  soon_ = true;
}

void Resolver::Run() {
  mutex_.Lock();
  while (!stopping_) {
    const absl::Time looked = absl::Now();
    auto asked = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) { return stopping_ || soon_; };
    mutex_.AwaitWithDeadline(absl::Condition(&asked), looked + interval_);
    auto stopping = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) { return stopping_; };
    mutex_.AwaitWithDeadline(absl::Condition(&stopping), looked + kSoonest);
    if (stopping_) break;
    soon_ = false;
    mutex_.Unlock();
    ResolveAll(/*first=*/false);
    mutex_.Lock();
  }
  mutex_.Unlock();
}

void Resolver::ResolveAll(bool first) {
  bool changed = false;
  for (size_t i = 0; i < targets_.size(); ++i) {
    const UpstreamTarget& target = targets_[i];
    if (target.fixed && !first) continue;
    std::vector<SocketAddress> found;
    bool resolved = true;
    for (const HostPort& name : target.names) resolved &= ResolveName(name, target.fixed, found);
    // A failed lookup (a name with no ready replica just now, say) keeps
    // what the last one found.
    if (!resolved && found.empty()) continue;
    std::sort(found.begin(), found.end());
    found.erase(std::unique(found.begin(), found.end()), found.end());
    absl::MutexLock lock(&mutex_);
    if (addresses_[i] != found) {
      addresses_[i] = std::move(found);
      changed = true;
    }
  }
  if (changed) generation_.fetch_add(1, std::memory_order_acq_rel);
}

}  // namespace caunoi::gateway::relay
