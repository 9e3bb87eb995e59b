// People who hold posts; one person may hold several across organizations.
#include "services/organizations/resources/resource_helpers.h"
#include "services/organizations/resources/resources.h"

namespace caunoi::organizations {
namespace {

#define CAUNOI_PERSON_COLUMNS "p.id, p.full_name, p.note, " CAUNOI_STANDARD_COLUMNS("p")

constexpr resource::ConstraintRule kConstraints[] = {
    {"position_person_exists", "person", absl::StatusCode::kNotFound, "",
     "the person still holds recorded positions; delete them first"},
    {"candidate_person_exists", "person", absl::StatusCode::kNotFound, "",
     "the person is still a leadership candidate; delete the entries first"},
};

constexpr resource::Column kColumns[] = {{"full_name"}, {"note"}};
constexpr auto kUpdatable = resource::FieldsOf(kColumns);

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

v1::Person PersonFromRow(resource::RowReader& row) {
  v1::Person person;
  person.set_name(api::FormatResourceName(kPersonPattern, {row.Text()}));
  resource::ReadColumns(row, person, kColumns);
  ReadStandardColumns(row, person);
  return person;
}

const resource::ResourceSpec<v1::Person> kPersonSpec = {
    .table =
        {
            .pattern = kPersonPattern,
            .select = {"person_get", "SELECT " CAUNOI_PERSON_COLUMNS
                                     " FROM organizations.people p WHERE p.id = $1"},
            .insert = {"person_insert",
                       "INSERT INTO organizations.people (full_name, note) VALUES ($1, $2)"
                       " RETURNING id"},
            .update = {"person_update",
                       "UPDATE organizations.people SET full_name = $3, note = $4,"
                       " revision = revision + 1, update_time = now()"
                       " WHERE id = $1 AND revision = $2 RETURNING id"},
            .remove = {"person_delete",
                       "DELETE FROM organizations.people WHERE id = $1 AND revision = $2"
                       " RETURNING id"},
            .from_row = PersonFromRow,
            .constraints = kConstraints,
        },
    .field = "person",
    .updatable = kUpdatable,
    .validate = Validate,
    .columns = resource::ColumnsOf<v1::Person, kColumns>,
};

const resource::ListSpec kPersonList = {
    .statement = {"person_list", "SELECT " CAUNOI_PERSON_COLUMNS " FROM organizations.people p"
                                 " WHERE ($1::bigint IS NULL OR p.id > $1)"
                                 "   AND ($3::text IS NULL OR"
                                 "        strpos(p.search_name, organizations.fold_text($3)) > 0)"
                                 " ORDER BY p.id LIMIT $2"},
    .filter_fields = kFilterFields,
};

}  // namespace caunoi::organizations
