// Congresses and the terms they open ("6th congress, term 2022-2027").
#include "services/organizations/resources/resource_helpers.h"
#include "services/organizations/resources/resources.h"

namespace caunoi::organizations {
namespace {

#define CAUNOI_TERM_COLUMNS                                              \
  "t.id, t.organization_id, t.congress_ordinal, t.congress_start::text," \
  " t.congress_end::text, t.start_year, t.end_year, " CAUNOI_STANDARD_COLUMNS("t")

constexpr resource::ConstraintRule kConstraints[] = {
    {"term_organization_exists", "parent", absl::StatusCode::kNotFound,
     "the organization does not exist"},
    {"term_congress_unique", "term.congress_ordinal", absl::StatusCode::kAlreadyExists,
     "the organization already has a term for this congress"},
    {"position_term_exists", "term", absl::StatusCode::kNotFound, "",
     "positions are still recorded in this term; delete them first"},
    {"candidate_term_exists", "term", absl::StatusCode::kNotFound, "",
     "leadership candidates are still planned for this term; delete them first"},
};

constexpr resource::Column kColumns[] = {
    {"congress_ordinal"}, {"congress_start"}, {"congress_end"}, {"start_year"}, {"end_year"}};
constexpr auto kUpdatable = resource::FieldsOf(kColumns);

constexpr int kMaxCongressOrdinal = 100;

absl::Status Validate(const v1::Term& term) {
  if (term.congress_ordinal() < 1 || term.congress_ordinal() > kMaxCongressOrdinal) {
    return InvalidFieldError("term.congress_ordinal", "must be between 1 and 100");
  }
  CAUNOI_RETURN_IF_ERROR(ValidateOptionalDate(term.has_congress_start(), term.congress_start(),
                                              "term.congress_start"));
  CAUNOI_RETURN_IF_ERROR(
      ValidateOptionalDate(term.has_congress_end(), term.congress_end(), "term.congress_end"));
  CAUNOI_RETURN_IF_ERROR(ValidateSpan(term.has_congress_start(), term.congress_start(),
                                      term.has_congress_end(), term.congress_end(),
                                      "term.congress_end"));
  if (term.start_year() < 1900 || term.start_year() > 9999) {
    return InvalidFieldError("term.start_year", "must be a year between 1900 and 9999");
  }
  if (term.end_year() < term.start_year() || term.end_year() > 9999) {
    return InvalidFieldError("term.end_year", "must not be before term.start_year");
  }
  return absl::OkStatus();
}

}  // namespace

v1::Term TermFromRow(resource::RowReader& row) {
  v1::Term term;
  const std::string id = row.Text();
  term.set_name(api::FormatResourceName(kTermPattern, {row.Text(), id}));
  resource::ReadColumns(row, term, kColumns);
  ReadStandardColumns(row, term);
  return term;
}

const resource::ResourceSpec<v1::Term> kTermSpec = {
    .table =
        {
            .pattern = kTermPattern,
            .select = {"term_get",
                       "SELECT " CAUNOI_TERM_COLUMNS " FROM organizations.terms t WHERE t.id = $1"},
            .insert = {"term_insert",
                       "INSERT INTO organizations.terms (organization_id, congress_ordinal,"
                       " congress_start, congress_end, start_year, end_year)"
                       " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"},
            .update = {"term_update",
                       "UPDATE organizations.terms SET congress_ordinal = $3,"
                       " congress_start = $4, congress_end = $5, start_year = $6, end_year = $7,"
                       " revision = revision + 1, update_time = now()"
                       " WHERE id = $1 AND revision = $2 RETURNING id"},
            .remove = {"term_delete",
                       "DELETE FROM organizations.terms WHERE id = $1 AND revision = $2"
                       " RETURNING id"},
            .from_row = TermFromRow,
            .constraints = kConstraints,
        },
    .field = "term",
    .updatable = kUpdatable,
    .validate = Validate,
    .columns = resource::ColumnsOf<v1::Term, kColumns>,
};

const resource::ListSpec kTermList = {
    .statement = {"term_list", "SELECT " CAUNOI_TERM_COLUMNS " FROM organizations.terms t"
                               " WHERE t.organization_id = $3 AND ($1::bigint IS NULL OR t.id > $1)"
                               " ORDER BY t.id LIMIT $2"},
};

namespace {

constexpr pg::Statement kTermExists{
    "term_exists",
    "SELECT EXISTS (SELECT 1 FROM organizations.terms WHERE id = $1 AND organization_id = $2)"};

}  // namespace

absl::Status CheckTermExists(pg::Connection& connection, absl::string_view term,
                             absl::string_view field) {
  CAUNOI_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                          api::ParseResourceName(term, kTermPattern, field));
  CAUNOI_ASSIGN_OR_RETURN(pg::Result result, connection.Execute(kTermExists, {ids[1], ids[0]}));
  if (!result.Bool(0, 0)) {
    return ErrorWithReason(absl::StatusCode::kNotFound,
                           absl::StrCat(field, ": \"", term, "\" does not exist"),
                           "REFERENCE_NOT_FOUND", {{"field", std::string(field)}});
  }
  return absl::OkStatus();
}

}  // namespace caunoi::organizations
