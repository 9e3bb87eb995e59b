// Standing relationships between our organizations and partners abroad.
#include "services/organizations/resources/resource_helpers.h"
#include "services/organizations/resources/resources.h"

namespace caunoi::organizations {
namespace {

constexpr resource::Column kColumns[] = {{"organization", kOrganizationPattern},
                                         {"partner", kPartnerPattern},
                                         {"since"},
                                         {"until"},
                                         {"status"},
                                         {"note"}};
constexpr resource::StoredTable kTable = {.key = "partnership",
                                          .field = "partnership",
                                          .table = "organizations.partnerships",
                                          .pattern = kPartnershipPattern,
                                          .columns = kColumns};

absl::Status Validate(const v1::Partnership& partnership) {
  CAUNOI_RETURN_IF_ERROR(ValidateReference(partnership.organization(), kOrganizationPattern,
                                           "partnership.organization", true));
  CAUNOI_RETURN_IF_ERROR(
      ValidateReference(partnership.partner(), kPartnerPattern, "partnership.partner", true));
  CAUNOI_RETURN_IF_ERROR(
      ValidateOptionalDate(partnership.has_since(), partnership.since(), "partnership.since"));
  CAUNOI_RETURN_IF_ERROR(
      ValidateOptionalDate(partnership.has_until(), partnership.until(), "partnership.until"));
  CAUNOI_RETURN_IF_ERROR(ValidateSpan(partnership.has_since(), partnership.since(),
                                      partnership.has_until(), partnership.until(),
                                      "partnership.until"));
  CAUNOI_RETURN_IF_ERROR(ValidateEnum(partnership.status(), "partnership.status"));
  return api::ValidateText(partnership.note(), "partnership.note",
                           {.max_chars = api::kMaxNoteChars, .multiline = true});
}

constexpr api::FilterField kFilterFields[] = {
    {"organization", true, false, ReferenceFilter, kOrganizationPattern},
    {"partner", true, false, ReferenceFilter, kPartnerPattern},
    {"status", true, false, EnumFilter<v1::PartnershipStatus>},
};

}  // namespace

const resource::ResourceSpec<v1::Partnership> kPartnershipSpec =
    resource::StandardSpec<v1::Partnership, kTable>({.validate = Validate});

const resource::ListSpec kPartnershipList = {
    .statement = resource::ListStatementOf<v1::Partnership, kTable>(
        "WHERE ($1::bigint IS NULL OR r.id > $1)"
        "  AND ($3::bigint IS NULL OR r.organization_id = $3)"
        "  AND ($4::bigint IS NULL OR r.partner_id = $4)"
        "  AND ($5::text IS NULL OR r.status = $5)"
        " ORDER BY r.id LIMIT $2"),
    .filter_fields = kFilterFields,
};

}  // namespace caunoi::organizations
