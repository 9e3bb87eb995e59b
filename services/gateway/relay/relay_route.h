#ifndef CAUNOI_SERVICES_GATEWAY_RELAY_RELAY_ROUTE_H_
#define CAUNOI_SERVICES_GATEWAY_RELAY_RELAY_ROUTE_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/strings/string_view.h"

namespace caunoi::gateway::relay {

struct Header {
  std::string name;  // lower case, as HTTP/2 carries it
  std::string value;
};
using Headers = std::vector<Header>;

// The gRPC codes the relay itself answers with.
inline constexpr int kGrpcCancelled = 1;
inline constexpr int kGrpcUnknown = 2;
inline constexpr int kGrpcUnavailable = 14;

// A call the relay answers itself, with trailers only.
struct Answer {
  int grpc_status = 0;
  std::string message;
  std::string details;  // a serialized google.rpc.Status, or empty
};

// How a call ended: the gRPC status its caller saw (CANCELLED when the
// caller went away first), and the message bytes it carried each way.
struct CallEnd {
  int grpc_status = kGrpcUnknown;
  uint64_t request_bytes = 0;   // as the caller sent them
  uint64_t response_bytes = 0;  // as the upstream answered them
};

// What becomes of a call, decided from its request headers before any of
// it is relayed.
struct Route {
  // Set: the call is answered with it and nothing is relayed.
  std::optional<Answer> answer;
  // Otherwise the upstream it goes to (an index into the relay's
  // upstreams) and the headers sent there; the relay adds the
  // pseudo-headers.
  size_t upstream = 0;
  Headers headers;
  // Whether the call may go to another replica when the one it went to
  // ends it before any answer (its connection lost, its stream reset, or
  // UNAVAILABLE with no answer): a read, as the gateway's gRPC channels
  // retry reads.
  bool resendable = false;
  // Set: the call waits for its request's first bytes before it is
  // relayed, and is answered with what this makes if it ends without any.
  absl::AnyInvocable<Answer()> answer_if_no_request;
  // Called once when the call has ended on both sides.
  absl::AnyInvocable<void(const CallEnd& end)> on_end;
};

// Called on the relay's threads, for each call, with the request's path,
// the caller's address ("ipv4:127.0.0.1:40512") and its headers: must be
// thread-safe.
using Router =
    std::function<Route(absl::string_view path, absl::string_view peer, Headers headers)>;

}  // namespace caunoi::gateway::relay

#endif  // CAUNOI_SERVICES_GATEWAY_RELAY_RELAY_ROUTE_H_
