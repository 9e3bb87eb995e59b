#ifndef CAUNOI_SERVICES_ORGANIZATIONS_ORGANIZATIONS_SERVICE_H_
#define CAUNOI_SERVICES_ORGANIZATIONS_ORGANIZATIONS_SERVICE_H_

#include "caunoi/v1/organizations.grpc.pb.h"
#include "common/changes/change_watch.h"
#include "common/resource/standard_handlers.h"
#include "services/organizations/organizations_store.h"

namespace caunoi::organizations {

// RPC handlers: validate, authorize, ask the store once, reply. The
// standard methods are declared per resource (common/resource/
// standard_handlers.h); the others live in handlers/, one file a resource.
class OrganizationsService final : public v1::OrganizationService::WithCallbackMethod_WatchChanges<
                                       v1::OrganizationService::Service> {
 public:
  OrganizationsService(OrganizationsStore& store, changes::ChangeWatch& changes);

  CAUNOI_CHANGE_METHODS(changes_)

  CAUNOI_RPC(GetLocality, GetLocalityRequest, Locality)
  CAUNOI_RPC(ListLocalities, ListLocalitiesRequest, ListLocalitiesResponse)
  CAUNOI_RPC(ResolveLocalityCode, ResolveLocalityCodeRequest, ResolveLocalityCodeResponse)

  CAUNOI_GET_METHOD(Commune, communes_)
  CAUNOI_LIST_METHOD(Communes, communes_)
  CAUNOI_RPC(ImportCommunes, ImportCommunesRequest, ImportCommunesResponse)

  CAUNOI_STANDARD_METHODS(Country, Countries, countries_)

  CAUNOI_RPC(GetOrganization, GetOrganizationRequest, Organization)
  CAUNOI_LIST_METHOD(Organizations, organizations_)
  CAUNOI_CREATE_METHOD(Organization, organizations_)
  CAUNOI_UPDATE_METHOD(Organization, organizations_)
  CAUNOI_DELETE_METHOD(Organization, organizations_)
  CAUNOI_RPC(GetOrganizationTree, GetOrganizationTreeRequest, GetOrganizationTreeResponse)
  CAUNOI_RPC(GetLocalityStats, GetLocalityStatsRequest, GetLocalityStatsResponse)

  CAUNOI_STANDARD_METHODS(MemberCount, MemberCounts, member_counts_)
  CAUNOI_STANDARD_METHODS(Term, Terms, terms_)
  CAUNOI_STANDARD_METHODS(Person, People, people_)
  CAUNOI_STANDARD_METHODS(Position, Positions, positions_)
  CAUNOI_STANDARD_METHODS(LeadershipCandidate, LeadershipCandidates, candidates_)
  CAUNOI_STANDARD_METHODS(Partner, Partners, partners_)
  CAUNOI_STANDARD_METHODS(Partnership, Partnerships, partnerships_)

  CAUNOI_RPC(ListAuditRecords, ListAuditRecordsRequest, ListAuditRecordsResponse)

 private:
  // PERMISSION_DENIED unless the caller may write records of `locality`
  // (today's unit or one it absorbed; "" for central records).
  absl::Status CheckLocalityWrite(const grpc::ServerContext& context, absl::string_view locality);
  absl::Status CheckCommuneWrite(const grpc::ServerContext& context, absl::string_view commune);
  // The same for the organization that `name` ("organizations/2", or a
  // member count or term below it) names.
  absl::Status CheckOrganizationWrite(const grpc::ServerContext& context, absl::string_view name);
  // Records below an organization are written by whoever may write it.
  template <typename M>
  resource::HandlerRules<M> OrganizationOwned();

  OrganizationsStore& store_;
  changes::ChangeWatch& changes_;
  const resource::StandardHandlers<v1::Commune> communes_;
  const resource::StandardHandlers<v1::Country> countries_;
  const resource::StandardHandlers<v1::Organization> organizations_;
  const resource::StandardHandlers<v1::MemberCount> member_counts_;
  const resource::StandardHandlers<v1::Term> terms_;
  const resource::StandardHandlers<v1::Person> people_;
  const resource::StandardHandlers<v1::Position> positions_;
  const resource::StandardHandlers<v1::LeadershipCandidate> candidates_;
  const resource::StandardHandlers<v1::Partner> partners_;
  const resource::StandardHandlers<v1::Partnership> partnerships_;
};

}  // namespace caunoi::organizations

#endif  // CAUNOI_SERVICES_ORGANIZATIONS_ORGANIZATIONS_SERVICE_H_
