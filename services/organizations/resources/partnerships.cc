// Standing relationships between our organizations and partners abroad.
#include "services/organizations/resources/resource_helpers.h"
#include "services/organizations/resources/resources.h"

namespace caunoi::organizations {
namespace {

constexpr resource::Column kColumns[] = {
    {.field = "organization", .pattern = kOrganizationPattern, .required = true},
    {.field = "partner", .pattern = kPartnerPattern, .required = true},
    {.field = "since"},
    {.field = "until", .not_before = "since"},
    {.field = "status", .required = true},
    {.field = "note", .text = resource::kNoteText},
};

constexpr api::FilterField kFilters[] = {
    {"organization", true, false, resource::ReferenceFilter, kOrganizationPattern,
     "r.organization_id = $"},
    {"partner", true, false, resource::ReferenceFilter, kPartnerPattern, "r.partner_id = $"},
    {"status", true, false, resource::EnumFilter<v1::PartnershipStatus>, "", "r.status = $"},
};

constexpr resource::StoredTable kTable = {
    .names = {"partnership", "partnership", "organizations.partnerships", kPartnershipPattern},
    .columns = kColumns,
    .filters = kFilters,
};

}  // namespace

CAUNOI_DEFINE_STANDARD_RESOURCE(Partnership, kPartnershipSpec, kPartnershipList, kTable, nullptr,
                                nullptr);

}  // namespace caunoi::organizations
