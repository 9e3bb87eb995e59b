#include "common/auth/duty.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "common/auth/principal.h"
#include "common/status/errors.h"

namespace caunoi::auth {
namespace {

bool IsIssuer(const Principal& principal, const DutyIssuer& issuer) {
  switch (principal.role) {
    case Role::kCentral:
      return true;
    case Role::kLocality:
      return !issuer.locality_id.empty() && issuer.locality_id == principal.locality_id;
    case Role::kUnit:
      return !issuer.organization_id.empty() && issuer.organization_id == principal.organization_id;
    case Role::kReader:
    case Role::kOperator:
      return false;
  }
  return false;
}

bool IsNamedReviewer(const Principal& principal, const DutyIssuer& issuer) {
  if (issuer.reviewer_id.empty()) return false;
  if (principal.role == Role::kUnit) return principal.organization_id == issuer.reviewer_id;
  return principal.role == Role::kLocality && !issuer.reviewer_locality_id.empty() &&
         principal.locality_id == issuer.reviewer_locality_id;
}

absl::Status Deny(const Principal& principal, absl::string_view reason, absl::string_view what,
                  absl::string_view why) {
  return ErrorWithReason(
      absl::StatusCode::kPermissionDenied,
      absl::StrCat(principal.name, " may not ", what, ": ", why), reason,
      {{"principal", principal.name}, {"role", std::string(RoleName(principal.role))}});
}

absl::string_view IssuerWords(const DutyIssuer& issuer) {
  return issuer.locality_id.empty() ? "the centre issued the document"
                                    : "another level issued the document";
}

}  // namespace

absl::Status CheckIssuer(const grpc::ServerContextBase& context, const DutyIssuer& issuer,
                         absl::string_view what) {
  absl::StatusOr<std::optional<Principal>> caller = CallerOf(context);
  if (!caller.ok()) return caller.status();
  if (!caller->has_value() || IsIssuer(**caller, issuer)) return absl::OkStatus();
  return Deny(**caller, "ISSUER_ONLY", what,
              absl::StrCat(IssuerWords(issuer), "; only its side sets the duty's clock"));
}

absl::Status CheckReviewer(const grpc::ServerContextBase& context, const DutyIssuer& issuer,
                           absl::string_view unit_id, absl::string_view what) {
  absl::StatusOr<std::optional<Principal>> caller = CallerOf(context);
  if (!caller.ok()) return caller.status();
  if (!caller->has_value()) return absl::OkStatus();
  const Principal& principal = **caller;
  if (principal.role == Role::kUnit && principal.organization_id == unit_id) {
    return Deny(principal, "REVIEWER_ONLY", what, "a unit never reviews its own reports");
  }
  if (IsIssuer(principal, issuer) || IsNamedReviewer(principal, issuer)) return absl::OkStatus();
  return Deny(principal, "REVIEWER_ONLY", what,
              absl::StrCat(IssuerWords(issuer), "; its side or the named reviewer reviews"));
}

}  // namespace caunoi::auth
