#ifndef CAUNOI_SERVICES_ORGANIZATIONS_ORGANIZATIONS_SERVICE_H_
#define CAUNOI_SERVICES_ORGANIZATIONS_ORGANIZATIONS_SERVICE_H_

#include "caunoi/v1/organizations.grpc.pb.h"
#include "services/organizations/organizations_store.h"

namespace caunoi::organizations {

// RPC handlers: validate, ask the store, map the status once.
class OrganizationsService final : public v1::OrganizationService::Service {
 public:
  explicit OrganizationsService(OrganizationsStore& store) : store_(store) {}

  grpc::Status GetLocality(grpc::ServerContext* context, const v1::GetLocalityRequest* request,
                           v1::Locality* response) override;
  grpc::Status ListLocalities(grpc::ServerContext* context,
                              const v1::ListLocalitiesRequest* request,
                              v1::ListLocalitiesResponse* response) override;
  grpc::Status ResolveLocalityCode(grpc::ServerContext* context,
                                   const v1::ResolveLocalityCodeRequest* request,
                                   v1::ResolveLocalityCodeResponse* response) override;

  grpc::Status GetCountry(grpc::ServerContext* context, const v1::GetCountryRequest* request,
                          v1::Country* response) override;
  grpc::Status ListCountries(grpc::ServerContext* context, const v1::ListCountriesRequest* request,
                             v1::ListCountriesResponse* response) override;
  grpc::Status CreateCountry(grpc::ServerContext* context, const v1::CreateCountryRequest* request,
                             v1::Country* response) override;
  grpc::Status UpdateCountry(grpc::ServerContext* context, const v1::UpdateCountryRequest* request,
                             v1::Country* response) override;
  grpc::Status DeleteCountry(grpc::ServerContext* context, const v1::DeleteCountryRequest* request,
                             google::protobuf::Empty* response) override;

  grpc::Status GetOrganization(grpc::ServerContext* context,
                               const v1::GetOrganizationRequest* request,
                               v1::Organization* response) override;
  grpc::Status ListOrganizations(grpc::ServerContext* context,
                                 const v1::ListOrganizationsRequest* request,
                                 v1::ListOrganizationsResponse* response) override;
  grpc::Status CreateOrganization(grpc::ServerContext* context,
                                  const v1::CreateOrganizationRequest* request,
                                  v1::Organization* response) override;
  grpc::Status UpdateOrganization(grpc::ServerContext* context,
                                  const v1::UpdateOrganizationRequest* request,
                                  v1::Organization* response) override;
  grpc::Status DeleteOrganization(grpc::ServerContext* context,
                                  const v1::DeleteOrganizationRequest* request,
                                  google::protobuf::Empty* response) override;

  grpc::Status GetMemberCount(grpc::ServerContext* context,
                              const v1::GetMemberCountRequest* request,
                              v1::MemberCount* response) override;
  grpc::Status ListMemberCounts(grpc::ServerContext* context,
                                const v1::ListMemberCountsRequest* request,
                                v1::ListMemberCountsResponse* response) override;
  grpc::Status CreateMemberCount(grpc::ServerContext* context,
                                 const v1::CreateMemberCountRequest* request,
                                 v1::MemberCount* response) override;
  grpc::Status UpdateMemberCount(grpc::ServerContext* context,
                                 const v1::UpdateMemberCountRequest* request,
                                 v1::MemberCount* response) override;
  grpc::Status DeleteMemberCount(grpc::ServerContext* context,
                                 const v1::DeleteMemberCountRequest* request,
                                 google::protobuf::Empty* response) override;

  grpc::Status GetTerm(grpc::ServerContext* context, const v1::GetTermRequest* request,
                       v1::Term* response) override;
  grpc::Status ListTerms(grpc::ServerContext* context, const v1::ListTermsRequest* request,
                         v1::ListTermsResponse* response) override;
  grpc::Status CreateTerm(grpc::ServerContext* context, const v1::CreateTermRequest* request,
                          v1::Term* response) override;
  grpc::Status UpdateTerm(grpc::ServerContext* context, const v1::UpdateTermRequest* request,
                          v1::Term* response) override;
  grpc::Status DeleteTerm(grpc::ServerContext* context, const v1::DeleteTermRequest* request,
                          google::protobuf::Empty* response) override;

  grpc::Status GetPerson(grpc::ServerContext* context, const v1::GetPersonRequest* request,
                         v1::Person* response) override;
  grpc::Status ListPeople(grpc::ServerContext* context, const v1::ListPeopleRequest* request,
                          v1::ListPeopleResponse* response) override;
  grpc::Status CreatePerson(grpc::ServerContext* context, const v1::CreatePersonRequest* request,
                            v1::Person* response) override;
  grpc::Status UpdatePerson(grpc::ServerContext* context, const v1::UpdatePersonRequest* request,
                            v1::Person* response) override;
  grpc::Status DeletePerson(grpc::ServerContext* context, const v1::DeletePersonRequest* request,
                            google::protobuf::Empty* response) override;

  grpc::Status GetPosition(grpc::ServerContext* context, const v1::GetPositionRequest* request,
                           v1::Position* response) override;
  grpc::Status ListPositions(grpc::ServerContext* context, const v1::ListPositionsRequest* request,
                             v1::ListPositionsResponse* response) override;
  grpc::Status CreatePosition(grpc::ServerContext* context,
                              const v1::CreatePositionRequest* request,
                              v1::Position* response) override;
  grpc::Status UpdatePosition(grpc::ServerContext* context,
                              const v1::UpdatePositionRequest* request,
                              v1::Position* response) override;
  grpc::Status DeletePosition(grpc::ServerContext* context,
                              const v1::DeletePositionRequest* request,
                              google::protobuf::Empty* response) override;

  grpc::Status GetLeadershipCandidate(grpc::ServerContext* context,
                                      const v1::GetLeadershipCandidateRequest* request,
                                      v1::LeadershipCandidate* response) override;
  grpc::Status ListLeadershipCandidates(grpc::ServerContext* context,
                                        const v1::ListLeadershipCandidatesRequest* request,
                                        v1::ListLeadershipCandidatesResponse* response) override;
  grpc::Status CreateLeadershipCandidate(grpc::ServerContext* context,
                                         const v1::CreateLeadershipCandidateRequest* request,
                                         v1::LeadershipCandidate* response) override;
  grpc::Status UpdateLeadershipCandidate(grpc::ServerContext* context,
                                         const v1::UpdateLeadershipCandidateRequest* request,
                                         v1::LeadershipCandidate* response) override;
  grpc::Status DeleteLeadershipCandidate(grpc::ServerContext* context,
                                         const v1::DeleteLeadershipCandidateRequest* request,
                                         google::protobuf::Empty* response) override;

  grpc::Status GetPartner(grpc::ServerContext* context, const v1::GetPartnerRequest* request,
                          v1::Partner* response) override;
  grpc::Status ListPartners(grpc::ServerContext* context, const v1::ListPartnersRequest* request,
                            v1::ListPartnersResponse* response) override;
  grpc::Status CreatePartner(grpc::ServerContext* context, const v1::CreatePartnerRequest* request,
                             v1::Partner* response) override;
  grpc::Status UpdatePartner(grpc::ServerContext* context, const v1::UpdatePartnerRequest* request,
                             v1::Partner* response) override;
  grpc::Status DeletePartner(grpc::ServerContext* context, const v1::DeletePartnerRequest* request,
                             google::protobuf::Empty* response) override;

  grpc::Status GetPartnership(grpc::ServerContext* context,
                              const v1::GetPartnershipRequest* request,
                              v1::Partnership* response) override;
  grpc::Status ListPartnerships(grpc::ServerContext* context,
                                const v1::ListPartnershipsRequest* request,
                                v1::ListPartnershipsResponse* response) override;
  grpc::Status CreatePartnership(grpc::ServerContext* context,
                                 const v1::CreatePartnershipRequest* request,
                                 v1::Partnership* response) override;
  grpc::Status UpdatePartnership(grpc::ServerContext* context,
                                 const v1::UpdatePartnershipRequest* request,
                                 v1::Partnership* response) override;
  grpc::Status DeletePartnership(grpc::ServerContext* context,
                                 const v1::DeletePartnershipRequest* request,
                                 google::protobuf::Empty* response) override;

  grpc::Status GetOrganizationTree(grpc::ServerContext* context,
                                   const v1::GetOrganizationTreeRequest* request,
                                   v1::GetOrganizationTreeResponse* response) override;
  grpc::Status GetLocalityStats(grpc::ServerContext* context,
                                const v1::GetLocalityStatsRequest* request,
                                v1::GetLocalityStatsResponse* response) override;
  grpc::Status ListAuditRecords(grpc::ServerContext* context,
                                const v1::ListAuditRecordsRequest* request,
                                v1::ListAuditRecordsResponse* response) override;

 private:
  // PERMISSION_DENIED unless the caller may write records of `locality`
  // (today's unit or one it absorbed; "" for central records).
  absl::Status CheckLocalityWrite(const grpc::ServerContext& context, absl::string_view locality);
  // The same for the organization that `name` ("organizations/2", or a
  // member count or term below it) names. Reads nothing for a call that
  // names no principal; a malformed or unknown name is left to the handler.
  absl::Status CheckOrganizationWrite(const grpc::ServerContext& context, absl::string_view name);
  // Checks run inside a write's transaction.
  auto HierarchyCheck();
  template <typename M>
  auto TermCheck(absl::string_view field);

  OrganizationsStore& store_;
};

}  // namespace caunoi::organizations

#endif  // CAUNOI_SERVICES_ORGANIZATIONS_ORGANIZATIONS_SERVICE_H_
