#include "services/organizations/organizations_store.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/api/dates.h"
#include "common/pg/transaction.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"
#include "services/organizations/resources/organization_columns.h"
#include "services/organizations/resources/resources.h"

namespace caunoi::organizations {
namespace {

// The columns every locality query returns, in the order RowToLocality reads.
#define CAUNOI_LOCALITY_COLUMNS                                                    \
  "l.id, l.code, l.display_name, l.kind, l.valid_from::text, l.valid_until::text," \
  " l.successor_id,"                                                               \
  " (SELECT string_agg(p.id, ',' ORDER BY p.code) FROM organizations.localities p" \
  "   WHERE p.successor_id = l.id),"                                               \
  " (SELECT count(*) FROM organizations.communes c"                                \
  "   WHERE c.province_id = l.id AND c.valid_until IS NULL)"

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
  kCommunes,
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
  CAUNOI_ASSIGN_OR_RETURN(int64_t communes, result.Int64(row, kCommunes));
  locality.set_communes(static_cast<int32_t>(communes));
  return locality;
}

constexpr pg::Statement kCommuneInForce{
    "commune_in_force",
    "SELECT EXISTS (SELECT 1 FROM organizations.communes c WHERE c.code = $1"
    "  AND (c.valid_from IS NULL OR c.valid_from <= $2::date)"
    "  AND (c.valid_until IS NULL OR $2::date < c.valid_until))"};

// The communes a pre-2025 commune went into, and what it was.
constexpr pg::Statement kCommuneHeirs{
    "commune_heirs",
    "SELECT p.commune_code, p.display_name, p.merge, p.district, p.province_code"
    " FROM organizations.commune_predecessors p WHERE p.code = $1 ORDER BY p.commune_code"};

constexpr pg::Statement kLocalityOn{"locality_on",
                                    "SELECT l.id FROM organizations.localities l WHERE l.code = $1"
                                    "  AND (l.valid_from IS NULL OR l.valid_from <= $2::date)"
                                    "  AND (l.valid_until IS NULL OR $2::date < l.valid_until)"};

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
  return pg::Transact<v1::Locality>(pool_, pg::ReadOnly(deadline), [&](pg::Connection& connection) {
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
      pool_, pg::ReadOnly(deadline),
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
      pool_, pg::ReadOnly(deadline),
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

namespace caunoi::organizations {
namespace {

constexpr pg::Statement kGetOrganizationAsOf{
    "organization_get_as_of",
    "SELECT " CAUNOI_ORGANIZATION_COLUMNS " FROM " CAUNOI_ORGANIZATION_FROM_TABLE(
        "organizations.organization_rows", "AND m.as_of <= $2::date") " WHERE o.id = $1"};

// Depth first by the chain of ids from the root (its path), which is also
// the key a page ends on. Every path below the root's A||r lies between it
// and A||r+1, a range of organizations_by_path read in order from the page
// token on, so a page reads only its own rows. The page is chosen first,
// so only its nodes have their member counts looked up.
constexpr pg::Statement kOrganizationTree{
    "organization_tree",
    "WITH root AS (SELECT ancestors || id AS path, ancestors || (id + 1) AS past,"
    "   cardinality(ancestors) AS depth FROM organizations.organizations WHERE id = $1),"
    " page AS ("
    "  SELECT d.id, cardinality(d.ancestors) - (SELECT depth FROM root) AS depth,"
    "         d.ancestors || d.id AS path"
    "   FROM organizations.organizations d"
    "   WHERE d.ancestors || d.id >= (SELECT path FROM root)"
    "     AND d.ancestors || d.id < (SELECT past FROM root)"
    "     AND d.ancestors || d.id > coalesce($3::bigint[], '{}')"
    "     AND ($2::int = 0 OR cardinality(d.ancestors) - (SELECT depth FROM root) <= $2)"
    "   ORDER BY d.ancestors || d.id LIMIT $4)"
    " SELECT " CAUNOI_ORGANIZATION_COLUMNS ", page.depth, page.path::text"
    " FROM page, " CAUNOI_ORGANIZATION_FROM("") " WHERE o.id = page.id"
    " ORDER BY page.path"};

// Rows of (locality, measure, key, value). Every unit gets a "members" row,
// so units with nothing recorded still appear.
constexpr pg::Statement kLocalityStats{
    "locality_stats",
    "WITH units AS ("
    "  SELECT u.id FROM organizations.localities u"
    "   WHERE u.valid_until IS NULL AND ($2::text[] IS NULL OR u.id = ANY ($2))),"
    " unit_of AS ("
    "  SELECT l.id, coalesce(l.successor_id, l.id) AS unit FROM organizations.localities l),"
    // The kept tallies per named locality (a few hundred, in shards),
    // mapped to today's units.
    " by_kind AS ("
    "  SELECT u.unit, k.kind, sum(k.organizations)::bigint AS n"
    "   FROM organizations.organization_tallies k"
    "   JOIN unit_of u ON u.id = k.locality_id GROUP BY 1, 2 HAVING sum(k.organizations) > 0),"
    // Each organization's latest count, read once from the counts rather
    // than probed for each of the organizations, most of which have none.
    " latest AS ("
    "  SELECT DISTINCT ON (m.organization_id) m.organization_id, m.count"
    "   FROM organizations.member_counts m WHERE m.as_of <= $1::date"
    "   ORDER BY m.organization_id, m.as_of DESC, m.id DESC),"
    " members AS ("
    "  SELECT u.unit, sum(l.count) AS n FROM latest l"
    "   JOIN organizations.organizations o ON o.id = l.organization_id AND o.status = 'ACTIVE'"
    "   JOIN unit_of u ON u.id = o.locality_id GROUP BY 1),"
    " by_tier AS ("
    "  SELECT u.unit, tier, count(*) AS n FROM organizations.partnerships p"
    "   JOIN organizations.organizations o ON o.id = p.organization_id AND o.status = 'ACTIVE'"
    "   JOIN unit_of u ON u.id = o.locality_id"
    "   JOIN organizations.partners partner ON partner.id = p.partner_id"
    "   JOIN organizations.countries c ON c.code = partner.country_code"
    "   CROSS JOIN LATERAL unnest(organizations.tiers_on(c.tiers, $1::date)) AS tier"
    "   WHERE p.status = 'ACTIVE' GROUP BY 1, 2)"
    " SELECT u.id, 'members', '', coalesce(m.n, 0) FROM units u"
    "   LEFT JOIN members m ON m.unit = u.id"
    " UNION ALL SELECT k.unit, 'kind', k.kind, k.n FROM by_kind k JOIN units u ON u.id = k.unit"
    " UNION ALL SELECT t.unit, 'tier', t.tier, t.n FROM by_tier t JOIN units u ON u.id = t.unit"
    " ORDER BY 1, 2, 3"};

}  // namespace

absl::StatusOr<v1::Organization> OrganizationsStore::GetOrganizationAsOf(absl::string_view name,
                                                                         absl::string_view id,
                                                                         absl::CivilDay as_of,
                                                                         absl::Time deadline) {
  return pg::Transact<v1::Organization>(
      pool_, pg::ReadOnly(deadline),
      [&](pg::Connection& connection) -> absl::StatusOr<v1::Organization> {
        CAUNOI_ASSIGN_OR_RETURN(
            pg::Result result,
            connection.Execute(kGetOrganizationAsOf, {std::string(id), api::FormatIsoDate(as_of)}));
        if (result.rows() == 0) return resource::NotFound(name);
        resource::RowReader row(result, 0);
        return OrganizationFromRow(row);
      });
}

absl::StatusOr<TreePage> OrganizationsStore::GetOrganizationTree(absl::string_view name,
                                                                 absl::string_view id,
                                                                 int max_depth,
                                                                 const pg::Param& after_path,
                                                                 int limit, absl::Time deadline) {
  return pg::Transact<TreePage>(
      pool_, pg::ReadOnly(deadline), [&](pg::Connection& connection) -> absl::StatusOr<TreePage> {
        CAUNOI_ASSIGN_OR_RETURN(
            pg::Result result,
            connection.Execute(kOrganizationTree, {std::string(id), absl::StrCat(max_depth),
                                                   after_path, absl::StrCat(limit)}));
        // The first page holds the root itself.
        if (result.rows() == 0 && !after_path.has_value()) return resource::NotFound(name);
        TreePage page;
        page.nodes.resize(result.rows());
        for (int i = 0; i < result.rows(); ++i) {
          resource::RowReader row(result, i);
          *page.nodes[i].mutable_organization() = OrganizationFromRow(row);
          page.nodes[i].set_depth(static_cast<int32_t>(row.Int64()));
          if (i + 1 == limit) page.last_path = row.Text();
        }
        return page;
      });
}

absl::StatusOr<std::vector<LocalityTotals>> OrganizationsStore::GetLocalityStats(
    const std::vector<std::string>& locality_ids, absl::CivilDay as_of, absl::Time deadline) {
  pg::Param ids = locality_ids.empty() ? std::nullopt : pg::Param(pg::ArrayLiteral(locality_ids));
  return pg::Transact<std::vector<LocalityTotals>>(
      pool_, pg::ReadOnly(deadline),
      [&](pg::Connection& connection) -> absl::StatusOr<std::vector<LocalityTotals>> {
        CAUNOI_ASSIGN_OR_RETURN(
            pg::Result result,
            connection.Execute(kLocalityStats, {api::FormatIsoDate(as_of), ids}));
        std::vector<LocalityTotals> totals;
        for (int i = 0; i < result.rows(); ++i) {
          resource::RowReader row(result, i);
          const std::string unit = row.Text();
          if (totals.empty() || totals.back().locality_id != unit) {
            totals.emplace_back().locality_id = unit;
          }
          const std::string measure = row.Text();
          const std::string key = row.Text();
          const int64_t value = row.Int64();
          if (measure == "members") totals.back().members = value;
          if (measure == "kind") totals.back().organizations_by_kind[key] = value;
          if (measure == "tier") totals.back().partnerships_by_country_tier[key] = value;
        }
        return totals;
      });
}

absl::StatusOr<v1::ResolveLocalityCodeResponse> OrganizationsStore::ResolveCommuneCode(
    absl::string_view code, absl::CivilDay as_of, absl::Time deadline) {
  const std::string date = api::FormatIsoDate(as_of);
  return pg::Transact<v1::ResolveLocalityCodeResponse>(
      pool_, pg::ReadOnly(deadline),
      [&](pg::Connection& connection) -> absl::StatusOr<v1::ResolveLocalityCodeResponse> {
        auto read_commune = [&](const std::string& commune_code) -> absl::StatusOr<v1::Commune> {
          CAUNOI_ASSIGN_OR_RETURN(pg::Result row,
                                  connection.Execute(kCommuneSpec.table.select, {commune_code}));
          if (row.rows() == 0) return absl::NotFoundError("the commune list is incomplete");
          resource::RowReader reader(row, 0);
          return kCommuneSpec.table.from_row(reader);
        };
        v1::ResolveLocalityCodeResponse answer;
        CAUNOI_ASSIGN_OR_RETURN(pg::Result in_force,
                                connection.Execute(kCommuneInForce, {std::string(code), date}));
        CAUNOI_ASSIGN_OR_RETURN(pg::Result heirs,
                                connection.Execute(kCommuneHeirs, {std::string(code)}));
        std::vector<std::string> heir_names;
        std::string first_heir;
        for (int i = 0; i < heirs.rows(); ++i) {
          CAUNOI_ASSIGN_OR_RETURN(v1::Commune heir, read_commune(std::string(heirs.Text(i, 0))));
          heir_names.push_back(absl::StrCat(heir.name(), " (", heir.display_name(), ")"));
          if (i == 0) first_heir = heir.name();
          if (as_of < kMergerDay) *answer.add_current_communes() = std::move(heir);
        }
        if (as_of >= kMergerDay && in_force.Bool(0, 0)) {
          CAUNOI_ASSIGN_OR_RETURN(*answer.mutable_commune(), read_commune(std::string(code)));
          *answer.add_current_communes() = answer.commune();
          CAUNOI_ASSIGN_OR_RETURN(
              *answer.mutable_current(),
              GetLocalityIn(connection, api::ResourceId(answer.commune().province())));
          *answer.mutable_locality() = answer.current();
          return answer;
        }
        if (heirs.rows() == 0 || as_of >= kMergerDay) {
          std::string message = absl::StrCat("commune code ", code, " was not in use on ", date);
          if (heirs.rows() == 0) {
            return ErrorWithReason(absl::StatusCode::kNotFound, message, "LOCALITY_CODE_UNKNOWN",
                                   {{"code", std::string(code)}});
          }
          absl::StrAppend(&message, ": it denoted ", heirs.Text(0, 1), " until ",
                          api::FormatIsoDate(kMergerDay - 1), ", now part of ",
                          absl::StrJoin(heir_names, ", "));
          return ErrorWithReason(absl::StatusCode::kNotFound, message, "LOCALITY_CODE_RETIRED",
                                 {{"code", std::string(code)}, {"successor", first_heir}});
        }
        v1::CommunePredecessor* former = answer.mutable_former_commune();
        former->set_code(std::string(code));
        former->set_display_name(std::string(heirs.Text(0, 1)));
        former->set_merge(api::ParseEnumToken<v1::CommuneMerge>(heirs.Text(0, 2))
                              .value_or(v1::COMMUNE_MERGE_UNSPECIFIED));
        former->set_district(std::string(heirs.Text(0, 3)));
        former->set_province_code(std::string(heirs.Text(0, 4)));
        CAUNOI_ASSIGN_OR_RETURN(pg::Result province,
                                connection.Execute(kLocalityOn, {former->province_code(), date}));
        if (province.rows() > 0) {
          CAUNOI_ASSIGN_OR_RETURN(*answer.mutable_locality(),
                                  GetLocalityIn(connection, province.Text(0, 0)));
        }
        CAUNOI_ASSIGN_OR_RETURN(
            *answer.mutable_current(),
            GetLocalityIn(connection, api::ResourceId(answer.current_communes(0).province())));
        return answer;
      });
}

}  // namespace caunoi::organizations
