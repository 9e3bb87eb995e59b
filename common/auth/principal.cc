#include "common/auth/principal.h"

#include <atomic>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "common/api/commune_name.h"
#include "common/status/errors.h"

namespace caunoi::auth {
namespace {

absl::Mutex secret_mutex;
std::string& GatewaySecret() {
  static std::string* secret = new std::string();
  return *secret;
}

// Compares without an early exit, so timing does not reveal the secret.
bool SameSecret(absl::string_view a, absl::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char difference = 0;
  for (size_t i = 0; i < a.size(); ++i) difference |= static_cast<unsigned char>(a[i] ^ b[i]);
  return difference == 0;
}

std::optional<absl::string_view> MetadataValue(const grpc::ServerContextBase& context,
                                               absl::string_view key) {
  const auto& metadata = context.client_metadata();
  auto found = metadata.find(grpc::string_ref(key.data(), key.size()));
  if (found == metadata.end()) return std::nullopt;
  return absl::string_view(found->second.data(), found->second.size());
}

}  // namespace

// Each role and its name, both ways.
constexpr std::pair<Role, absl::string_view> kRoleNames[] = {
    {Role::kCentral, "central"}, {Role::kLocality, "locality"}, {Role::kUnit, "unit"},
    {Role::kReader, "reader"},   {Role::kOperator, "operator"},
};

std::optional<Role> ParseRole(absl::string_view text) {
  for (const auto& [role, name] : kRoleNames) {
    if (name == text) return role;
  }
  return std::nullopt;
}

absl::string_view RoleName(Role role) {
  for (const auto& [known, name] : kRoleNames) {
    if (known == role) return name;
  }
  return "reader";
}

std::string EncodePrincipal(const Principal& principal) {
  return absl::StrCat(principal.name, ";", principal.locality_id, ";", RoleName(principal.role),
                      ";", principal.organization_id);
}

bool IsReadMethod(absl::string_view method_name) {
  for (absl::string_view prefix :
       {"Get", "List", "Summarize", "Export", "Watch", "Parse", "Check", "Compare", "Resolve"}) {
    if (absl::StartsWith(method_name, prefix)) return true;
  }
  return false;
}

namespace {
std::atomic<bool> development_mode{false};
}  // namespace

void SetDevelopmentMode(bool on) { development_mode = on; }

bool TrustedWithoutPrincipal(const grpc::ServerContextBase& context) {
  if (development_mode) return true;
  // Mutual TLS: the server verified the client's certificate against the
  // suite's CA (--tls_client_ca_file).
  std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  return auth != nullptr && auth->IsPeerAuthenticated();
}

void SetGatewaySecret(std::string secret) {
  absl::MutexLock lock(&secret_mutex);
  GatewaySecret() = std::move(secret);
}

absl::StatusOr<std::optional<Principal>> CallerOf(const grpc::ServerContextBase& context) {
  const std::optional<absl::string_view> encoded = MetadataValue(context, kPrincipalMetadata);
  if (!encoded) return std::nullopt;
  const std::optional<absl::string_view> secret = MetadataValue(context, kSecretMetadata);
  {
    absl::MutexLock lock(&secret_mutex);
    if (GatewaySecret().empty() || !secret || !SameSecret(*secret, GatewaySecret())) {
      return ErrorWithReason(absl::StatusCode::kUnauthenticated,
                             "a principal is accepted only from the gateway",
                             "PRINCIPAL_NOT_FROM_GATEWAY");
    }
  }
  const std::vector<std::string> parts = absl::StrSplit(*encoded, ';');
  std::optional<Role> role = parts.size() == 4 ? ParseRole(parts[2]) : std::nullopt;
  if (!role || (*role == Role::kUnit) == parts[3].empty()) {
    return ErrorWithReason(absl::StatusCode::kUnauthenticated, "the principal is malformed",
                           "PRINCIPAL_MALFORMED");
  }
  return Principal{parts[0], parts[1], *role, parts[3]};
}

namespace {

// One check for records of a locality, owned by unit `unit_id` or, when
// that is nullopt, by no single unit.
absl::Status CheckRecordWrite(const std::optional<Principal>& caller, absl::string_view locality_id,
                              std::optional<absl::string_view> unit_id, absl::string_view what) {
  if (!caller.has_value()) return absl::OkStatus();
  const Principal& principal = *caller;
  auto deny = [&](absl::string_view why) {
    return ErrorWithReason(absl::StatusCode::kPermissionDenied,
                           absl::StrCat(principal.name, " may not write ", what, ": ", why),
                           "WRITE_NOT_ALLOWED",
                           {{"principal", principal.name},
                            {"role", std::string(RoleName(principal.role))},
                            {"locality", std::string(locality_id)}});
  };
  switch (principal.role) {
    case Role::kCentral:
      return absl::OkStatus();
    case Role::kLocality:
      if (locality_id.empty()) return deny("only central principals write central records");
      // A province's principal writes its communes' records too; a
      // commune's only its own.
      if (locality_id != principal.locality_id &&
          !absl::StartsWith(locality_id, absl::StrCat(principal.locality_id, "/"))) {
        return deny(absl::StrCat("it belongs to ", PlaceName(locality_id), ", not ",
                                 PlaceName(principal.locality_id)));
      }
      return absl::OkStatus();
    case Role::kUnit:
      if (!unit_id) return deny("a unit principal writes only its own organization's records");
      if (*unit_id != principal.organization_id) {
        return deny(absl::StrCat("it belongs to organizations/", *unit_id, ", not organizations/",
                                 principal.organization_id));
      }
      return absl::OkStatus();
    case Role::kReader:
    case Role::kOperator:
      return deny("the role only reads");
  }
  return deny("unknown role");
}

}  // namespace

absl::Status CheckWrite(const grpc::ServerContextBase& context, absl::string_view locality_id,
                        absl::string_view what) {
  absl::StatusOr<std::optional<Principal>> caller = CallerOf(context);
  if (!caller.ok()) return caller.status();
  return CheckRecordWrite(*caller, locality_id, std::nullopt, what);
}

absl::Status CheckUnitWrite(const grpc::ServerContextBase& context, absl::string_view locality_id,
                            absl::string_view unit_id, absl::string_view what) {
  absl::StatusOr<std::optional<Principal>> caller = CallerOf(context);
  if (!caller.ok()) return caller.status();
  return CheckRecordWrite(*caller, locality_id, unit_id, what);
}

absl::Status CheckUnitWrite(const std::optional<Principal>& caller, absl::string_view locality_id,
                            absl::string_view unit_id, absl::string_view what) {
  return CheckRecordWrite(caller, locality_id, unit_id, what);
}

}  // namespace caunoi::auth
