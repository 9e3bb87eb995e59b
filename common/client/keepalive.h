#ifndef CAUNOI_COMMON_CLIENT_KEEPALIVE_H_
#define CAUNOI_COMMON_CLIENT_KEEPALIVE_H_

#include "absl/time/time.h"

// The keepalive contract between our clients and servers, in one place:
// a client pinging more often than the server permits gets GOAWAY
// "too_many_pings", so the client interval must not be shorter.
namespace caunoi::keepalive {

inline constexpr absl::Duration kServerMinClientPingInterval = absl::Seconds(10);
inline constexpr absl::Duration kServerPingInterval = absl::Seconds(60);
inline constexpr absl::Duration kClientPingInterval = absl::Seconds(20);
inline constexpr absl::Duration kPingTimeout = absl::Seconds(10);

static_assert(kClientPingInterval >= kServerMinClientPingInterval,
              "clients would be disconnected for pinging too often");

}  // namespace caunoi::keepalive

#endif  // CAUNOI_COMMON_CLIENT_KEEPALIVE_H_
