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
    {"organization", true, false, ReferenceFilter, kOrganizationPattern},
    {"partner", true, false, ReferenceFilter, kPartnerPattern},
    {"status", true, false, EnumFilter<v1::PartnershipStatus>},
};

constexpr resource::StoredTable kTable = {
    .names = {"partnership", "partnership", "organizations.partnerships", kPartnershipPattern},
    .columns = kColumns,
    .list =
        "WHERE ($1::bigint IS NULL OR r.id > $1)"
        "  AND ($3::bigint IS NULL OR r.organization_id = $3)"
        "  AND ($4::bigint IS NULL OR r.partner_id = $4)"
        "  AND ($5::text IS NULL OR r.status = $5)"
        " ORDER BY r.id LIMIT $2",
    .filters = kFilters,
};

}  // namespace

const resource::ResourceSpec<v1::Partnership> kPartnershipSpec =
    resource::StandardSpec<v1::Partnership, kTable>();
const resource::ListSpec kPartnershipList = resource::StandardList<v1::Partnership, kTable>();

}  // namespace caunoi::organizations
