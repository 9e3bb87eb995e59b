#ifndef CAUNOI_COMMON_RESOURCE_RESOURCE_HELPERS_H_
#define CAUNOI_COMMON_RESOURCE_RESOURCE_HELPERS_H_

#include <span>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/api/commune_name.h"
#include "common/api/dates.h"
#include "common/api/enum_token.h"
#include "common/api/filter.h"
#include "common/api/locality_name.h"
#include "common/api/resource_name.h"
#include "common/api/text.h"
#include "common/pg/array_literal.h"
#include "common/resource/row.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"

// What resource definitions share: the standard trailing columns, and checks
// of references, enums, dates and filter terms.

// Today in Vietnam (UTC+7, no daylight saving), in SQL.
#define CAUNOI_TODAY "((now() AT TIME ZONE 'UTC') + interval '7 hours')::date"

namespace caunoi::resource {

// Every table ends its SELECT list with these, read by ReadStandardColumns.
#define CAUNOI_STANDARD_COLUMNS(t) \
  t ".revision, " CAUNOI_MICROS(t ".create_time") ", " CAUNOI_MICROS(t ".update_time")

template <typename M>
void ReadStandardColumns(RowReader& row, M& message) {
  message.set_etag(absl::StrCat(row.Int64()));
  row.Timestamp(message.mutable_create_time());
  row.Timestamp(message.mutable_update_time());
}

// A resource kept when deleted (AIP-164) ends its SELECT list with this
// too, read by ReadDeleteTime.
#define CAUNOI_DELETE_TIME_COLUMN(t) CAUNOI_MICROS(t ".delete_time")

template <typename M>
void ReadDeleteTime(RowReader& row, M& message) {
  if (row.NextIsNull()) {
    row.Skip(1);
    return;
  }
  row.Timestamp(message.mutable_delete_time());
}

// A reference to another resource: empty is allowed unless `required`.
inline absl::Status ValidateReference(absl::string_view name, absl::string_view pattern,
                                      absl::string_view field, bool required) {
  if (name.empty() && !required) return absl::OkStatus();
  return api::ParseResourceName(name, pattern, field).status();
}

// A list of references ("document.parents"): at most `max_items`, checked
// before anything else is, each a name of `pattern`, none twice.
// INVALID_ARGUMENT naming the list, or the item ("document.parents[3]").
template <typename Names>
absl::Status ValidateReferenceList(const Names& names, absl::string_view pattern,
                                   absl::string_view field, int max_items) {
  if (names.size() > max_items) {
    return InvalidFieldError(field,
                             absl::StrCat("holds ", names.size(), " names; at most ", max_items));
  }
  absl::flat_hash_set<absl::string_view> seen;
  for (int i = 0; i < names.size(); ++i) {
    const std::string item = absl::StrCat(field, "[", i, "]");
    CAUNOI_RETURN_IF_ERROR(ValidateReference(names[i], pattern, item, true));
    if (!seen.insert(names[i]).second) return InvalidFieldError(item, "is listed twice");
  }
  return absl::OkStatus();
}

// The id of a validated locality name ("localities/pre2025-74" ->
// "pre2025-74"), NULL when empty.
inline pg::Param LocalityParam(absl::string_view locality) {
  if (locality.empty()) return std::nullopt;
  return *ParseLocalityName(locality, "locality");
}

// The ids of resource names ("organizations/2" -> 2) as one array literal,
// for a column such as co_operators bigint[].
template <typename Names>
std::string IdArray(const Names& names) {
  std::vector<std::string> ids;
  for (const auto& name : names) ids.emplace_back(api::ResourceId(name));
  return pg::ArrayLiteral(std::span<const std::string>(ids));
}

// The id of a validated reference, NULL when empty.
inline pg::Param IdParam(absl::string_view name) {
  if (name.empty()) return std::nullopt;
  return std::string(api::ResourceId(name));
}

template <typename E>
absl::Status ValidateEnum(E value, absl::string_view field) {
  if (static_cast<int>(value) == 0) return InvalidFieldError(field, "is required");
  if (api::EnumToken(value).empty()) {
    return InvalidFieldError(field, absl::StrCat(static_cast<int>(value), " is not a known value"));
  }
  return absl::OkStatus();
}

// An enum that may be left unset (the server picks a default), but never
// set to a number this API does not know.
template <typename E>
absl::Status ValidateOptionalEnum(E value, absl::string_view field) {
  if (static_cast<int>(value) == 0) return absl::OkStatus();
  return ValidateEnum(value, field);
}

template <typename E>
E EnumFromRow(RowReader& row) {
  return api::ParseEnumToken<E>(row.Text()).value_or(static_cast<E>(0));
}

inline absl::Status ValidateOptionalDate(bool present, const v1::Date& date,
                                         absl::string_view field) {
  if (!present) return absl::OkStatus();
  return api::ToCivilDay(date, field).status();
}

// `until` must not come before `since` when both are set.
inline absl::Status ValidateSpan(bool has_since, const v1::Date& since, bool has_until,
                                 const v1::Date& until, absl::string_view until_field) {
  if (has_since && has_until && api::ToCivilDayUnchecked(until) < api::ToCivilDayUnchecked(since)) {
    return InvalidFieldError(until_field, "is before the start date");
  }
  return absl::OkStatus();
}

// A filter term's value as an enum token, INVALID_ARGUMENT on "filter".
template <typename E>
absl::StatusOr<pg::Param> EnumFilter(const api::FilterTerm& term, absl::string_view = "") {
  std::optional<E> value = api::ParseEnumToken<E>(term.value);
  if (!value.has_value()) {
    return InvalidFieldError(
        "filter", absl::StrCat(term.field, ": \"", term.value, "\" is not a known value"));
  }
  return pg::Param(api::EnumToken(*value));
}

inline absl::StatusOr<pg::Param> ReferenceFilter(const api::FilterTerm& term,
                                                 absl::string_view pattern) {
  CAUNOI_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                          api::ParseResourceName(term.value, pattern, "filter"));
  return pg::Param(ids.back());
}

// A locality ("localities/01") as its id.
inline absl::StatusOr<pg::Param> LocalityFilter(const api::FilterTerm& term,
                                                absl::string_view = "") {
  return ParseLocalityName(term.value, "filter");
}

// A commune ("localities/01/communes/00004") as its code.
inline absl::StatusOr<pg::Param> CommuneFilter(const api::FilterTerm& term,
                                               absl::string_view = "") {
  CAUNOI_ASSIGN_OR_RETURN(CommuneRef commune, ParseCommuneName(term.value, "filter"));
  return pg::Param(commune.code);
}

inline absl::StatusOr<pg::Param> SearchFilter(const api::FilterTerm& term, absl::string_view = "") {
  CAUNOI_RETURN_IF_ERROR(api::ValidateText(term.value, "filter", {.required = true}));
  return pg::Param(term.value);
}

}  // namespace caunoi::resource

#endif  // CAUNOI_COMMON_RESOURCE_RESOURCE_HELPERS_H_
