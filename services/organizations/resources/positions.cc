// Posts people hold in an organization's term.
#include "services/organizations/resources/resource_helpers.h"
#include "services/organizations/resources/resources.h"

namespace caunoi::organizations {
namespace {

constexpr resource::Column kColumns[] = {{"term", kTermPattern, "", "t.organization_id, r.term_id"},
                                         {"person", kPersonPattern},
                                         {"role"},
                                         {"title"},
                                         {"since"},
                                         {"until"}};
constexpr resource::StoredTable kTable = {
    .key = "position",
    .field = "position",
    .table = "organizations.positions",
    .pattern = kPositionPattern,
    .columns = kColumns,
    .joins = "JOIN organizations.terms t ON t.id = r.term_id"};

absl::Status Validate(const v1::Position& position) {
  CAUNOI_RETURN_IF_ERROR(ValidateReference(position.term(), kTermPattern, "position.term", true));
  CAUNOI_RETURN_IF_ERROR(
      ValidateReference(position.person(), kPersonPattern, "position.person", true));
  CAUNOI_RETURN_IF_ERROR(ValidateEnum(position.role(), "position.role"));
  CAUNOI_RETURN_IF_ERROR(api::ValidateText(position.title(), "position.title", {}));
  CAUNOI_RETURN_IF_ERROR(
      ValidateOptionalDate(position.has_since(), position.since(), "position.since"));
  CAUNOI_RETURN_IF_ERROR(
      ValidateOptionalDate(position.has_until(), position.until(), "position.until"));
  return ValidateSpan(position.has_since(), position.since(), position.has_until(),
                      position.until(), "position.until");
}

constexpr api::FilterField kFilterFields[] = {
    {"person", true, false, ReferenceFilter, kPersonPattern},
    {"organization", true, false, ReferenceFilter, kOrganizationPattern},
    {"term", true, false, ReferenceFilter, kTermPattern},
    {"role", true, false, EnumFilter<v1::PositionRole>},
};

absl::Status CheckTerm(pg::Connection& connection, const v1::Position& position) {
  return CheckTermExists(connection, position.term(), "position.term");
}

}  // namespace

const resource::ResourceSpec<v1::Position> kPositionSpec =
    resource::StandardSpec<v1::Position, kTable>({.validate = Validate, .check = CheckTerm});

const resource::ListSpec kPositionList = {
    .statement = resource::ListStatementOf<v1::Position, kTable>(
        "WHERE ($1::bigint IS NULL OR r.id > $1)"
        "  AND ($3::bigint IS NULL OR r.person_id = $3)"
        "  AND ($4::bigint IS NULL OR t.organization_id = $4)"
        "  AND ($5::bigint IS NULL OR r.term_id = $5)"
        "  AND ($6::text IS NULL OR r.role = $6)"
        " ORDER BY r.id LIMIT $2"),
    .filter_fields = kFilterFields,
};

}  // namespace caunoi::organizations
