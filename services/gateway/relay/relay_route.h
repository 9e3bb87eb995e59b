#ifndef CAUNOI_SERVICES_GATEWAY_RELAY_RELAY_ROUTE_H_
#define CAUNOI_SERVICES_GATEWAY_RELAY_RELAY_ROUTE_H_

#include <cstddef>
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

// A call the relay answers itself, with trailers only.
struct Answer {
  int grpc_status = 0;
  std::string message;
  std::string details;  // a serialized google.rpc.Status, or empty
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
  // Called once when the call has ended on both sides, with the gRPC
  // status its caller saw (CANCELLED when the caller went away first).
  absl::AnyInvocable<void(int grpc_status)> on_end;
};

// Called on the relay's threads, for each call: must be thread-safe.
using Router = std::function<Route(absl::string_view path, Headers headers)>;

}  // namespace caunoi::gateway::relay

#endif  // CAUNOI_SERVICES_GATEWAY_RELAY_RELAY_ROUTE_H_
