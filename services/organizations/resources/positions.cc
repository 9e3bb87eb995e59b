// Posts people hold in an organization's term.
#include "services/organizations/resources/resource_helpers.h"
#include "services/organizations/resources/resources.h"

namespace caunoi::organizations {
namespace {

constexpr resource::Column kColumns[] = {
    kTermColumn,        kPersonColumn,      {.field = "role", .required = true},
    {.field = "title"}, {.field = "since"}, {.field = "until", .not_before = "since"},
};

constexpr api::FilterField kFilters[] = {
    {"person", true, false, resource::ReferenceFilter, kPersonPattern, "r.person_id = $"},
    {"organization", true, false, resource::ReferenceFilter, kOrganizationPattern,
     "t.organization_id = $"},
    {"term", true, false, resource::ReferenceFilter, kTermPattern, "r.term_id = $"},
    {"role", true, false, resource::EnumFilter<v1::PositionRole>, "", "r.role = $"},
};

constexpr resource::StoredTable kTable = {
    .names = {"position", "position", "organizations.positions", kPositionPattern},
    .columns = kColumns,
    .joins = kTermJoin,
    .filters = kFilters,
};

absl::Status CheckTerm(pg::Connection& connection, const v1::Position& position) {
  return CheckTermExists(connection, position.term(), "position.term");
}

}  // namespace

CAUNOI_DEFINE_STANDARD_RESOURCE(Position, kPositionSpec, kPositionList, kTable, nullptr, CheckTerm);

}  // namespace caunoi::organizations
