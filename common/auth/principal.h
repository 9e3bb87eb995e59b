#ifndef CAUNOI_COMMON_AUTH_PRINCIPAL_H_
#define CAUNOI_COMMON_AUTH_PRINCIPAL_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/client_context.h"
#include "grpcpp/server_context.h"

// Who is calling, as the gateway authenticated them, and what they may
// write. The gateway checks every call; each service checks again the
// locality of what is written (defence in depth), trusting the principal
// only when it comes with the shared gateway secret.
namespace caunoi::auth {

enum class Role {
  kCentral,   // writes central and every locality's records
  kLocality,  // writes its own locality's records
  kUnit,      // writes only its own organization's records
  kReader,    // reads only
  kOperator,  // reads only, plus operational endpoints
};

struct Principal {
  std::string name;  // "so-ngoai-vu-ha-noi"
  // The place it answers for: a province ("01") or one of its communes
  // ("01/00004", see PlaceId); "" for central principals.
  std::string locality_id;
  Role role = Role::kReader;
  // The organization a unit principal stands for ("2" for
  // organizations/2); "" for other roles.
  std::string organization_id = "";
};

std::optional<Role> ParseRole(absl::string_view text);
absl::string_view RoleName(Role role);

// Metadata the gateway adds to forwarded calls; callers' own values for
// these keys are removed first.
inline constexpr absl::string_view kPrincipalMetadata = "caunoi-principal";
inline constexpr absl::string_view kSecretMetadata = "caunoi-gateway-secret";
// Names the caller for the audit log. The gateway sets it from the
// authenticated principal; without it the peer address is used.
inline constexpr absl::string_view kActorMetadata = "caunoi-actor";

// "name;locality;role;organization": what kPrincipalMetadata carries.
std::string EncodePrincipal(const Principal& principal);

// Whether a method only reads, by the suite's naming: Get, List, Summarize,
// Export, Watch, Parse, Check, Resolve, Compare.
bool IsReadMethod(absl::string_view method_name);

// The secret a service expects with a principal; set once at start from
// --gateway_secret. Empty: principals are refused (no gateway configured).
void SetGatewaySecret(std::string secret);

// --development_mode: calls with no principal may write (make run, tests).
void SetDevelopmentMode(bool on);

// Whether a call that names no principal may write and name its actor: in
// development mode, or when it presented a client certificate of the
// suite's CA. Other such calls are refused writes (see WriteRequestFrom).
bool TrustedWithoutPrincipal(const grpc::ServerContextBase& context);

// The principal the gateway vouched for; nullopt for a call that names
// none (another service of the suite, the demo loader). UNAUTHENTICATED
// when a principal arrives without the right secret.
absl::StatusOr<std::optional<Principal>> CallerOf(const grpc::ServerContextBase& context);

// PERMISSION_DENIED unless the caller may write a record of `locality_id`
// ("" for a central record; "01/00004" for a commune's, see PlaceId) that
// no single unit owns: unit principals may not, a province's principals
// may for its communes too. A call with no principal may write anything.
absl::Status CheckWrite(const grpc::ServerContextBase& context, absl::string_view locality_id,
                        absl::string_view what);

// As CheckWrite, for a record of unit `unit_id` ("2" for organizations/2)
// in `locality_id`: its report, proposal or activity. A unit principal
// writes only its own organization's records.
absl::Status CheckUnitWrite(const grpc::ServerContextBase& context, absl::string_view locality_id,
                            absl::string_view unit_id, absl::string_view what);
// The same for a caller already known (nullopt: a call with no principal).
absl::Status CheckUnitWrite(const std::optional<Principal>& caller, absl::string_view locality_id,
                            absl::string_view unit_id, absl::string_view what);

}  // namespace caunoi::auth

#endif  // CAUNOI_COMMON_AUTH_PRINCIPAL_H_
