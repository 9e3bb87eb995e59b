// Partner countries and their relationship tiers over time.
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/organizations/resources/resource_helpers.h"
#include "services/organizations/resources/resources.h"

namespace caunoi::organizations {
namespace {

// Tiers render as "TIER since until" joined by ",", "-" for an unset date.
#define CAUNOI_COUNTRY_COLUMNS                                                 \
  "c.code, c.vietnamese_name, c.english_name,"                                 \
  " (SELECT string_agg(concat_ws(' ', t->>'tier', coalesce(t->>'since', '-')," \
  "   coalesce(t->>'until', '-')), ',' ORDER BY n)"                            \
  "   FROM jsonb_array_elements(c.tiers) WITH ORDINALITY AS e(t, n)),"         \
  " array_to_string(organizations.tiers_on(c.tiers, " CAUNOI_TODAY             \
  "), ','), " CAUNOI_STANDARD_COLUMNS("c")

constexpr resource::ConstraintRule kConstraints[] = {
    {"countries_pkey", "country.code", absl::StatusCode::kAlreadyExists,
     "a country with this code already exists"},
    {"organization_country_exists", "country", absl::StatusCode::kInvalidArgument, "",
     "the country is still the partner country of an organization"},
    {"partner_country_exists", "country", absl::StatusCode::kInvalidArgument, "",
     "the country is still the country of a partner"},
};

constexpr absl::string_view kUpdatable[] = {"vietnamese_name", "english_name", "tiers"};

absl::Status Validate(const v1::Country& country) {
  const absl::string_view code = country.code();
  if (code.size() != 2 || !absl::ascii_isupper(code[0]) || !absl::ascii_isupper(code[1])) {
    return InvalidFieldError("country.code",
                             "must be an ISO 3166-1 alpha-2 code in capitals, e.g. \"JP\"");
  }
  CAUNOI_RETURN_IF_ERROR(
      api::ValidateText(country.vietnamese_name(), "country.vietnamese_name", {.required = true}));
  CAUNOI_RETURN_IF_ERROR(api::ValidateText(country.english_name(), "country.english_name", {}));
  // A country's tiers over decades are a handful of spans.
  constexpr int kMaxTierSpans = 50;
  if (country.tiers_size() > kMaxTierSpans) {
    return InvalidFieldError("country.tiers", "holds more than 50 spans");
  }
  for (int i = 0; i < country.tiers_size(); ++i) {
    const v1::CountryTierSpan& span = country.tiers(i);
    const std::string field = absl::StrCat("country.tiers[", i, "]");
    CAUNOI_RETURN_IF_ERROR(resource::ValidateEnum(span.tier(), absl::StrCat(field, ".tier")));
    CAUNOI_RETURN_IF_ERROR(resource::ValidateOptionalDate(span.has_since(), span.since(),
                                                          absl::StrCat(field, ".since")));
    CAUNOI_RETURN_IF_ERROR(resource::ValidateOptionalDate(span.has_until(), span.until(),
                                                          absl::StrCat(field, ".until")));
    CAUNOI_RETURN_IF_ERROR(resource::ValidateSpan(span.has_since(), span.since(), span.has_until(),
                                                  span.until(), absl::StrCat(field, ".until")));
  }
  return absl::OkStatus();
}

std::string DateOrNull(bool present, const v1::Date& date) {
  return present ? absl::StrCat("\"", api::FormatIsoDate(api::ToCivilDayUnchecked(date)), "\"")
                 : "null";
}

// Tokens and dates need no JSON escaping.
std::string TiersJson(const v1::Country& country) {
  std::vector<std::string> spans;
  for (const v1::CountryTierSpan& span : country.tiers()) {
    spans.push_back(absl::StrCat("{\"tier\": \"", api::EnumToken(span.tier()),
                                 "\", \"since\": ", DateOrNull(span.has_since(), span.since()),
                                 ", \"until\": ", DateOrNull(span.has_until(), span.until()), "}"));
  }
  return absl::StrCat("[", absl::StrJoin(spans, ", "), "]");
}

std::vector<pg::Param> Columns(const v1::Country& country) {
  resource::Params params;
  params.Text(country.code())
      .Text(country.vietnamese_name())
      .Text(country.english_name())
      .Text(TiersJson(country));
  return params.Take();
}

constexpr api::FilterField kFilterFields[] = {
    {"tier", true, false, resource::EnumFilter<v1::CountryTier>},
    {"name", false, true, resource::SearchFilter},
};

// "-" stands for an unset date.
std::optional<v1::Date> TierDate(absl::string_view text) {
  absl::StatusOr<absl::CivilDay> day = api::ParseIsoDate(text);
  if (text == "-" || !day.ok()) return std::nullopt;
  return api::ToDate(*day);
}

}  // namespace

v1::Country CountryFromRow(resource::RowReader& row) {
  v1::Country country;
  country.set_code(row.Text());
  country.set_name(api::FormatResourceName(kCountryPattern, {country.code()}));
  country.set_vietnamese_name(row.Text());
  country.set_english_name(row.Text());
  for (absl::string_view span_text : absl::StrSplit(row.Text(), ',', absl::SkipEmpty())) {
    std::vector<absl::string_view> parts = absl::StrSplit(span_text, ' ');
    if (parts.size() != 3) continue;
    v1::CountryTierSpan* span = country.add_tiers();
    span->set_tier(
        api::ParseEnumToken<v1::CountryTier>(parts[0]).value_or(v1::COUNTRY_TIER_UNSPECIFIED));
    if (auto since = TierDate(parts[1])) *span->mutable_since() = *since;
    if (auto until = TierDate(parts[2])) *span->mutable_until() = *until;
  }
  for (absl::string_view tier : absl::StrSplit(row.Text(), ',', absl::SkipEmpty())) {
    country.add_current_tiers(
        api::ParseEnumToken<v1::CountryTier>(tier).value_or(v1::COUNTRY_TIER_UNSPECIFIED));
  }
  resource::ReadStandardColumns(row, country);
  return country;
}

const resource::ResourceSpec<v1::Country> kCountrySpec = {
    .table =
        {
            .pattern = kCountryPattern,
            .select = {"country_get", "SELECT " CAUNOI_COUNTRY_COLUMNS
                                      " FROM organizations.countries c WHERE c.code = $1"},
            .insert = {"country_insert",
                       "INSERT INTO organizations.countries"
                       " (code, vietnamese_name, english_name, tiers)"
                       " VALUES ($1, $2, $3, $4::jsonb) RETURNING code"},
            .update = {"country_update",
                       "UPDATE organizations.countries SET vietnamese_name = $4,"
                       " english_name = $5, tiers = $6::jsonb, revision = revision + 1,"
                       " update_time = now()"
                       " WHERE code = $1 AND revision = $2 AND code = $3 RETURNING code"},
            .remove = {"country_delete",
                       "DELETE FROM organizations.countries WHERE code = $1 AND revision = $2"
                       " RETURNING code"},
            .from_row = CountryFromRow,
            .constraints = kConstraints,
        },
    .field = "country",
    .updatable = kUpdatable,
    .validate = Validate,
    .columns = Columns,
};

const resource::ListSpec kCountryList = {
    .statement = {"country_list",
                  "SELECT " CAUNOI_COUNTRY_COLUMNS " FROM organizations.countries c"
                  " WHERE ($1::text IS NULL OR c.code > $1)"
                  "   AND ($3::text IS NULL OR organizations.has_tier(c.tiers, $3, " CAUNOI_TODAY
                  "))"
                  "   AND ($4::text IS NULL OR"
                  "        strpos(c.search_name, organizations.fold_text($4)) > 0)"
                  " ORDER BY c.code LIMIT $2"},
    .filter_fields = kFilterFields,
};

}  // namespace caunoi::organizations
