// Partner countries and their relationship tiers over time.
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/organizations/resources/resource_helpers.h"
#include "services/organizations/resources/resources.h"

namespace caunoi::organizations {
namespace {

constexpr resource::ConstraintRule kConstraints[] = {
    {"countries_pkey", "country.code", absl::StatusCode::kAlreadyExists,
     "a country with this code already exists"},
    {"organization_country_exists", "country", absl::StatusCode::kInvalidArgument, "",
     "the country is still the partner country of an organization"},
    {"partner_country_exists", "country", absl::StatusCode::kInvalidArgument, "",
     "the country is still the country of a partner"},
};

absl::Status Validate(const v1::Country& country) {
  const absl::string_view code = country.code();
  if (code.size() != 2 || !absl::ascii_isupper(code[0]) || !absl::ascii_isupper(code[1])) {
    return InvalidFieldError("country.code",
                             "must be an ISO 3166-1 alpha-2 code in capitals, e.g. \"JP\"");
  }
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
std::string TiersJson(const google::protobuf::Message& resource) {
  const auto& country = static_cast<const v1::Country&>(resource);
  std::vector<std::string> spans;
  for (const v1::CountryTierSpan& span : country.tiers()) {
    spans.push_back(absl::StrCat("{\"tier\": \"", api::EnumToken(span.tier()),
                                 "\", \"since\": ", DateOrNull(span.has_since(), span.since()),
                                 ", \"until\": ", DateOrNull(span.has_until(), span.until()), "}"));
  }
  return absl::StrCat("[", absl::StrJoin(spans, ", "), "]");
}

constexpr api::FilterField kFilterFields[] = {
    {"tier", true, false, resource::EnumFilter<v1::CountryTier>, "",
     "organizations.has_tier(r.tiers, $, " CAUNOI_TODAY ")"},
    {"name", false, true, resource::SearchFilter, "",
     "strpos(r.search_name, organizations.fold_text($)) > 0"},
};

// "-" stands for an unset date.
std::optional<v1::Date> TierDate(absl::string_view text) {
  absl::StatusOr<absl::CivilDay> day = api::ParseIsoDate(text);
  if (text == "-" || !day.ok()) return std::nullopt;
  return api::ToDate(*day);
}

// Read as "TIER since until" joined by ",".
void ReadTiers(absl::string_view stored, google::protobuf::Message& resource) {
  auto& country = static_cast<v1::Country&>(resource);
  for (absl::string_view span_text : absl::StrSplit(stored, ',', absl::SkipEmpty())) {
    std::vector<absl::string_view> parts = absl::StrSplit(span_text, ' ');
    if (parts.size() != 3) continue;
    v1::CountryTierSpan* span = country.add_tiers();
    span->set_tier(
        api::ParseEnumToken<v1::CountryTier>(parts[0]).value_or(v1::COUNTRY_TIER_UNSPECIFIED));
    if (auto since = TierDate(parts[1])) *span->mutable_since() = *since;
    if (auto until = TierDate(parts[2])) *span->mutable_until() = *until;
  }
}

void ReadCurrentTiers(resource::RowReader& row, v1::Country& country) {
  for (absl::string_view tier : absl::StrSplit(row.Text(), ',', absl::SkipEmpty())) {
    country.add_current_tiers(
        api::ParseEnumToken<v1::CountryTier>(tier).value_or(v1::COUNTRY_TIER_UNSPECIFIED));
  }
}

constexpr resource::Column kColumns[] = {
    {.field = "code", .immutable = true},
    {.field = "vietnamese_name", .required = true},
    {.field = "english_name"},
    {.field = "tiers",
     .read = "(SELECT string_agg(concat_ws(' ', t->>'tier', coalesce(t->>'since', '-'),"
             "   coalesce(t->>'until', '-')), ',' ORDER BY n)"
             "   FROM jsonb_array_elements(r.tiers) WITH ORDINALITY AS e(t, n))",
     .encode = TiersJson,
     .decode = ReadTiers},
};

constexpr resource::StoredTable kTable = {
    .names = {"country", "country", "organizations.countries", kCountryPattern},
    .columns = kColumns,
    .constraints = kConstraints,
    .extra_reads = "array_to_string(organizations.tiers_on(r.tiers, " CAUNOI_TODAY "), ',')",
    .read_extra = resource::ReadExtraAs<v1::Country, ReadCurrentTiers>,
    .filters = kFilterFields,
};

}  // namespace

CAUNOI_DEFINE_STANDARD_RESOURCE(Country, kCountrySpec, kCountryList, kTable, Validate, nullptr);

}  // namespace caunoi::organizations
