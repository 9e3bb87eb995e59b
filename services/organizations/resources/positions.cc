// Posts people hold in an organization's term.
#include "services/organizations/resources/resource_helpers.h"
#include "services/organizations/resources/resources.h"

namespace caunoi::organizations {
namespace {

constexpr resource::Column kColumns[] = {
    {.field = "term",
     .pattern = kTermPattern,
     .read = "t.organization_id, r.term_id",
     .required = true},
    {.field = "person", .pattern = kPersonPattern, .required = true},
    {.field = "role", .required = true},
    {.field = "title"},
    {.field = "since"},
    {.field = "until", .not_before = "since"},
};

constexpr api::FilterField kFilters[] = {
    {"person", true, false, ReferenceFilter, kPersonPattern},
    {"organization", true, false, ReferenceFilter, kOrganizationPattern},
    {"term", true, false, ReferenceFilter, kTermPattern},
    {"role", true, false, EnumFilter<v1::PositionRole>},
};

constexpr resource::StoredTable kTable = {
    .names = {"position", "position", "organizations.positions", kPositionPattern},
    .columns = kColumns,
    .joins = "JOIN organizations.terms t ON t.id = r.term_id",
    .list =
        "WHERE ($1::bigint IS NULL OR r.id > $1)"
        "  AND ($3::bigint IS NULL OR r.person_id = $3)"
        "  AND ($4::bigint IS NULL OR t.organization_id = $4)"
        "  AND ($5::bigint IS NULL OR r.term_id = $5)"
        "  AND ($6::text IS NULL OR r.role = $6)"
        " ORDER BY r.id LIMIT $2",
    .filters = kFilters,
};

absl::Status CheckTerm(pg::Connection& connection, const v1::Position& position) {
  return CheckTermExists(connection, position.term(), "position.term");
}

}  // namespace

const resource::ResourceSpec<v1::Position> kPositionSpec =
    resource::StandardSpec<v1::Position, kTable>(CheckTerm);
const resource::ListSpec kPositionList = resource::StandardList<v1::Position, kTable>();

}  // namespace caunoi::organizations
