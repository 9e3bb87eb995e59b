#ifndef CAUNOI_SERVICES_GATEWAY_RELAY_ROUTER_H_
#define CAUNOI_SERVICES_GATEWAY_RELAY_ROUTER_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "common/server/call_log.h"
#include "google/protobuf/descriptor.h"
#include "services/gateway/backend.h"
#include "services/gateway/gatekeeper.h"
#include "services/gateway/relay/relay_route.h"

namespace caunoi::gateway {

// A service whose calls the relay takes straight to it.
struct RelayedService {
  const google::protobuf::ServiceDescriptor* service;
  Backend* backend;  // its cap on calls in flight
  size_t upstream;   // its index among the relay's upstreams
};

// Decides each call the gateway's frame relay receives. A method of a
// relayed service is admitted as the gRPC forwarding admits it (token,
// role, rate, aggregates in flight, the backend's cap), goes to its
// service with the principal vouched for, and is counted, traced and
// logged as a call the gateway served; a refusal is answered at once.
// Every other call (the gateway's own API, health, reflection) goes to the
// gateway's gRPC server as it came.
class RelayRouter {
 public:
  RelayRouter(const std::vector<RelayedService>& services, size_t gateway_upstream,
              Gatekeeper& gatekeeper, std::string secret, CallLogLevel log_level);

  relay::Route operator()(absl::string_view path, absl::string_view peer,
                          relay::Headers headers) const;

 private:
  struct Method {
    std::string name;  // "GetLocality"
    Backend* backend;
    size_t upstream;
    bool streams;
  };
  static absl::flat_hash_map<std::string, Method> MethodsOf(
      const std::vector<RelayedService>& services);

  const absl::flat_hash_map<std::string, Method> methods_;  // by path
  const size_t gateway_upstream_;
  Gatekeeper& gatekeeper_;
  const std::string secret_;
  const CallLogLevel log_level_;
};

}  // namespace caunoi::gateway

#endif  // CAUNOI_SERVICES_GATEWAY_RELAY_ROUTER_H_
