#ifndef CAUNOI_SERVICES_ORGANIZATIONS_RESOURCES_RESOURCES_H_
#define CAUNOI_SERVICES_ORGANIZATIONS_RESOURCES_RESOURCES_H_

#include "caunoi/v1/organizations.pb.h"
#include "common/resource/standard_methods.h"

// The resources of the organizations service, each defined in its own file
// here: its table, its checks and its List query.
namespace caunoi::organizations {

#define CAUNOI_DECLARE_RESOURCE(Type, spec, list)     \
  extern const resource::ResourceSpec<v1::Type> spec; \
  extern const resource::ListSpec list;

CAUNOI_DECLARE_RESOURCE(Commune, kCommuneSpec, kCommuneList)
CAUNOI_DECLARE_RESOURCE(Country, kCountrySpec, kCountryList)
CAUNOI_DECLARE_RESOURCE(Organization, kOrganizationSpec, kOrganizationList)
CAUNOI_DECLARE_RESOURCE(MemberCount, kMemberCountSpec, kMemberCountList)
CAUNOI_DECLARE_RESOURCE(Term, kTermSpec, kTermList)
CAUNOI_DECLARE_RESOURCE(Person, kPersonSpec, kPersonList)
CAUNOI_DECLARE_RESOURCE(Position, kPositionSpec, kPositionList)
CAUNOI_DECLARE_RESOURCE(LeadershipCandidate, kCandidateSpec, kCandidateList)
CAUNOI_DECLARE_RESOURCE(Partner, kPartnerSpec, kPartnerList)
CAUNOI_DECLARE_RESOURCE(Partnership, kPartnershipSpec, kPartnershipList)

#undef CAUNOI_DECLARE_RESOURCE

v1::Organization OrganizationFromRow(resource::RowReader& row);

// Inside a write: `term` ("organizations/{o}/terms/{t}") exists under that
// organization; NOT_FOUND naming `field` otherwise.
absl::Status CheckTermExists(pg::Connection& connection, absl::string_view term,
                             absl::string_view field);

}  // namespace caunoi::organizations

#endif  // CAUNOI_SERVICES_ORGANIZATIONS_RESOURCES_RESOURCES_H_
