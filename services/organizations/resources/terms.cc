// Congresses and the terms they open ("6th congress, term 2022-2027").
#include "services/organizations/resources/resource_helpers.h"
#include "services/organizations/resources/resources.h"

namespace caunoi::organizations {
namespace {

constexpr resource::ConstraintRule kConstraints[] = {
    {"term_congress_unique", "term.congress_ordinal", absl::StatusCode::kAlreadyExists,
     "the organization already has a term for this congress"},
};

constexpr resource::Column kColumns[] = {
    {.field = "congress_ordinal", .min = 1, .max = 100},
    {.field = "congress_start"},
    {.field = "congress_end", .not_before = "congress_start"},
    {.field = "start_year", .min = 1900, .max = 9999},
    {.field = "end_year", .min = 1900, .max = 9999, .not_before = "start_year"},
};

constexpr resource::StoredTable kTable = {
    .names = {"term", "term", "organizations.terms", kTermPattern},
    .columns = kColumns,
    .constraints = kConstraints,
    .parent_column = "organization_id",
};

}  // namespace

CAUNOI_DEFINE_STANDARD_RESOURCE(Term, kTermSpec, kTermList, kTable, nullptr, nullptr);

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
