#ifndef CAUNOI_SERVICES_ORGANIZATIONS_RESOURCES_RESOURCES_H_
#define CAUNOI_SERVICES_ORGANIZATIONS_RESOURCES_RESOURCES_H_

#include "caunoi/v1/organizations.pb.h"
#include "common/resource/standard_methods.h"

// The resources of the organizations service, each defined in its own file
// here: its table, its checks and its List query.
namespace caunoi::organizations {

#define CAUNOI_DECLARE_RESOURCE(Type, spec, list, from_row) \
  extern const resource::ResourceSpec<v1::Type> spec;       \
  extern const resource::ListSpec list;                     \
  v1::Type from_row(resource::RowReader& row);

CAUNOI_DECLARE_RESOURCE(Country, kCountrySpec, kCountryList, CountryFromRow)
CAUNOI_DECLARE_RESOURCE(Organization, kOrganizationSpec, kOrganizationList, OrganizationFromRow)
CAUNOI_DECLARE_RESOURCE(MemberCount, kMemberCountSpec, kMemberCountList, MemberCountFromRow)
CAUNOI_DECLARE_RESOURCE(Term, kTermSpec, kTermList, TermFromRow)
CAUNOI_DECLARE_RESOURCE(Person, kPersonSpec, kPersonList, PersonFromRow)
CAUNOI_DECLARE_RESOURCE(Position, kPositionSpec, kPositionList, PositionFromRow)
CAUNOI_DECLARE_RESOURCE(LeadershipCandidate, kCandidateSpec, kCandidateList, CandidateFromRow)
CAUNOI_DECLARE_RESOURCE(Partner, kPartnerSpec, kPartnerList, PartnerFromRow)
CAUNOI_DECLARE_RESOURCE(Partnership, kPartnershipSpec, kPartnershipList, PartnershipFromRow)

#undef CAUNOI_DECLARE_RESOURCE

// Inside a write: `term` ("organizations/{o}/terms/{t}") exists under that
// organization; NOT_FOUND naming `field` otherwise.
absl::Status CheckTermExists(pg::Connection& connection, absl::string_view term,
                             absl::string_view field);

}  // namespace caunoi::organizations

#endif  // CAUNOI_SERVICES_ORGANIZATIONS_RESOURCES_RESOURCES_H_
