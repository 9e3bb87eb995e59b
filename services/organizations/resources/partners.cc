// Partners abroad: embassies, international and foreign people's
// organizations, overseas Vietnamese associations, individuals.
#include "services/organizations/resources/resource_helpers.h"
#include "services/organizations/resources/resources.h"

namespace caunoi::organizations {
namespace {

#define CAUNOI_PARTNER_COLUMNS \
  "p.id, p.display_name, p.kind, p.country_code, p.note, " CAUNOI_STANDARD_COLUMNS("p")

constexpr resource::ConstraintRule kConstraints[] = {
    {"partner_country_exists", "partner.country", absl::StatusCode::kInvalidArgument,
     "no such country; create it first (ISO 3166-1 alpha-2 code)"},
    {"partnership_partner_exists", "partner", absl::StatusCode::kNotFound, "",
     "the partner still has partnerships; delete them first"},
};

constexpr resource::Column kColumns[] = {
    {"display_name"}, {"kind"}, {"country", kCountryPattern}, {"note"}};
constexpr auto kUpdatable = resource::FieldsOf(kColumns);

absl::Status Validate(const v1::Partner& partner) {
  CAUNOI_RETURN_IF_ERROR(
      api::ValidateText(partner.display_name(), "partner.display_name", {.required = true}));
  CAUNOI_RETURN_IF_ERROR(ValidateEnum(partner.kind(), "partner.kind"));
  const bool international = partner.kind() == v1::PARTNER_KIND_INTERNATIONAL_ORGANIZATION;
  CAUNOI_RETURN_IF_ERROR(
      ValidateReference(partner.country(), kCountryPattern, "partner.country", !international));
  return api::ValidateText(partner.note(), "partner.note",
                           {.max_chars = api::kMaxNoteChars, .multiline = true});
}

constexpr api::FilterField kFilterFields[] = {
    {"kind", true, false, EnumFilter<v1::PartnerKind>},
    {"country", true, false, ReferenceFilter, kCountryPattern},
    {"country_tier", true, false, EnumFilter<v1::CountryTier>},
    {"display_name", false, true, SearchFilter},
};

}  // namespace

v1::Partner PartnerFromRow(resource::RowReader& row) {
  v1::Partner partner;
  partner.set_name(api::FormatResourceName(kPartnerPattern, {row.Text()}));
  resource::ReadColumns(row, partner, kColumns);
  ReadStandardColumns(row, partner);
  return partner;
}

const resource::ResourceSpec<v1::Partner> kPartnerSpec = {
    .table =
        {
            .pattern = kPartnerPattern,
            .select = {"partner_get", "SELECT " CAUNOI_PARTNER_COLUMNS
                                      " FROM organizations.partners p WHERE p.id = $1"},
            .insert = {"partner_insert",
                       "INSERT INTO organizations.partners (display_name, kind, country_code,"
                       " note) VALUES ($1, $2, $3, $4) RETURNING id"},
            .update = {"partner_update",
                       "UPDATE organizations.partners SET display_name = $3, kind = $4,"
                       " country_code = $5, note = $6, revision = revision + 1,"
                       " update_time = now() WHERE id = $1 AND revision = $2 RETURNING id"},
            .remove = {"partner_delete",
                       "DELETE FROM organizations.partners WHERE id = $1 AND revision = $2"
                       " RETURNING id"},
            .from_row = PartnerFromRow,
            .constraints = kConstraints,
        },
    .field = "partner",
    .updatable = kUpdatable,
    .validate = Validate,
    .columns = resource::ColumnsOf<v1::Partner, kColumns>,
};

const resource::ListSpec kPartnerList = {
    .statement = {"partner_list",
                  "SELECT " CAUNOI_PARTNER_COLUMNS " FROM organizations.partners p"
                  " WHERE ($1::bigint IS NULL OR p.id > $1)"
                  "   AND ($3::text IS NULL OR p.kind = $3)"
                  "   AND ($4::text IS NULL OR p.country_code = $4)"
                  "   AND ($5::text IS NULL OR EXISTS (SELECT 1 FROM organizations.countries c"
                  "     WHERE c.code = p.country_code"
                  "       AND organizations.has_tier(c.tiers, $5, " CAUNOI_TODAY ")))"
                  "   AND ($6::text IS NULL OR"
                  "        strpos(p.search_name, organizations.fold_text($6)) > 0)"
                  " ORDER BY p.id LIMIT $2"},
    .filter_fields = kFilterFields,
};

}  // namespace caunoi::organizations
