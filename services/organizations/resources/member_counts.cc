// Dated membership figures: each observation is kept, none overwritten.
#include "services/organizations/resources/organization_columns.h"
#include "services/organizations/resources/resources.h"

namespace caunoi::organizations {
namespace {

constexpr int64_t kMaxMemberCount = 100'000'000;

constexpr resource::ConstraintRule kConstraints[] = {
    {"member_count_organization_exists", "parent", absl::StatusCode::kNotFound,
     "the organization does not exist"},
};

constexpr resource::Column kColumns[] = {{"count"}, {"as_of"}, {"at_least"}, {"source"}};
constexpr auto kUpdatable = resource::FieldsOf(kColumns);

absl::Status Validate(const v1::MemberCount& member_count) {
  if (member_count.count() < 0 || member_count.count() > kMaxMemberCount) {
    return InvalidFieldError("member_count.count", absl::StrCat(member_count.count(),
                                                                " is not a plausible member count;"
                                                                " expected 0 to ",
                                                                kMaxMemberCount));
  }
  if (!member_count.has_as_of()) {
    return InvalidFieldError("member_count.as_of", "is required: a figure is true on a date");
  }
  CAUNOI_RETURN_IF_ERROR(api::ToPastCivilDay(member_count.as_of(), "member_count.as_of").status());
  return api::ValidateText(member_count.source(), "member_count.source",
                           {.max_chars = api::kMaxNoteChars, .multiline = true});
}

}  // namespace

v1::MemberCount MemberCountFromRow(resource::RowReader& row) {
  v1::MemberCount member_count;
  const std::string id = row.Text();
  member_count.set_name(api::FormatResourceName(kMemberCountPattern, {row.Text(), id}));
  resource::ReadColumns(row, member_count, kColumns);
  ReadStandardColumns(row, member_count);
  return member_count;
}

const resource::ResourceSpec<v1::MemberCount> kMemberCountSpec = {
    .table =
        {
            .pattern = kMemberCountPattern,
            .select = {"member_count_get",
                       "SELECT " CAUNOI_MEMBER_COUNT_COLUMNS(
                           "t") " FROM organizations.member_counts t WHERE t.id = $1"},
            .insert = {"member_count_insert",
                       "INSERT INTO organizations.member_counts"
                       " (organization_id, count, as_of, at_least, source)"
                       " VALUES ($1, $2, $3, $4, $5) RETURNING id"},
            .update = {"member_count_update",
                       "UPDATE organizations.member_counts SET count = $3, as_of = $4,"
                       " at_least = $5, source = $6, revision = revision + 1,"
                       " update_time = now() WHERE id = $1 AND revision = $2 RETURNING id"},
            .remove = {"member_count_delete",
                       "DELETE FROM organizations.member_counts WHERE id = $1 AND revision = $2"
                       " RETURNING id"},
            .from_row = MemberCountFromRow,
            .constraints = kConstraints,
        },
    .field = "member_count",
    .updatable = kUpdatable,
    .validate = Validate,
    .columns = resource::ColumnsOf<v1::MemberCount, kColumns>,
};

// In the order recorded.
const resource::ListSpec kMemberCountList = {
    .statement = {"member_count_list",
                  "SELECT " CAUNOI_MEMBER_COUNT_COLUMNS(
                      "t") " FROM organizations.member_counts t"
                           " WHERE t.organization_id = $3 AND ($1::bigint IS NULL OR t.id > $1)"
                           " ORDER BY t.id LIMIT $2"},
};

}  // namespace caunoi::organizations
