#include "tests/support/issuers.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/status/grpc_status.h"
#include "grpcpp/client_context.h"
#include "services/directives/symbol.h"

namespace caunoi::testing {

absl::StatusOr<std::string> CreateIssuer(v1::OrganizationService::Stub& stub,
                                         absl::string_view symbol, absl::string_view locality,
                                         absl::string_view bearer) {
  absl::StatusOr<directives::DocumentSymbol> parsed = directives::ParseSymbol(symbol);
  if (!parsed.ok()) return parsed.status();
  const std::string& code = parsed->issuer_code;
  v1::CreateOrganizationRequest request;
  v1::Organization* issuer = request.mutable_organization();
  issuer->set_locality(std::string(locality));
  issuer->set_level(locality.empty() ? v1::ORGANIZATION_LEVEL_CENTRAL
                                     : v1::ORGANIZATION_LEVEL_PROVINCIAL);
  if (absl::EndsWith(code, "TW") || code == "TU") {
    issuer->set_kind(v1::ORGANIZATION_KIND_PARTY_COMMITTEE);
  } else if (absl::StartsWith(code, "UBND")) {
    issuer->set_kind(v1::ORGANIZATION_KIND_PEOPLES_COMMITTEE);
  } else {
    issuer->set_kind(v1::ORGANIZATION_KIND_DEPARTMENT);
  }
  issuer->set_display_name(
      absl::StrCat("Cơ quan ban hành ", code, " ", locality.empty() ? "Trung ương" : locality));
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  if (!bearer.empty()) context.AddMetadata("authorization", absl::StrCat("Bearer ", bearer));
  v1::Organization created;
  const grpc::Status status = stub.CreateOrganization(&context, request, &created);
  if (!status.ok()) return FromGrpcStatus(status);
  return created.name();
}

}  // namespace caunoi::testing
