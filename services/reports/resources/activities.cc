// Activities: exchanges, celebrations, delegations, aid.
#include "caunoi/v1/organizations.pb.h"
#include "common/api/locality_name.h"
#include "services/reports/resources/resources.h"

namespace caunoi::reports {
namespace {

// Lists long enough for any real activity; a longer one is a mistake or
// an attack. Participants above any real gathering, low enough that
// national totals never overflow.
constexpr resource::Column kColumns[] = {
    {.field = "title", .required = true, .text = {.max_chars = 2000}},
    {.field = "start_date", .required = true},
    {.field = "end_date", .not_before = "start_date"},
    {.field = "organizer", .pattern = "organizations/{}"},
    {.field = "locality", .pattern = "localities/{}"},
    // Set by the server whenever locality changes, never by the caller.
    {.field = "current_locality", .pattern = "localities/{}"},
    {.field = "kind", .required = true},
    {.field = "partner_countries",
     .pattern = "countries/{code}",
     .column = "partner_countries",
     .max = 100},
    {.field = "partner_organizations",
     .pattern = "partners/{}",
     .column = "partner_ids",
     .max = 100},
    {.field = "participants", .max = 10'000'000},
    {.field = "documents", .pattern = "directives/{}", .column = "document_ids", .max = 50},
    {.field = "commune",
     .pattern = kCommunePattern,
     .column = "commune_code",
     .read = "r.current_locality_id, r.commune_code"},
};

// `partner_country_tier` is resolved to countries by the handler.
constexpr api::FilterField kFilterFields[] = {
    {"kind", true, false, resource::EnumFilter<v1::ActivityKind>},
    {"locality", true, false, resource::LocalityFilter},
    {"partner_country", true, false, resource::ReferenceFilter, "countries/{code}"},
    {"document", true, false, resource::ReferenceFilter, "directives/{}"},
    {"title", false, true, resource::SearchFilter},
    {"partner_country_tier", true, false, resource::EnumFilter<v1::CountryTier>},
    {"commune", true, false, resource::CommuneFilter},
};

constexpr resource::StoredTable kTable = {
    .names = {"activity", "activity", "reports.activities", kActivityPattern},
    .columns = kColumns,
    // $10: the current unit of the locality filter, $11: the countries
    // holding the partner_country_tier filter's tier today, both resolved
    // by the handler.
    .list =
        "WHERE ($1::bigint IS NULL OR r.id > $1)"
        "  AND ($3::text IS NULL OR r.kind = $3)"
        "  AND ($4::text IS NULL OR r.locality_id = $4 OR r.current_locality_id = $10::text)"
        "  AND ($5::text IS NULL OR r.partner_countries @> ARRAY[$5::text])"
        "  AND ($6::bigint IS NULL OR r.document_ids @> ARRAY[$6::bigint])"
        "  AND ($8::text IS NULL OR r.partner_countries && $11::text[])"
        "  AND ($9::text IS NULL OR r.commune_code = $9)"
        "  AND ($7::text IS NULL OR NOT EXISTS (SELECT 1 FROM unnest("
        "       string_to_array(reports.fold_text($7), ' ')) w"
        "       WHERE w <> '' AND strpos(r.search_title, w) = 0))"
        " ORDER BY r.id LIMIT $2",
    .filters = kFilterFields,
};

}  // namespace

CAUNOI_DEFINE_STANDARD_RESOURCE(Activity, kActivitySpec, kActivityList, kTable, nullptr, nullptr);

std::string CountriesParam(const std::vector<std::string>& codes) {
  return pg::ArrayLiteral(std::span<const std::string>(codes));
}

}  // namespace caunoi::reports
