#include "services/organizations/organizations_service.h"

#include "absl/strings/match.h"
#include "common/api/deadline.h"
#include "common/api/field_mask.h"
#include "common/api/resource_name.h"
#include "common/auth/principal.h"
#include "common/resource/owner_check.h"
#include "common/resource/reply.h"
#include "common/status/grpc_status.h"
#include "services/organizations/locality_requests.h"
#include "services/organizations/resources/resource_helpers.h"
#include "services/organizations/resources/resources.h"

namespace caunoi::organizations {

template <typename M>
resource::HandlerRules<M> OrganizationsService::OrganizationOwned() {
  return {.owner = [this](const grpc::ServerContext& context, absl::string_view name) {
    return CheckOrganizationWrite(context, name);
  }};
}

OrganizationsService::OrganizationsService(OrganizationsStore& store, changes::ChangeWatch& changes)
    : store_(store),
      changes_(changes),
      communes_(store.resources(), kCommuneSpec, kCommuneList),
      countries_(store.resources(), kCountrySpec, kCountryList),
      organizations_(
          store.resources(), kOrganizationSpec, kOrganizationList,
          {.owner = OrganizationOwned<v1::Organization>().owner,
           // Placing it in a locality or commune, or moving it to another,
           // needs the right to write there.
           .place =
               [this](const grpc::ServerContext& context, const v1::Organization& organization,
                      const google::protobuf::FieldMask* mask) {
                 auto moves = [&](absl::string_view field, const std::string& value) {
                   return mask == nullptr || (api::MaskCovers(*mask, field) &&
                                              (mask->paths_size() > 0 || !value.empty()));
                 };
                 const bool locality_moves = moves("locality", organization.locality());
                 const bool commune_moves = moves("commune", organization.commune());
                 if (!organization.commune().empty() && commune_moves) {
                   return CheckCommuneWrite(context, organization.commune());
                 }
                 if (locality_moves) return CheckLocalityWrite(context, organization.locality());
                 if (!commune_moves) return absl::OkStatus();
                 // Out of its commune, into the province as a whole.
                 return resource::CheckOwnerWrite<v1::Organization>(
                     context, store_.resources(), kOrganizationSpec.table, organization.name(),
                     [&](const v1::Organization& stored) {
                       return CheckLocalityWrite(context, stored.locality());
                     });
               }}),
      member_counts_(store.resources(), kMemberCountSpec, kMemberCountList,
                     OrganizationOwned<v1::MemberCount>()),
      terms_(store.resources(), kTermSpec, kTermList, OrganizationOwned<v1::Term>()),
      people_(store.resources(), kPersonSpec, kPersonList),
      positions_(store.resources(), kPositionSpec, kPositionList),
      candidates_(store.resources(), kCandidateSpec, kCandidateList),
      partners_(store.resources(), kPartnerSpec, kPartnerList),
      partnerships_(store.resources(), kPartnershipSpec, kPartnershipList) {}

absl::Status OrganizationsService::CheckLocalityWrite(const grpc::ServerContext& context,
                                                      absl::string_view locality) {
  if (locality.empty()) return auth::CheckWrite(context, "", "a central organization");
  // A malformed locality is left to validation, which names the field.
  absl::StatusOr<std::string> id = ParseLocalityName(locality, "organization.locality");
  if (!id.ok()) return absl::OkStatus();
  std::string current = *id;
  if (absl::StartsWith(current, "pre2025-")) {
    absl::StatusOr<v1::Locality> unit = store_.GetLocality(current, api::RequestDeadline(context));
    if (!unit.ok()) return absl::OkStatus();
    current = std::string(api::ResourceId(unit->successor()));
  }
  return auth::CheckWrite(context, current, "an organization there");
}

absl::Status OrganizationsService::CheckCommuneWrite(const grpc::ServerContext& context,
                                                     absl::string_view commune) {
  // A malformed name is left to validation, which names the field.
  absl::StatusOr<CommuneRef> parsed = ParseCommuneName(commune, "organization.commune");
  if (!parsed.ok()) return absl::OkStatus();
  return auth::CheckWrite(context, PlaceId(parsed->province_id, parsed->code),
                          "an organization there");
}

absl::Status OrganizationsService::CheckOrganizationWrite(const grpc::ServerContext& context,
                                                          absl::string_view name) {
  return resource::CheckOwnerWrite<v1::Organization>(
      context, store_.resources(), kOrganizationSpec.table, name,
      [&](const v1::Organization& organization) {
        if (!organization.commune().empty()) {
          return CheckCommuneWrite(context, organization.commune());
        }
        return CheckLocalityWrite(context, organization.locality());
      });
}

grpc::Status OrganizationsService::ListAuditRecords(grpc::ServerContext* context,
                                                    const v1::ListAuditRecordsRequest* request,
                                                    v1::ListAuditRecordsResponse* response) {
  return resource::ReplyList(
      resource::ListAuditRecords(store_.resources(), *context, "ListAuditRecords", *request,
                                 response->mutable_next_page_token()),
      response->mutable_audit_records());
}

}  // namespace caunoi::organizations
