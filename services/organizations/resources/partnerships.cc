// Standing relationships between our organizations and partners abroad.
#include "services/organizations/resources/resource_helpers.h"
#include "services/organizations/resources/resources.h"

namespace caunoi::organizations {
namespace {

#define CAUNOI_PARTNERSHIP_COLUMNS                                                  \
  "p.id, p.organization_id, p.partner_id, p.since::text, p.until::text, p.status, " \
  "p.note, " CAUNOI_STANDARD_COLUMNS("p")

constexpr resource::ConstraintRule kConstraints[] = {
    {"partnership_organization_exists", "partnership.organization", absl::StatusCode::kNotFound,
     "the organization does not exist"},
    {"partnership_partner_exists", "partnership.partner", absl::StatusCode::kNotFound,
     "the partner does not exist"},
};

constexpr resource::Column kColumns[] = {{"organization", kOrganizationPattern},
                                         {"partner", kPartnerPattern},
                                         {"since"},
                                         {"until"},
                                         {"status"},
                                         {"note"}};
constexpr auto kUpdatable = resource::FieldsOf(kColumns);

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

v1::Partnership PartnershipFromRow(resource::RowReader& row) {
  v1::Partnership partnership;
  partnership.set_name(api::FormatResourceName(kPartnershipPattern, {row.Text()}));
  resource::ReadColumns(row, partnership, kColumns);
  ReadStandardColumns(row, partnership);
  return partnership;
}

const resource::ResourceSpec<v1::Partnership> kPartnershipSpec = {
    .table =
        {
            .pattern = kPartnershipPattern,
            .select = {"partnership_get", "SELECT " CAUNOI_PARTNERSHIP_COLUMNS
                                          " FROM organizations.partnerships p WHERE p.id = $1"},
            .insert = {"partnership_insert",
                       "INSERT INTO organizations.partnerships (organization_id, partner_id,"
                       " since, until, status, note) VALUES ($1, $2, $3, $4, $5, $6)"
                       " RETURNING id"},
            .update = {"partnership_update",
                       "UPDATE organizations.partnerships SET organization_id = $3,"
                       " partner_id = $4, since = $5, until = $6, status = $7, note = $8,"
                       " revision = revision + 1, update_time = now()"
                       " WHERE id = $1 AND revision = $2 RETURNING id"},
            .remove = {"partnership_delete",
                       "DELETE FROM organizations.partnerships WHERE id = $1 AND revision = $2"
                       " RETURNING id"},
            .from_row = PartnershipFromRow,
            .constraints = kConstraints,
        },
    .field = "partnership",
    .updatable = kUpdatable,
    .validate = Validate,
    .columns = resource::ColumnsOf<v1::Partnership, kColumns>,
};

const resource::ListSpec kPartnershipList = {
    .statement = {"partnership_list",
                  "SELECT " CAUNOI_PARTNERSHIP_COLUMNS " FROM organizations.partnerships p"
                  " WHERE ($1::bigint IS NULL OR p.id > $1)"
                  "   AND ($3::bigint IS NULL OR p.organization_id = $3)"
                  "   AND ($4::bigint IS NULL OR p.partner_id = $4)"
                  "   AND ($5::text IS NULL OR p.status = $5)"
                  " ORDER BY p.id LIMIT $2"},
    .filter_fields = kFilterFields,
};

}  // namespace caunoi::organizations
