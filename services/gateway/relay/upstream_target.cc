#include "services/gateway/relay/upstream_target.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace caunoi::gateway::relay {

absl::StatusOr<UpstreamTarget> ParseUpstreamTarget(absl::string_view target) {
  UpstreamTarget parsed;
  absl::string_view rest = target;
  if (absl::ConsumePrefix(&rest, "ipv4:") || absl::ConsumePrefix(&rest, "ipv6:")) {
    parsed.fixed = true;
    for (absl::string_view address : absl::StrSplit(rest, ',')) {
      absl::StatusOr<HostPort> parts = SplitHostPort(address);
      if (!parts.ok()) return parts.status();
      parsed.names.push_back(*std::move(parts));
    }
    return parsed;
  }
  if (absl::ConsumePrefix(&rest, "dns:")) {
    // "dns:///name:port" or "dns:name:port"; "dns://server/name:port"
    // asks a DNS server of its own, which the system resolver cannot.
    if (absl::ConsumePrefix(&rest, "//") && !absl::ConsumePrefix(&rest, "/")) {
      return absl::InvalidArgumentError(
          absl::StrCat("\"", target, "\" names a DNS server of its own"));
    }
  } else if (absl::StrContains(rest, ":/")) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", target, "\" is not host:port, dns:, ipv4: or ipv6:"));
  }
  if (absl::StrContains(rest, '/') || absl::StrContains(rest, ',')) {
    return absl::InvalidArgumentError(absl::StrCat("\"", target, "\" is not one host:port"));
  }
  absl::StatusOr<HostPort> parts = SplitHostPort(rest);
  if (!parts.ok()) return parts.status();
  // An IPv6 literal needs its brackets: "::1:50051" is ambiguous.
  if (absl::StrContains(parts->host, ':') && !absl::StartsWith(rest, "[")) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", target, "\": an IPv6 address is written in brackets"));
  }
  parsed.names.push_back(*std::move(parts));
  return parsed;
}

}  // namespace caunoi::gateway::relay
