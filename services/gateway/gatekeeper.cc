#include "services/gateway/gatekeeper.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "common/status/errors.h"

namespace caunoi::gateway {
namespace {

// Registry-wide records no locality owns (countries, people and their
// posts, partners abroad): written by central principals only. Every other
// write is checked by the service owning the record against its locality.
constexpr absl::string_view kCentralRecords[] = {
    "Country", "Person", "Position", "LeadershipCandidate", "Partner", "Partnership",
};

bool CentralOnly(absl::string_view method_name) {
  for (absl::string_view record : kCentralRecords) {
    if (absl::EndsWith(method_name, record)) return true;
  }
  return false;
}

}  // namespace

absl::StatusOr<auth::Principal> Gatekeeper::Admit(const grpc::ServerContextBase& context,
                                                  absl::string_view method_name) {
  const auto& metadata = context.client_metadata();
  auto header = metadata.find("authorization");
  if (header == metadata.end()) {
    return ErrorWithReason(absl::StatusCode::kUnauthenticated,
                           "send `authorization: Bearer <token>`", "TOKEN_MISSING");
  }
  absl::string_view value(header->second.data(), header->second.size());
  if (!absl::ConsumePrefix(&value, "Bearer ") || value.empty()) {
    return ErrorWithReason(absl::StatusCode::kUnauthenticated,
                           "the authorization header must be `Bearer <token>`", "TOKEN_MALFORMED");
  }
  std::optional<auth::Principal> principal = tokens_.Find(value);
  if (!principal) {
    return ErrorWithReason(absl::StatusCode::kUnauthenticated, "the token is not recognized",
                           "TOKEN_UNKNOWN");
  }
  const bool reads_only =
      principal->role == auth::Role::kReader || principal->role == auth::Role::kOperator;
  if (reads_only && !auth::IsReadMethod(method_name)) {
    return ErrorWithReason(
        absl::StatusCode::kPermissionDenied,
        absl::StrCat(principal->name, " has the ", auth::RoleName(principal->role),
                     " role, which only reads; ", method_name, " writes"),
        "ROLE_READS_ONLY", {{"principal", principal->name}, {"method", std::string(method_name)}});
  }
  const bool below_central =
      principal->role == auth::Role::kLocality || principal->role == auth::Role::kUnit;
  if (below_central && !auth::IsReadMethod(method_name) && CentralOnly(method_name)) {
    return ErrorWithReason(absl::StatusCode::kPermissionDenied,
                           absl::StrCat(method_name,
                                        " writes a record no locality owns; only central principals"
                                        " may call it"),
                           "CENTRAL_ONLY",
                           {{"principal", principal->name}, {"method", std::string(method_name)}});
  }
  const absl::Duration wait = limiter_.Take(principal->name, absl::Now());
  if (wait > absl::ZeroDuration()) {
    absl::Status status =
        ErrorWithReason(absl::StatusCode::kResourceExhausted,
                        absl::StrCat(principal->name, " is over its call rate; retry in ",
                                     absl::FormatDuration(wait)),
                        "RATE_LIMITED", {{"principal", principal->name}});
    SetRetryDelay(status, wait);
    return status;
  }
  return *std::move(principal);
}

}  // namespace caunoi::gateway
