// Dated membership figures: each observation is kept, none overwritten.
#include "services/organizations/resources/resource_helpers.h"
#include "services/organizations/resources/resources.h"

namespace caunoi::organizations {
namespace {

constexpr resource::Column kColumns[] = {
    {.field = "count", .max = 100'000'000},
    {.field = "as_of", .required = true},
    {.field = "at_least"},
    {.field = "source", .text = resource::kNoteText},
};

// A figure is true on a day that has come.
absl::Status Validate(const v1::MemberCount& member_count) {
  return api::ToPastCivilDay(member_count.as_of(), "member_count.as_of").status();
}

constexpr resource::StoredTable kTable = {
    .names = {"member_count", "member_count", "organizations.member_counts", kMemberCountPattern},
    .columns = kColumns,
    .parent_column = "organization_id",
};

}  // namespace

CAUNOI_DEFINE_STANDARD_RESOURCE(MemberCount, kMemberCountSpec, kMemberCountList, kTable, Validate,
                                nullptr);

}  // namespace caunoi::organizations
