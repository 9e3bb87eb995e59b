#ifndef CAUNOI_SERVICES_ORGANIZATIONS_RESOURCES_RESOURCE_HELPERS_H_
#define CAUNOI_SERVICES_ORGANIZATIONS_RESOURCES_RESOURCE_HELPERS_H_

#include "absl/strings/string_view.h"
#include "common/resource/columns.h"
#include "common/resource/resource_helpers.h"
#include "common/resource/stored_table.h"

// The name patterns of this service's resources, and what their
// definitions share.
namespace caunoi::organizations {

inline constexpr absl::string_view kCountryPattern = "countries/{code}";
inline constexpr absl::string_view kOrganizationPattern = "organizations/{}";
inline constexpr absl::string_view kMemberCountPattern = "organizations/{}/memberCounts/{}";
inline constexpr absl::string_view kTermPattern = "organizations/{}/terms/{}";
inline constexpr absl::string_view kPersonPattern = "people/{}";
inline constexpr absl::string_view kPositionPattern = "positions/{}";
inline constexpr absl::string_view kCandidatePattern = "leadershipCandidates/{}";
inline constexpr absl::string_view kPartnerPattern = "partners/{}";
inline constexpr absl::string_view kPartnershipPattern = "partnerships/{}";

// A place in a term (a position, a leadership candidate): the term, read
// with its organization through kTermJoin, and the person.
inline constexpr resource::Column kTermColumn = {.field = "term",
                                                 .pattern = kTermPattern,
                                                 .read = "t.organization_id, r.term_id",
                                                 .required = true};
inline constexpr resource::Column kPersonColumn = {
    .field = "person", .pattern = kPersonPattern, .required = true};
inline constexpr absl::string_view kTermJoin = "JOIN organizations.terms t ON t.id = r.term_id";

}  // namespace caunoi::organizations

#endif  // CAUNOI_SERVICES_ORGANIZATIONS_RESOURCES_RESOURCE_HELPERS_H_
