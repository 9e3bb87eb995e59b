// Activities: exchanges, celebrations, delegations, aid.
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "caunoi/v1/organizations.pb.h"
#include "common/api/locality_name.h"
#include "services/reports/resources/resources.h"

namespace caunoi::reports {
namespace {

#define CAUNOI_ACTIVITY_COLUMNS                                                                 \
  "a.id, a.title, a.start_date::text, a.end_date::text, a.organizer_id, a.locality_id,"         \
  " a.current_locality_id, a.kind, array_to_string(a.partner_countries, ','),"                  \
  " array_to_string(a.partner_ids, ','), a.participants, array_to_string(a.document_ids, ',')," \
  " " CAUNOI_STANDARD_COLUMNS("a")

constexpr absl::string_view kUpdatable[] = {
    "title", "start_date", "end_date", "organizer", "locality", "kind", "partner_countries",
    "partner_organizations", "participants", "documents",
    // Set by the server whenever locality changes, never by the caller.
    "current_locality"};

// Enough for any real activity; a longer list is a mistake or an attack.
constexpr int kMaxPartners = 100;
constexpr int kMaxDocuments = 50;

absl::Status Validate(const v1::Activity& activity) {
  CAUNOI_RETURN_IF_ERROR(
      api::ValidateText(activity.title(), "activity.title", {.required = true, .max_chars = 2000}));
  if (!activity.has_start_date()) return InvalidFieldError("activity.start_date", "is required");
  CAUNOI_RETURN_IF_ERROR(api::ToCivilDay(activity.start_date(), "activity.start_date").status());
  CAUNOI_RETURN_IF_ERROR(resource::ValidateOptionalDate(activity.has_end_date(),
                                                        activity.end_date(), "activity.end_date"));
  CAUNOI_RETURN_IF_ERROR(resource::ValidateSpan(true, activity.start_date(),
                                                activity.has_end_date(), activity.end_date(),
                                                "activity.end_date"));
  CAUNOI_RETURN_IF_ERROR(
      ValidateReference(activity.organizer(), "organizations/{}", "activity.organizer", false));
  if (!activity.locality().empty()) {
    CAUNOI_RETURN_IF_ERROR(ParseLocalityName(activity.locality(), "activity.locality").status());
  }
  CAUNOI_RETURN_IF_ERROR(ValidateEnum(activity.kind(), "activity.kind"));
  CAUNOI_RETURN_IF_ERROR(ValidateReferenceList(activity.partner_countries(), "countries/{code}",
                                               "activity.partner_countries", kMaxPartners));
  CAUNOI_RETURN_IF_ERROR(ValidateReferenceList(activity.partner_organizations(), "partners/{}",
                                               "activity.partner_organizations", kMaxPartners));
  CAUNOI_RETURN_IF_ERROR(ValidateReferenceList(activity.documents(), "directives/{}",
                                               "activity.documents", kMaxDocuments));
  // Above any real gathering, low enough that national totals never
  // overflow.
  constexpr int64_t kMaxParticipants = 10'000'000;
  if (activity.participants() < 0 || activity.participants() > kMaxParticipants) {
    return InvalidFieldError("activity.participants", "must be 0 to 10000000");
  }
  return absl::OkStatus();
}

std::vector<pg::Param> Columns(const v1::Activity& activity) {
  resource::Params params;
  params.Text(activity.title())
      .Date(activity.start_date(), true)
      .Date(activity.end_date(), activity.has_end_date())
      .Append({IdParam(activity.organizer())});
  if (activity.locality().empty()) {
    params.Null().Null();
  } else {
    params.Text(*ParseLocalityName(activity.locality(), "activity.locality"))
        .TextOrNull(api::ResourceId(activity.current_locality()));
  }
  params.Text(api::EnumToken(activity.kind()))
      .Text(IdArray(activity.partner_countries()))
      .Text(IdArray(activity.partner_organizations()))
      .Int64(activity.participants())
      .Text(IdArray(activity.documents()));
  return params.Take();
}

enum FilterParam { kKind, kLocality, kCountry, kDocument, kTitle, kCount };

// `partner_country_tier` is resolved to countries by the handler.
constexpr api::FilterField kFilterFields[] = {
    {"kind", true, false},     {"locality", true, false}, {"partner_country", true, false},
    {"document", true, false}, {"title", false, true},    {"partner_country_tier", true, false}};

absl::StatusOr<std::vector<pg::Param>> FilterParams(const std::vector<api::FilterTerm>& terms) {
  std::vector<pg::Param> params(kCount);
  for (const api::FilterTerm& term : terms) {
    if (term.field == "kind") {
      CAUNOI_ASSIGN_OR_RETURN(params[kKind], EnumFilter<v1::ActivityKind>(term));
    } else if (term.field == "locality") {
      CAUNOI_ASSIGN_OR_RETURN(params[kLocality], ParseLocalityName(term.value, "filter"));
    } else if (term.field == "partner_country") {
      CAUNOI_ASSIGN_OR_RETURN(params[kCountry], ReferenceFilter(term, "countries/{code}"));
    } else if (term.field == "document") {
      CAUNOI_ASSIGN_OR_RETURN(params[kDocument], ReferenceFilter(term, "directives/{}"));
    } else if (term.field == "partner_country_tier") {
      CAUNOI_RETURN_IF_ERROR(EnumFilter<v1::CountryTier>(term).status());
    } else {
      CAUNOI_ASSIGN_OR_RETURN(params[kTitle], resource::SearchFilter(term));
    }
  }
  return params;
}

void AddAll(absl::string_view ids, absl::string_view collection,
            google::protobuf::RepeatedPtrField<std::string>* names) {
  for (absl::string_view id : absl::StrSplit(ids, ',', absl::SkipEmpty())) {
    *names->Add() = absl::StrCat(collection, id);
  }
}

}  // namespace

v1::Activity ActivityFromRow(resource::RowReader& row) {
  v1::Activity activity;
  activity.set_name(absl::StrCat("activities/", row.Text()));
  activity.set_title(row.Text());
  if (auto date = row.OptionalDate()) *activity.mutable_start_date() = *date;
  if (auto date = row.OptionalDate()) *activity.mutable_end_date() = *date;
  if (auto id = row.OptionalText()) activity.set_organizer(absl::StrCat("organizations/", *id));
  if (auto id = row.OptionalText()) activity.set_locality(LocalityName(*id));
  if (auto id = row.OptionalText()) activity.set_current_locality(LocalityName(*id));
  activity.set_kind(EnumFromRow<v1::ActivityKind>(row));
  AddAll(row.Text(), "countries/", activity.mutable_partner_countries());
  AddAll(row.Text(), "partners/", activity.mutable_partner_organizations());
  activity.set_participants(row.Int64());
  AddAll(row.Text(), "directives/", activity.mutable_documents());
  ReadStandardColumns(row, activity);
  return activity;
}

const resource::ResourceSpec<v1::Activity> kActivitySpec = {
    .table =
        {
            .pattern = kActivityPattern,
            .select = {"activity_get", "SELECT " CAUNOI_ACTIVITY_COLUMNS
                                       " FROM reports.activities a WHERE a.id = $1"},
            .insert = {"activity_insert",
                       "INSERT INTO reports.activities (title, start_date, end_date,"
                       " organizer_id, locality_id, current_locality_id, kind,"
                       " partner_countries, partner_ids, participants, document_ids)"
                       " VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text[], $9::bigint[], $10,"
                       " $11::bigint[]) RETURNING id"},
            .update = {"activity_update",
                       "UPDATE reports.activities SET title = $3, start_date = $4,"
                       " end_date = $5, organizer_id = $6, locality_id = $7,"
                       " current_locality_id = $8, kind = $9, partner_countries = $10::text[],"
                       " partner_ids = $11::bigint[], participants = $12,"
                       " document_ids = $13::bigint[], revision = revision + 1,"
                       " update_time = now() WHERE id = $1 AND revision = $2 RETURNING id"},
            .remove = {"activity_delete",
                       "DELETE FROM reports.activities WHERE id = $1 AND revision = $2"
                       " RETURNING id"},
            .from_row = ActivityFromRow,
            .constraints = {},
        },
    .field = "activity",
    .updatable = kUpdatable,
    .validate = Validate,
    .columns = Columns,
};

// $8: the current unit of the locality filter, $9: the countries holding the
// partner_country_tier filter's tier today, both resolved by the handler.
const resource::ListSpec kActivityList = {
    .statement = {"activity_list",
                  "SELECT " CAUNOI_ACTIVITY_COLUMNS " FROM reports.activities a"
                  " WHERE ($1::bigint IS NULL OR a.id > $1)"
                  "   AND ($3::text IS NULL OR a.kind = $3)"
                  "   AND ($4::text IS NULL OR a.locality_id = $4"
                  "        OR a.current_locality_id = $8::text)"
                  "   AND ($5::text IS NULL OR a.partner_countries @> ARRAY[$5::text])"
                  "   AND ($6::bigint IS NULL OR a.document_ids @> ARRAY[$6::bigint])"
                  "   AND ($9::text[] IS NULL OR a.partner_countries && $9::text[])"
                  "   AND ($7::text IS NULL OR NOT EXISTS (SELECT 1 FROM unnest("
                  "        string_to_array(reports.fold_text($7), ' ')) w"
                  "        WHERE w <> '' AND strpos(a.search_title, w) = 0))"
                  " ORDER BY a.id LIMIT $2"},
    .filter_fields = kFilterFields,
    .filter_params = FilterParams,
};

std::string CountriesParam(const std::vector<std::string>& codes) {
  return pg::ArrayLiteral(std::span<const std::string>(codes));
}

}  // namespace caunoi::reports
