// Dated membership figures: each observation is kept, none overwritten.
#include "services/organizations/resources/resource_helpers.h"
#include "services/organizations/resources/resources.h"

namespace caunoi::organizations {
namespace {

constexpr int64_t kMaxMemberCount = 100'000'000;

constexpr resource::Column kColumns[] = {{"count"}, {"as_of"}, {"at_least"}, {"source"}};
constexpr resource::StoredTable kTable = {.key = "member_count",
                                          .field = "member_count",
                                          .table = "organizations.member_counts",
                                          .pattern = kMemberCountPattern,
                                          .columns = kColumns,
                                          .parent_column = "organization_id"};

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

const resource::ResourceSpec<v1::MemberCount> kMemberCountSpec =
    resource::StandardSpec<v1::MemberCount, kTable>({.validate = Validate});

// In the order recorded.
const resource::ListSpec kMemberCountList = {
    .statement = resource::ListStatementOf<v1::MemberCount, kTable>(
        "WHERE r.organization_id = $3 AND ($1::bigint IS NULL OR r.id > $1) ORDER BY r.id LIMIT "
        "$2"),
};

}  // namespace caunoi::organizations
