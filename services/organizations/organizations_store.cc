#include "services/organizations/organizations_store.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/api/dates.h"
#include "common/pg/transaction.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"

namespace caunoi::organizations {
namespace {

// The columns every locality query returns, in the order RowToLocality reads.
#define CAUNOI_LOCALITY_COLUMNS                                                    \
  "l.id, l.code, l.display_name, l.kind, l.valid_from::text, l.valid_until::text," \
  " l.successor_id,"                                                               \
  " (SELECT string_agg(p.id, ',' ORDER BY p.code) FROM organizations.localities p" \
  "   WHERE p.successor_id = l.id)"

constexpr pg::Statement kGetLocality{"get_locality",
                                     "SELECT " CAUNOI_LOCALITY_COLUMNS
                                     " FROM organizations.localities l WHERE l.id = $1"};

constexpr pg::Statement kListLocalities{
    "list_localities",
    "SELECT " CAUNOI_LOCALITY_COLUMNS
    " FROM organizations.localities l"
    " WHERE ($1::text IS NULL OR l.kind = $1)"
    "   AND ($2::text IS NULL OR l.code = $2)"
    "   AND ($3::text IS NULL OR l.successor_id = $3)"
    "   AND ($4::text IS NULL OR strpos(l.search_name, organizations.fold_text($4)) > 0)"
    "   AND ($5::bool OR l.valid_until IS NULL)"
    "   AND ($6::text IS NULL OR (l.code, l.id) > ($6, $7::text))"
    " ORDER BY l.code, l.id"
    " LIMIT $8"};

// The unit a code denoted on a date, or else the latest unit that bore it
// (to explain why the code no longer applies).
constexpr pg::Statement kResolveCode{
    "resolve_locality_code", "SELECT " CAUNOI_LOCALITY_COLUMNS
                             ", (l.valid_from IS NULL OR l.valid_from <= $2::date)"
                             "  AND (l.valid_until IS NULL OR $2::date < l.valid_until) AS in_force"
                             " FROM organizations.localities l WHERE l.code = $1"
                             " ORDER BY in_force DESC, l.valid_from DESC NULLS LAST LIMIT 1"};

#undef CAUNOI_LOCALITY_COLUMNS

// Positions of CAUNOI_LOCALITY_COLUMNS, then the extra column of kResolveCode.
enum Column {
  kId,
  kCode,
  kDisplayName,
  kKind,
  kValidFrom,
  kValidUntil,
  kSuccessorId,
  kPredecessorIds,
  kInForce,
};

absl::StatusOr<v1::Locality> RowToLocality(const pg::Result& result, int row) {
  v1::Locality locality;
  locality.set_name(LocalityName(result.Text(row, kId)));
  locality.set_code(std::string(result.Text(row, kCode)));
  locality.set_display_name(std::string(result.Text(row, kDisplayName)));
  locality.set_kind(result.Text(row, kKind) == "city" ? v1::LOCALITY_KIND_CITY
                                                      : v1::LOCALITY_KIND_PROVINCE);
  if (!result.IsNull(row, kValidFrom)) {
    CAUNOI_ASSIGN_OR_RETURN(absl::CivilDay from, api::ParseIsoDate(result.Text(row, kValidFrom)));
    *locality.mutable_valid_from() = api::ToDate(from);
  }
  if (!result.IsNull(row, kValidUntil)) {
    CAUNOI_ASSIGN_OR_RETURN(absl::CivilDay until, api::ParseIsoDate(result.Text(row, kValidUntil)));
    *locality.mutable_valid_until() = api::ToDate(until);
  }
  locality.set_current(result.IsNull(row, kValidUntil));
  if (!result.IsNull(row, kSuccessorId))
    locality.set_successor(LocalityName(result.Text(row, kSuccessorId)));
  if (!result.IsNull(row, kPredecessorIds)) {
    for (absl::string_view id : absl::StrSplit(result.Text(row, kPredecessorIds), ',')) {
      locality.add_predecessors(LocalityName(id));
    }
  }
  return locality;
}

pg::TransactionOptions ReadOnly(absl::Time deadline) {
  return pg::TransactionOptions{.read_only = true, .deadline = deadline};
}

absl::StatusOr<v1::Locality> GetLocalityIn(pg::Connection& connection, absl::string_view id) {
  CAUNOI_ASSIGN_OR_RETURN(pg::Result result, connection.Execute(kGetLocality, {std::string(id)}));
  if (result.rows() == 0) {
    return ErrorWithReason(absl::StatusCode::kNotFound,
                           absl::StrCat("locality \"", LocalityName(id), "\" does not exist"),
                           "LOCALITY_NOT_FOUND", {{"name", LocalityName(id)}});
  }
  return RowToLocality(result, 0);
}

}  // namespace

absl::StatusOr<v1::Locality> OrganizationsStore::GetLocality(absl::string_view id,
                                                             absl::Time deadline) {
  return pg::Transact<v1::Locality>(pool_, ReadOnly(deadline), [&](pg::Connection& connection) {
    return GetLocalityIn(connection, id);
  });
}

absl::StatusOr<std::vector<v1::Locality>> OrganizationsStore::ListLocalities(
    const LocalityQuery& query, absl::Time deadline) {
  std::vector<pg::Param> params = {
      query.kind,
      query.code,
      query.successor_id,
      query.name_contains,
      query.include_superseded ? "true" : "false",
      query.after ? pg::Param(query.after->first) : std::nullopt,
      query.after ? pg::Param(query.after->second) : std::nullopt,
      absl::StrCat(query.page_size + 1),
  };
  return pg::Transact<std::vector<v1::Locality>>(
      pool_, ReadOnly(deadline),
      [&](pg::Connection& connection) -> absl::StatusOr<std::vector<v1::Locality>> {
        CAUNOI_ASSIGN_OR_RETURN(pg::Result result, connection.Execute(kListLocalities, params));
        std::vector<v1::Locality> localities;
        localities.reserve(result.rows());
        for (int row = 0; row < result.rows(); ++row) {
          CAUNOI_ASSIGN_OR_RETURN(v1::Locality locality, RowToLocality(result, row));
          localities.push_back(std::move(locality));
        }
        return localities;
      });
}

absl::StatusOr<LocalityResolution> OrganizationsStore::ResolveLocalityCode(absl::string_view code,
                                                                           absl::CivilDay as_of,
                                                                           absl::Time deadline) {
  const std::string date = api::FormatIsoDate(as_of);
  return pg::Transact<LocalityResolution>(
      pool_, ReadOnly(deadline),
      [&](pg::Connection& connection) -> absl::StatusOr<LocalityResolution> {
        CAUNOI_ASSIGN_OR_RETURN(pg::Result result,
                                connection.Execute(kResolveCode, {std::string(code), date}));
        if (result.rows() == 0) {
          return ErrorWithReason(absl::StatusCode::kNotFound,
                                 absl::StrCat("locality code ", code, " has never been in use"),
                                 "LOCALITY_CODE_UNKNOWN", {{"code", std::string(code)}});
        }
        CAUNOI_ASSIGN_OR_RETURN(v1::Locality unit, RowToLocality(result, 0));
        const std::optional<std::string> successor_id = result.OptionalText(0, kSuccessorId);
        const bool in_force = result.Bool(0, kInForce);
        if (!in_force && !successor_id.has_value()) {
          return ErrorWithReason(absl::StatusCode::kNotFound,
                                 absl::StrCat("locality code ", code, " was not in use on ", date),
                                 "LOCALITY_CODE_UNKNOWN", {{"code", std::string(code)}});
        }
        LocalityResolution resolution;
        if (successor_id.has_value()) {
          CAUNOI_ASSIGN_OR_RETURN(resolution.current, GetLocalityIn(connection, *successor_id));
        } else {
          resolution.current = unit;
        }
        if (!in_force) {
          return ErrorWithReason(
              absl::StatusCode::kNotFound,
              absl::StrCat("locality code ", code, " was not in use on ", date, ": it denoted ",
                           unit.display_name(), " until ",
                           api::FormatIsoDate(api::ToCivilDayUnchecked(unit.valid_until()) - 1),
                           ", now part of ", resolution.current.name(), " (",
                           resolution.current.display_name(), ")"),
              "LOCALITY_CODE_RETIRED",
              {{"code", std::string(code)}, {"successor", resolution.current.name()}});
        }
        resolution.locality = std::move(unit);
        return resolution;
      });
}

}  // namespace caunoi::organizations
