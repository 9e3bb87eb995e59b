// People who hold posts; one person may hold several across organizations.
#include "services/organizations/resources/resource_helpers.h"
#include "services/organizations/resources/resources.h"

namespace caunoi::organizations {
namespace {

constexpr resource::ConstraintRule kConstraints[] = {
    {"position_person_exists", "person", absl::StatusCode::kNotFound, "",
     "the person still holds recorded positions; delete them first"},
    {"candidate_person_exists", "person", absl::StatusCode::kNotFound, "",
     "the person is still a leadership candidate; delete the entries first"},
};

constexpr resource::Column kColumns[] = {{"full_name"}, {"note"}};
constexpr resource::StoredTable kTable = {.key = "person",
                                          .field = "person",
                                          .table = "organizations.people",
                                          .pattern = kPersonPattern,
                                          .columns = kColumns,
                                          .constraints = kConstraints};

absl::Status Validate(const v1::Person& person) {
  CAUNOI_RETURN_IF_ERROR(
      api::ValidateText(person.full_name(), "person.full_name", {.required = true}));
  return api::ValidateText(person.note(), "person.note",
                           {.max_chars = api::kMaxNoteChars, .multiline = true});
}

constexpr api::FilterField kFilterFields[] = {
    {"full_name", false, true, SearchFilter},
};

}  // namespace

const resource::ResourceSpec<v1::Person> kPersonSpec =
    resource::StandardSpec<v1::Person, kTable>({.validate = Validate});

const resource::ListSpec kPersonList = {
    .statement = resource::ListStatementOf<v1::Person, kTable>(
        "WHERE ($1::bigint IS NULL OR r.id > $1)"
        "  AND ($3::text IS NULL OR strpos(r.search_name, organizations.fold_text($3)) > 0)"
        " ORDER BY r.id LIMIT $2"),
    .filter_fields = kFilterFields,
};

}  // namespace caunoi::organizations
