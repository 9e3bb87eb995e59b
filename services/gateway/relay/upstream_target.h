#ifndef CAUNOI_SERVICES_GATEWAY_RELAY_UPSTREAM_TARGET_H_
#define CAUNOI_SERVICES_GATEWAY_RELAY_UPSTREAM_TARGET_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/gateway/relay/host_port.h"

namespace caunoi::gateway::relay {

// Where an upstream's replicas are, written as a gRPC channel's target:
//   "name:50051", "dns:///name:50051", "dns:name:50051"  every address the
//       name resolves to, looked up again from time to time;
//   "ipv4:10.0.0.1:50051,10.0.0.2:50051", "ipv6:[::1]:50051"  those
//       addresses, fixed.
// As the gateway's gRPC channels do (round_robin), calls are spread over
// every address that answers.
struct UpstreamTarget {
  std::vector<HostPort> names;  // each resolved; numeric for ipv4: and ipv6:
  bool fixed = false;           // numeric addresses: never looked up again
};

// INVALID_ARGUMENT for what the relay cannot reach: other schemes ("unix:",
// "dns://server/..." naming a DNS server of its own), or no host:port.
absl::StatusOr<UpstreamTarget> ParseUpstreamTarget(absl::string_view target);

}  // namespace caunoi::gateway::relay

#endif  // CAUNOI_SERVICES_GATEWAY_RELAY_UPSTREAM_TARGET_H_
