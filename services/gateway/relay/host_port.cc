#include "services/gateway/relay/host_port.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace caunoi::gateway::relay {

absl::StatusOr<HostPort> SplitHostPort(absl::string_view address) {
  const size_t colon = address.rfind(':');
  if (colon == absl::string_view::npos || colon + 1 == address.size()) {
    return absl::InvalidArgumentError(absl::StrCat("\"", address, "\" is not host:port"));
  }
  absl::string_view host = address.substr(0, colon);
  const absl::string_view port = address.substr(colon + 1);
  for (const char c : port) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      return absl::InvalidArgumentError(absl::StrCat("\"", address, "\" has no numeric port"));
    }
  }
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("\"", address, "\" names no host"));
  }
  return HostPort{std::string(host), std::string(port)};
}

}  // namespace caunoi::gateway::relay
