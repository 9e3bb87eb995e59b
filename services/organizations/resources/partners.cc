// Partners abroad: embassies, international and foreign people's
// organizations, overseas Vietnamese associations, individuals.
#include "services/organizations/resources/resource_helpers.h"
#include "services/organizations/resources/resources.h"

namespace caunoi::organizations {
namespace {

constexpr resource::ConstraintRule kConstraints[] = {
    {"partner_country_exists", "partner.country", absl::StatusCode::kInvalidArgument,
     "no such country; create it first (ISO 3166-1 alpha-2 code)"},
};

constexpr resource::Column kColumns[] = {
    {.field = "display_name", .required = true},
    {.field = "kind", .required = true},
    {.field = "country", .pattern = kCountryPattern, .column = "country_code"},
    {.field = "note", .text = resource::kNoteText},
};

// Every partner but an international organization belongs to a country.
absl::Status Validate(const v1::Partner& partner) {
  if (partner.kind() != v1::PARTNER_KIND_INTERNATIONAL_ORGANIZATION && partner.country().empty()) {
    return InvalidFieldError("partner.country", "is required");
  }
  return absl::OkStatus();
}

constexpr api::FilterField kFilters[] = {
    {"kind", true, false, resource::EnumFilter<v1::PartnerKind>, "", "r.kind = $"},
    {"country", true, false, resource::ReferenceFilter, kCountryPattern, "r.country_code = $"},
    {"country_tier", true, false, resource::EnumFilter<v1::CountryTier>, "",
     "EXISTS (SELECT 1 FROM organizations.countries c WHERE c.code = r.country_code"
     " AND organizations.has_tier(c.tiers, $, " CAUNOI_TODAY "))"},
    {"display_name", false, true, resource::SearchFilter, "",
     "strpos(r.search_name, organizations.fold_text($)) > 0"},
};

constexpr resource::StoredTable kTable = {
    .names = {"partner", "partner", "organizations.partners", kPartnerPattern},
    .columns = kColumns,
    .constraints = kConstraints,
    .filters = kFilters,
};

}  // namespace

CAUNOI_DEFINE_STANDARD_RESOURCE(Partner, kPartnerSpec, kPartnerList, kTable, Validate, nullptr);

}  // namespace caunoi::organizations
