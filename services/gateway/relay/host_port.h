#ifndef CAUNOI_SERVICES_GATEWAY_RELAY_HOST_PORT_H_
#define CAUNOI_SERVICES_GATEWAY_RELAY_HOST_PORT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace caunoi::gateway::relay {

struct HostPort {
  std::string host;  // without brackets
  std::string port;
};

// "127.0.0.1:50050", "[::1]:50050", "name:50050"; INVALID_ARGUMENT
// otherwise.
absl::StatusOr<HostPort> SplitHostPort(absl::string_view address);

}  // namespace caunoi::gateway::relay

#endif  // CAUNOI_SERVICES_GATEWAY_RELAY_HOST_PORT_H_
