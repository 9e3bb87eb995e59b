#include "services/organizations/organizations_service.h"

#include "absl/strings/match.h"
#include "common/api/dates.h"
#include "common/api/deadline.h"
#include "common/api/field_mask.h"
#include "common/api/page_token.h"
#include "common/api/resource_name.h"
#include "common/auth/principal.h"
#include "common/resource/owner_check.h"
#include "common/resource/reply.h"
#include "common/status/grpc_status.h"
#include "common/status/quoted.h"
#include "common/status/status_macros.h"
#include "services/organizations/locality_requests.h"
#include "services/organizations/resources/resource_helpers.h"
#include "services/organizations/resources/resources.h"

namespace caunoi::organizations {
namespace {

using resource::Reply;
using resource::ReplyList;

}  // namespace

auto OrganizationsService::HierarchyCheck() {
  return [this](pg::Connection& connection, const v1::Organization& organization) {
    return store_.CheckHierarchy(connection, organization);
  };
}

template <typename M>
auto OrganizationsService::TermCheck(absl::string_view field) {
  return [this, field](pg::Connection& connection, const M& resource) {
    return store_.CheckTerm(connection, resource.term(), field);
  };
}

grpc::Status OrganizationsService::GetLocality(grpc::ServerContext* context,
                                               const v1::GetLocalityRequest* request,
                                               v1::Locality* response) {
  absl::Status status = [&]() -> absl::Status {
    CAUNOI_ASSIGN_OR_RETURN(std::string id, ParseLocalityName(request->name(), "name"));
    CAUNOI_ASSIGN_OR_RETURN(*response, store_.GetLocality(id, api::RequestDeadline(*context)));
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status OrganizationsService::ListLocalities(grpc::ServerContext* context,
                                                  const v1::ListLocalitiesRequest* request,
                                                  v1::ListLocalitiesResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    CAUNOI_ASSIGN_OR_RETURN(LocalityQuery query, ParseListLocalitiesRequest(*request));
    CAUNOI_ASSIGN_OR_RETURN(std::vector<v1::Locality> rows,
                            store_.ListLocalities(query, api::RequestDeadline(*context)));
    const bool more = static_cast<int>(rows.size()) > query.page_size;
    if (more) rows.resize(query.page_size);
    for (v1::Locality& locality : rows) *response->add_localities() = std::move(locality);
    if (more) {
      response->set_next_page_token(
          NextLocalitiesPageToken(*request, response->localities(response->localities_size() - 1)));
    }
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status OrganizationsService::ResolveLocalityCode(
    grpc::ServerContext* context, const v1::ResolveLocalityCodeRequest* request,
    v1::ResolveLocalityCodeResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    CAUNOI_RETURN_IF_ERROR(ValidateLocalityCode(request->code(), "code"));
    CAUNOI_ASSIGN_OR_RETURN(absl::CivilDay as_of, ParseResolveDate(*request));
    CAUNOI_ASSIGN_OR_RETURN(
        LocalityResolution resolution,
        store_.ResolveLocalityCode(request->code(), as_of, api::RequestDeadline(*context)));
    *response->mutable_locality() = std::move(resolution.locality);
    *response->mutable_current() = std::move(resolution.current);
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

}  // namespace caunoi::organizations

namespace caunoi::organizations {

grpc::Status OrganizationsService::GetCountry(grpc::ServerContext* context,
                                              const v1::GetCountryRequest* request,
                                              v1::Country* response) {
  return Reply(resource::GetResource(store_.resources(), kCountrySpec, *context, request->name()),
               response);
}

grpc::Status OrganizationsService::ListCountries(grpc::ServerContext* context,
                                                 const v1::ListCountriesRequest* request,
                                                 v1::ListCountriesResponse* response) {
  return ReplyList(resource::ListResources(
                       store_.resources(), kCountryList, CountryFromRow, *context, "ListCountries",
                       {request->filter(), request->page_size(), request->page_token(), {}},
                       response->mutable_next_page_token()),
                   response->mutable_countries());
}

grpc::Status OrganizationsService::CreateCountry(grpc::ServerContext* context,
                                                 const v1::CreateCountryRequest* request,
                                                 v1::Country* response) {
  return Reply(resource::CreateResource(store_.resources(), kCountrySpec, *context, "CreateCountry",
                                        *request, {}, request->country(), request->request_id()),
               response);
}

grpc::Status OrganizationsService::UpdateCountry(grpc::ServerContext* context,
                                                 const v1::UpdateCountryRequest* request,
                                                 v1::Country* response) {
  return Reply(resource::UpdateResource(store_.resources(), kCountrySpec, *context, "UpdateCountry",
                                        *request, request->country(), request->update_mask(),
                                        request->reason()),
               response);
}

grpc::Status OrganizationsService::DeleteCountry(grpc::ServerContext* context,
                                                 const v1::DeleteCountryRequest* request,
                                                 google::protobuf::Empty*) {
  return ToGrpcStatus(resource::DeleteResource(store_.resources(), kCountrySpec, *context,
                                               "DeleteCountry", *request, request->name(),
                                               request->etag(), request->reason()));
}

grpc::Status OrganizationsService::ListOrganizations(grpc::ServerContext* context,
                                                     const v1::ListOrganizationsRequest* request,
                                                     v1::ListOrganizationsResponse* response) {
  return ReplyList(
      resource::ListResources(store_.resources(), kOrganizationList, OrganizationFromRow, *context,
                              "ListOrganizations",
                              {request->filter(), request->page_size(), request->page_token(), {}},
                              response->mutable_next_page_token()),
      response->mutable_organizations());
}

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

absl::Status OrganizationsService::CheckOrganizationWrite(const grpc::ServerContext& context,
                                                          absl::string_view name) {
  return resource::CheckOwnerWrite<v1::Organization>(
      context, store_.resources(), kOrganizationSpec.table, name,
      [&](const v1::Organization& organization) {
        return CheckLocalityWrite(context, organization.locality());
      });
}

grpc::Status OrganizationsService::CreateOrganization(grpc::ServerContext* context,
                                                      const v1::CreateOrganizationRequest* request,
                                                      v1::Organization* response) {
  if (absl::Status allowed = CheckLocalityWrite(*context, request->organization().locality());
      !allowed.ok()) {
    return ToGrpcStatus(allowed);
  }
  return Reply(resource::CreateResource(store_.resources(), kOrganizationSpec, *context,
                                        "CreateOrganization", *request, {}, request->organization(),
                                        request->request_id(), HierarchyCheck()),
               response);
}

grpc::Status OrganizationsService::UpdateOrganization(grpc::ServerContext* context,
                                                      const v1::UpdateOrganizationRequest* request,
                                                      v1::Organization* response) {
  absl::Status allowed = CheckOrganizationWrite(*context, request->organization().name());
  // Moving it to another locality needs the right to write there too.
  if (allowed.ok() && api::MaskCovers(request->update_mask(), "locality") &&
      (request->update_mask().paths_size() > 0 || !request->organization().locality().empty())) {
    allowed = CheckLocalityWrite(*context, request->organization().locality());
  }
  if (!allowed.ok()) return ToGrpcStatus(allowed);
  return Reply(
      resource::UpdateResource(store_.resources(), kOrganizationSpec, *context,
                               "UpdateOrganization", *request, request->organization(),
                               request->update_mask(), request->reason(), HierarchyCheck()),
      response);
}

grpc::Status OrganizationsService::DeleteOrganization(grpc::ServerContext* context,
                                                      const v1::DeleteOrganizationRequest* request,
                                                      google::protobuf::Empty*) {
  if (absl::Status allowed = CheckOrganizationWrite(*context, request->name()); !allowed.ok()) {
    return ToGrpcStatus(allowed);
  }
  return ToGrpcStatus(resource::DeleteResource(store_.resources(), kOrganizationSpec, *context,
                                               "DeleteOrganization", *request, request->name(),
                                               request->etag(), request->reason()));
}

grpc::Status OrganizationsService::GetMemberCount(grpc::ServerContext* context,
                                                  const v1::GetMemberCountRequest* request,
                                                  v1::MemberCount* response) {
  return Reply(
      resource::GetResource(store_.resources(), kMemberCountSpec, *context, request->name()),
      response);
}

grpc::Status OrganizationsService::ListMemberCounts(grpc::ServerContext* context,
                                                    const v1::ListMemberCountsRequest* request,
                                                    v1::ListMemberCountsResponse* response) {
  absl::StatusOr<std::vector<std::string>> parent =
      api::ParseResourceName(request->parent(), kOrganizationPattern, "parent");
  if (!parent.ok()) return ToGrpcStatus(parent.status());
  return ReplyList(
      resource::ListResources(store_.resources(), kMemberCountList, MemberCountFromRow, *context,
                              "ListMemberCounts",
                              {"", request->page_size(), request->page_token(), *parent},
                              response->mutable_next_page_token()),
      response->mutable_member_counts());
}

grpc::Status OrganizationsService::CreateMemberCount(grpc::ServerContext* context,
                                                     const v1::CreateMemberCountRequest* request,
                                                     v1::MemberCount* response) {
  if (absl::Status allowed = CheckOrganizationWrite(*context, request->parent()); !allowed.ok()) {
    return ToGrpcStatus(allowed);
  }
  absl::StatusOr<std::vector<std::string>> parent =
      api::ParseResourceName(request->parent(), kOrganizationPattern, "parent");
  if (!parent.ok()) return ToGrpcStatus(parent.status());
  return Reply(
      resource::CreateResource(store_.resources(), kMemberCountSpec, *context, "CreateMemberCount",
                               *request, *parent, request->member_count(), request->request_id()),
      response);
}

grpc::Status OrganizationsService::UpdateMemberCount(grpc::ServerContext* context,
                                                     const v1::UpdateMemberCountRequest* request,
                                                     v1::MemberCount* response) {
  if (absl::Status allowed = CheckOrganizationWrite(*context, request->member_count().name());
      !allowed.ok()) {
    return ToGrpcStatus(allowed);
  }
  return Reply(resource::UpdateResource(store_.resources(), kMemberCountSpec, *context,
                                        "UpdateMemberCount", *request, request->member_count(),
                                        request->update_mask(), request->reason()),
               response);
}

grpc::Status OrganizationsService::DeleteMemberCount(grpc::ServerContext* context,
                                                     const v1::DeleteMemberCountRequest* request,
                                                     google::protobuf::Empty*) {
  if (absl::Status allowed = CheckOrganizationWrite(*context, request->name()); !allowed.ok()) {
    return ToGrpcStatus(allowed);
  }
  return ToGrpcStatus(resource::DeleteResource(store_.resources(), kMemberCountSpec, *context,
                                               "DeleteMemberCount", *request, request->name(),
                                               request->etag(), request->reason()));
}

grpc::Status OrganizationsService::GetTerm(grpc::ServerContext* context,
                                           const v1::GetTermRequest* request, v1::Term* response) {
  return Reply(resource::GetResource(store_.resources(), kTermSpec, *context, request->name()),
               response);
}

grpc::Status OrganizationsService::ListTerms(grpc::ServerContext* context,
                                             const v1::ListTermsRequest* request,
                                             v1::ListTermsResponse* response) {
  absl::StatusOr<std::vector<std::string>> parent =
      api::ParseResourceName(request->parent(), kOrganizationPattern, "parent");
  if (!parent.ok()) return ToGrpcStatus(parent.status());
  return ReplyList(
      resource::ListResources(store_.resources(), kTermList, TermFromRow, *context, "ListTerms",
                              {"", request->page_size(), request->page_token(), *parent},
                              response->mutable_next_page_token()),
      response->mutable_terms());
}

grpc::Status OrganizationsService::CreateTerm(grpc::ServerContext* context,
                                              const v1::CreateTermRequest* request,
                                              v1::Term* response) {
  if (absl::Status allowed = CheckOrganizationWrite(*context, request->parent()); !allowed.ok()) {
    return ToGrpcStatus(allowed);
  }
  absl::StatusOr<std::vector<std::string>> parent =
      api::ParseResourceName(request->parent(), kOrganizationPattern, "parent");
  if (!parent.ok()) return ToGrpcStatus(parent.status());
  return Reply(resource::CreateResource(store_.resources(), kTermSpec, *context, "CreateTerm",
                                        *request, *parent, request->term(), request->request_id()),
               response);
}

grpc::Status OrganizationsService::UpdateTerm(grpc::ServerContext* context,
                                              const v1::UpdateTermRequest* request,
                                              v1::Term* response) {
  if (absl::Status allowed = CheckOrganizationWrite(*context, request->term().name());
      !allowed.ok()) {
    return ToGrpcStatus(allowed);
  }
  return Reply(
      resource::UpdateResource(store_.resources(), kTermSpec, *context, "UpdateTerm", *request,
                               request->term(), request->update_mask(), request->reason()),
      response);
}

grpc::Status OrganizationsService::DeleteTerm(grpc::ServerContext* context,
                                              const v1::DeleteTermRequest* request,
                                              google::protobuf::Empty*) {
  if (absl::Status allowed = CheckOrganizationWrite(*context, request->name()); !allowed.ok()) {
    return ToGrpcStatus(allowed);
  }
  return ToGrpcStatus(resource::DeleteResource(store_.resources(), kTermSpec, *context,
                                               "DeleteTerm", *request, request->name(),
                                               request->etag(), request->reason()));
}

grpc::Status OrganizationsService::GetPerson(grpc::ServerContext* context,
                                             const v1::GetPersonRequest* request,
                                             v1::Person* response) {
  return Reply(resource::GetResource(store_.resources(), kPersonSpec, *context, request->name()),
               response);
}

grpc::Status OrganizationsService::ListPeople(grpc::ServerContext* context,
                                              const v1::ListPeopleRequest* request,
                                              v1::ListPeopleResponse* response) {
  return ReplyList(resource::ListResources(
                       store_.resources(), kPersonList, PersonFromRow, *context, "ListPeople",
                       {request->filter(), request->page_size(), request->page_token(), {}},
                       response->mutable_next_page_token()),
                   response->mutable_people());
}

grpc::Status OrganizationsService::CreatePerson(grpc::ServerContext* context,
                                                const v1::CreatePersonRequest* request,
                                                v1::Person* response) {
  return Reply(resource::CreateResource(store_.resources(), kPersonSpec, *context, "CreatePerson",
                                        *request, {}, request->person(), request->request_id()),
               response);
}

grpc::Status OrganizationsService::UpdatePerson(grpc::ServerContext* context,
                                                const v1::UpdatePersonRequest* request,
                                                v1::Person* response) {
  return Reply(
      resource::UpdateResource(store_.resources(), kPersonSpec, *context, "UpdatePerson", *request,
                               request->person(), request->update_mask(), request->reason()),
      response);
}

grpc::Status OrganizationsService::DeletePerson(grpc::ServerContext* context,
                                                const v1::DeletePersonRequest* request,
                                                google::protobuf::Empty*) {
  return ToGrpcStatus(resource::DeleteResource(store_.resources(), kPersonSpec, *context,
                                               "DeletePerson", *request, request->name(),
                                               request->etag(), request->reason()));
}

grpc::Status OrganizationsService::GetPosition(grpc::ServerContext* context,
                                               const v1::GetPositionRequest* request,
                                               v1::Position* response) {
  return Reply(resource::GetResource(store_.resources(), kPositionSpec, *context, request->name()),
               response);
}

grpc::Status OrganizationsService::ListPositions(grpc::ServerContext* context,
                                                 const v1::ListPositionsRequest* request,
                                                 v1::ListPositionsResponse* response) {
  return ReplyList(
      resource::ListResources(store_.resources(), kPositionList, PositionFromRow, *context,
                              "ListPositions",
                              {request->filter(), request->page_size(), request->page_token(), {}},
                              response->mutable_next_page_token()),
      response->mutable_positions());
}

grpc::Status OrganizationsService::CreatePosition(grpc::ServerContext* context,
                                                  const v1::CreatePositionRequest* request,
                                                  v1::Position* response) {
  return Reply(
      resource::CreateResource(store_.resources(), kPositionSpec, *context, "CreatePosition",
                               *request, {}, request->position(), request->request_id(),
                               TermCheck<v1::Position>("position.term")),
      response);
}

grpc::Status OrganizationsService::UpdatePosition(grpc::ServerContext* context,
                                                  const v1::UpdatePositionRequest* request,
                                                  v1::Position* response) {
  return Reply(
      resource::UpdateResource(store_.resources(), kPositionSpec, *context, "UpdatePosition",
                               *request, request->position(), request->update_mask(),
                               request->reason(), TermCheck<v1::Position>("position.term")),
      response);
}

grpc::Status OrganizationsService::DeletePosition(grpc::ServerContext* context,
                                                  const v1::DeletePositionRequest* request,
                                                  google::protobuf::Empty*) {
  return ToGrpcStatus(resource::DeleteResource(store_.resources(), kPositionSpec, *context,
                                               "DeletePosition", *request, request->name(),
                                               request->etag(), request->reason()));
}

grpc::Status OrganizationsService::GetLeadershipCandidate(
    grpc::ServerContext* context, const v1::GetLeadershipCandidateRequest* request,
    v1::LeadershipCandidate* response) {
  return Reply(resource::GetResource(store_.resources(), kCandidateSpec, *context, request->name()),
               response);
}

grpc::Status OrganizationsService::ListLeadershipCandidates(
    grpc::ServerContext* context, const v1::ListLeadershipCandidatesRequest* request,
    v1::ListLeadershipCandidatesResponse* response) {
  return ReplyList(
      resource::ListResources(store_.resources(), kCandidateList, CandidateFromRow, *context,
                              "ListLeadershipCandidates",
                              {request->filter(), request->page_size(), request->page_token(), {}},
                              response->mutable_next_page_token()),
      response->mutable_leadership_candidates());
}

grpc::Status OrganizationsService::CreateLeadershipCandidate(
    grpc::ServerContext* context, const v1::CreateLeadershipCandidateRequest* request,
    v1::LeadershipCandidate* response) {
  return Reply(resource::CreateResource(
                   store_.resources(), kCandidateSpec, *context, "CreateLeadershipCandidate",
                   *request, {}, request->leadership_candidate(), request->request_id(),
                   TermCheck<v1::LeadershipCandidate>("leadership_candidate.term")),
               response);
}

grpc::Status OrganizationsService::UpdateLeadershipCandidate(
    grpc::ServerContext* context, const v1::UpdateLeadershipCandidateRequest* request,
    v1::LeadershipCandidate* response) {
  return Reply(
      resource::UpdateResource(
          store_.resources(), kCandidateSpec, *context, "UpdateLeadershipCandidate", *request,
          request->leadership_candidate(), request->update_mask(), request->reason(),
          TermCheck<v1::LeadershipCandidate>("leadership_candidate.term")),
      response);
}

grpc::Status OrganizationsService::DeleteLeadershipCandidate(
    grpc::ServerContext* context, const v1::DeleteLeadershipCandidateRequest* request,
    google::protobuf::Empty*) {
  return ToGrpcStatus(resource::DeleteResource(
      store_.resources(), kCandidateSpec, *context, "DeleteLeadershipCandidate", *request,
      request->name(), request->etag(), request->reason()));
}

grpc::Status OrganizationsService::GetPartner(grpc::ServerContext* context,
                                              const v1::GetPartnerRequest* request,
                                              v1::Partner* response) {
  return Reply(resource::GetResource(store_.resources(), kPartnerSpec, *context, request->name()),
               response);
}

grpc::Status OrganizationsService::ListPartners(grpc::ServerContext* context,
                                                const v1::ListPartnersRequest* request,
                                                v1::ListPartnersResponse* response) {
  return ReplyList(resource::ListResources(
                       store_.resources(), kPartnerList, PartnerFromRow, *context, "ListPartners",
                       {request->filter(), request->page_size(), request->page_token(), {}},
                       response->mutable_next_page_token()),
                   response->mutable_partners());
}

grpc::Status OrganizationsService::CreatePartner(grpc::ServerContext* context,
                                                 const v1::CreatePartnerRequest* request,
                                                 v1::Partner* response) {
  return Reply(resource::CreateResource(store_.resources(), kPartnerSpec, *context, "CreatePartner",
                                        *request, {}, request->partner(), request->request_id()),
               response);
}

grpc::Status OrganizationsService::UpdatePartner(grpc::ServerContext* context,
                                                 const v1::UpdatePartnerRequest* request,
                                                 v1::Partner* response) {
  return Reply(resource::UpdateResource(store_.resources(), kPartnerSpec, *context, "UpdatePartner",
                                        *request, request->partner(), request->update_mask(),
                                        request->reason()),
               response);
}

grpc::Status OrganizationsService::DeletePartner(grpc::ServerContext* context,
                                                 const v1::DeletePartnerRequest* request,
                                                 google::protobuf::Empty*) {
  return ToGrpcStatus(resource::DeleteResource(store_.resources(), kPartnerSpec, *context,
                                               "DeletePartner", *request, request->name(),
                                               request->etag(), request->reason()));
}

grpc::Status OrganizationsService::GetPartnership(grpc::ServerContext* context,
                                                  const v1::GetPartnershipRequest* request,
                                                  v1::Partnership* response) {
  return Reply(
      resource::GetResource(store_.resources(), kPartnershipSpec, *context, request->name()),
      response);
}

grpc::Status OrganizationsService::ListPartnerships(grpc::ServerContext* context,
                                                    const v1::ListPartnershipsRequest* request,
                                                    v1::ListPartnershipsResponse* response) {
  return ReplyList(
      resource::ListResources(store_.resources(), kPartnershipList, PartnershipFromRow, *context,
                              "ListPartnerships",
                              {request->filter(), request->page_size(), request->page_token(), {}},
                              response->mutable_next_page_token()),
      response->mutable_partnerships());
}

grpc::Status OrganizationsService::CreatePartnership(grpc::ServerContext* context,
                                                     const v1::CreatePartnershipRequest* request,
                                                     v1::Partnership* response) {
  return Reply(
      resource::CreateResource(store_.resources(), kPartnershipSpec, *context, "CreatePartnership",
                               *request, {}, request->partnership(), request->request_id()),
      response);
}

grpc::Status OrganizationsService::UpdatePartnership(grpc::ServerContext* context,
                                                     const v1::UpdatePartnershipRequest* request,
                                                     v1::Partnership* response) {
  return Reply(resource::UpdateResource(store_.resources(), kPartnershipSpec, *context,
                                        "UpdatePartnership", *request, request->partnership(),
                                        request->update_mask(), request->reason()),
               response);
}

grpc::Status OrganizationsService::DeletePartnership(grpc::ServerContext* context,
                                                     const v1::DeletePartnershipRequest* request,
                                                     google::protobuf::Empty*) {
  return ToGrpcStatus(resource::DeleteResource(store_.resources(), kPartnershipSpec, *context,
                                               "DeletePartnership", *request, request->name(),
                                               request->etag(), request->reason()));
}

grpc::Status OrganizationsService::GetOrganization(grpc::ServerContext* context,
                                                   const v1::GetOrganizationRequest* request,
                                                   v1::Organization* response) {
  if (!request->has_member_count_as_of()) {
    return Reply(
        resource::GetResource(store_.resources(), kOrganizationSpec, *context, request->name()),
        response);
  }
  absl::Status status = [&]() -> absl::Status {
    CAUNOI_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                            api::ParseResourceName(request->name(), kOrganizationPattern, "name"));
    CAUNOI_ASSIGN_OR_RETURN(absl::CivilDay as_of,
                            api::ToCivilDay(request->member_count_as_of(), "member_count_as_of"));
    CAUNOI_ASSIGN_OR_RETURN(*response, store_.GetOrganizationAsOf(request->name(), ids[0], as_of,
                                                                  api::RequestDeadline(*context)));
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status OrganizationsService::GetOrganizationTree(
    grpc::ServerContext* context, const v1::GetOrganizationTreeRequest* request,
    v1::GetOrganizationTreeResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    CAUNOI_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                            api::ParseResourceName(request->name(), kOrganizationPattern, "name"));
    if (request->max_depth() < 0) return InvalidFieldError("max_depth", "must not be negative");
    CAUNOI_ASSIGN_OR_RETURN(
        std::vector<v1::OrganizationTreeNode> nodes,
        store_.GetOrganizationTree(request->name(), ids[0], request->max_depth(),
                                   api::RequestDeadline(*context)));
    for (v1::OrganizationTreeNode& node : nodes) *response->add_nodes() = std::move(node);
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status OrganizationsService::GetLocalityStats(grpc::ServerContext* context,
                                                    const v1::GetLocalityStatsRequest* request,
                                                    v1::GetLocalityStatsResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    std::vector<std::string> ids;
    for (int i = 0; i < request->localities_size(); ++i) {
      CAUNOI_ASSIGN_OR_RETURN(
          std::string id,
          ParseLocalityName(request->localities(i), absl::StrCat("localities[", i, "]")));
      ids.push_back(std::move(id));
    }
    absl::CivilDay as_of = api::TodayInVietnam();
    if (request->has_as_of()) {
      CAUNOI_ASSIGN_OR_RETURN(as_of, api::ToCivilDay(request->as_of(), "as_of"));
    }
    CAUNOI_ASSIGN_OR_RETURN(std::vector<LocalityTotals> totals,
                            store_.GetLocalityStats(ids, as_of, api::RequestDeadline(*context)));
    for (size_t i = 0; i < ids.size(); ++i) {
      const bool found = std::any_of(totals.begin(), totals.end(), [&](const LocalityTotals& t) {
        return t.locality_id == ids[i];
      });
      if (!found) {
        return InvalidFieldError(
            absl::StrCat("localities[", i, "]"),
            absl::StrCat(Quoted(request->localities(i)), " is not a current locality"));
      }
    }
    for (const LocalityTotals& total : totals) {
      v1::LocalityStats* stats = response->add_stats();
      stats->set_locality(LocalityName(total.locality_id));
      int64_t organizations = 0;
      for (const auto& [kind, count] : total.organizations_by_kind) {
        (*stats->mutable_organizations_by_kind())[kind] = count;
        organizations += count;
      }
      stats->set_organizations(organizations);
      stats->set_members(total.members);
      for (const auto& [tier, count] : total.partnerships_by_country_tier) {
        (*stats->mutable_partnerships_by_country_tier())[tier] = count;
      }
    }
    *response->mutable_as_of() = api::ToDate(as_of);
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status OrganizationsService::ListAuditRecords(grpc::ServerContext* context,
                                                    const v1::ListAuditRecordsRequest* request,
                                                    v1::ListAuditRecordsResponse* response) {
  return ReplyList(resource::ListAuditRecords(store_.resources(), *context, "ListAuditRecords",
                                              *request, response->mutable_next_page_token()),
                   response->mutable_audit_records());
}

}  // namespace caunoi::organizations
