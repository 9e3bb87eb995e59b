#ifndef CAUNOI_COMMON_CLIENT_KEEPALIVE_H_
#define CAUNOI_COMMON_CLIENT_KEEPALIVE_H_

#include "absl/time/time.h"
#include "grpcpp/server_builder.h"

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

// The server's half: its own pings, and our clients' pings permitted, even
// between calls.
inline void ApplyToServer(grpc::ServerBuilder& builder) {
  auto millis = [](absl::Duration duration) {
    return static_cast<int>(absl::ToInt64Milliseconds(duration));
  };
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, millis(kServerPingInterval));
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, millis(kPingTimeout));
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS,
                             millis(kServerMinClientPingInterval));
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PING_STRIKES, 2);
}

}  // namespace caunoi::keepalive

#endif  // CAUNOI_COMMON_CLIENT_KEEPALIVE_H_
