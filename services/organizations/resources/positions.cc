// Posts people hold in an organization's term.
#include "services/organizations/resources/resource_helpers.h"
#include "services/organizations/resources/resources.h"

namespace caunoi::organizations {
namespace {

#define CAUNOI_POSITION_COLUMNS                                                      \
  "p.id, t.organization_id, p.term_id, p.person_id, p.role, p.title, p.since::text," \
  " p.until::text, " CAUNOI_STANDARD_COLUMNS("p")
#define CAUNOI_POSITION_FROM \
  "organizations.positions p JOIN organizations.terms t ON t.id = p.term_id"

constexpr resource::ConstraintRule kConstraints[] = {
    {"position_term_exists", "position.term", absl::StatusCode::kNotFound,
     "the term does not exist"},
    {"position_person_exists", "position.person", absl::StatusCode::kNotFound,
     "the person does not exist"},
};

constexpr resource::Column kColumns[] = {
    {"term", kTermPattern}, {"person", kPersonPattern}, {"role"}, {"title"}, {"since"}, {"until"}};
constexpr auto kUpdatable = resource::FieldsOf(kColumns);

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

v1::Position PositionFromRow(resource::RowReader& row) {
  v1::Position position;
  position.set_name(api::FormatResourceName(kPositionPattern, {row.Text()}));
  resource::ReadColumns(row, position, kColumns);
  ReadStandardColumns(row, position);
  return position;
}

const resource::ResourceSpec<v1::Position> kPositionSpec = {
    .table =
        {
            .pattern = kPositionPattern,
            .select = {"position_get", "SELECT " CAUNOI_POSITION_COLUMNS
                                       " FROM " CAUNOI_POSITION_FROM " WHERE p.id = $1"},
            .insert = {"position_insert",
                       "INSERT INTO organizations.positions (term_id, person_id, role, title,"
                       " since, until) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"},
            .update = {"position_update",
                       "UPDATE organizations.positions SET term_id = $3, person_id = $4,"
                       " role = $5, title = $6, since = $7, until = $8,"
                       " revision = revision + 1, update_time = now()"
                       " WHERE id = $1 AND revision = $2 RETURNING id"},
            .remove = {"position_delete",
                       "DELETE FROM organizations.positions WHERE id = $1 AND revision = $2"
                       " RETURNING id"},
            .from_row = PositionFromRow,
            .constraints = kConstraints,
        },
    .field = "position",
    .updatable = kUpdatable,
    .validate = Validate,
    .columns = resource::ColumnsOf<v1::Position, kColumns>,
    .check = CheckTerm,
};

const resource::ListSpec kPositionList = {
    .statement = {"position_list", "SELECT " CAUNOI_POSITION_COLUMNS " FROM " CAUNOI_POSITION_FROM
                                   " WHERE ($1::bigint IS NULL OR p.id > $1)"
                                   "   AND ($3::bigint IS NULL OR p.person_id = $3)"
                                   "   AND ($4::bigint IS NULL OR t.organization_id = $4)"
                                   "   AND ($5::bigint IS NULL OR p.term_id = $5)"
                                   "   AND ($6::text IS NULL OR p.role = $6)"
                                   " ORDER BY p.id LIMIT $2"},
    .filter_fields = kFilterFields,
};

}  // namespace caunoi::organizations
