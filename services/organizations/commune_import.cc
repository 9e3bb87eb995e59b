// ImportCommunes: a later official commune list brought in whole, in one
// transaction, keeping every commune ever listed.
#include <span>

#include "absl/strings/str_cat.h"
#include "common/api/dates.h"
#include "common/pg/array_literal.h"
#include "common/pg/transaction.h"
#include "common/resource/resource_store.h"
#include "common/resource/state_json.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"
#include "services/organizations/organizations_store.h"

namespace caunoi::organizations {
namespace {

// One import at a time: each reads what the previous one wrote.
constexpr pg::Statement kLockCommunes{
    "communes_lock_import", "SELECT pg_advisory_xact_lock(hashtext('organizations.communes'))"};

// Communes the list would retire on or before the day they came into
// force: how many, and the first few.
constexpr pg::Statement kUnretirable{
    "communes_unretirable",
    "WITH held AS (SELECT code FROM organizations.communes"
    "   WHERE valid_until IS NULL AND code <> ALL($1::text[]) AND valid_from >= $2::date)"
    " SELECT (SELECT count(*) FROM held),"
    "   (SELECT string_agg(code, ', ') FROM (SELECT code FROM held ORDER BY code LIMIT 5) f)"};

// $1..$4 code, name, kind, province of each listed commune.
constexpr pg::Statement kUpdateListed{
    "communes_update_listed",
    "UPDATE organizations.communes c SET display_name = l.display_name, kind = l.kind,"
    "   province_id = l.province_id, valid_until = NULL, revision = c.revision + 1,"
    "   update_time = now()"
    " FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])"
    "   AS l (code, display_name, kind, province_id)"
    " WHERE c.code = l.code AND (c.display_name <> l.display_name OR c.kind <> l.kind"
    "   OR c.province_id <> l.province_id OR c.valid_until IS NOT NULL)"
    " RETURNING c.code"};
constexpr pg::Statement kAddListed{
    "communes_add_listed",
    "INSERT INTO organizations.communes (code, display_name, kind, province_id, valid_from)"
    " SELECT l.*, $5::date FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS l"
    " ON CONFLICT (code) DO NOTHING RETURNING code"};
constexpr pg::Statement kRetireUnlisted{
    "communes_retire_unlisted",
    "UPDATE organizations.communes SET valid_until = $2::date, revision = revision + 1,"
    "   update_time = now()"
    " WHERE valid_until IS NULL AND code <> ALL($1::text[]) RETURNING code"};
// Lineage rows not yet recorded, after each commune's last ordinal.
constexpr pg::Statement kAddPredecessors{
    "communes_add_predecessors",
    "INSERT INTO organizations.commune_predecessors"
    "   (commune_code, ordinal, code, display_name, merge, district, province_code)"
    " SELECT p.commune_code,"
    "   coalesce((SELECT max(x.ordinal) FROM organizations.commune_predecessors x"
    "     WHERE x.commune_code = p.commune_code), 0)"
    "   + row_number() OVER (PARTITION BY p.commune_code ORDER BY p.n),"
    "   nullif(p.code, ''), p.display_name, p.merge, p.district, p.province_code"
    " FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])"
    "   WITH ORDINALITY AS p (commune_code, code, display_name, merge, district, province_code, n)"
    " WHERE NOT EXISTS (SELECT 1 FROM organizations.commune_predecessors x"
    "   WHERE x.commune_code = p.commune_code AND x.code IS NOT DISTINCT FROM nullif(p.code, '')"
    "     AND x.display_name = p.display_name AND x.merge = p.merge)"
    " RETURNING 1"};

constexpr resource::ConstraintRule kImportConstraints[] = {
    {"commune_province_exists", "communes_csv", absl::StatusCode::kInvalidArgument,
     "a province_code is not one of today's units"},
};

template <typename Item, typename Field>
std::string Column(const std::vector<Item>& items, Field field) {
  std::vector<std::string> values;
  values.reserve(items.size());
  for (const Item& item : items) values.push_back(item.*field);
  return pg::ArrayLiteral(std::span<const std::string>(values));
}

}  // namespace

absl::StatusOr<v1::ImportCommunesResponse> OrganizationsStore::ImportCommunes(
    const CommuneList& list, const resource::WriteRequest& write) {
  const std::string valid_from = absl::FormatCivilTime(list.valid_from);
  const std::string codes = Column(list.communes, &ListedCommune::code);
  const std::vector<pg::Param> listed = {codes, Column(list.communes, &ListedCommune::display_name),
                                         Column(list.communes, &ListedCommune::kind),
                                         Column(list.communes, &ListedCommune::province_id)};
  std::vector<pg::Param> added_params = listed;
  added_params.emplace_back(valid_from);
  const std::vector<pg::Param> lineage = {
      Column(list.predecessors, &ListedPredecessor::commune_code),
      Column(list.predecessors, &ListedPredecessor::code),
      Column(list.predecessors, &ListedPredecessor::display_name),
      Column(list.predecessors, &ListedPredecessor::merge),
      Column(list.predecessors, &ListedPredecessor::district),
      Column(list.predecessors, &ListedPredecessor::province_code)};
  absl::StatusOr<v1::ImportCommunesResponse> imported = pg::Transact<v1::ImportCommunesResponse>(
      pool_, {.deadline = write.deadline},
      [&](pg::Connection& connection) -> absl::StatusOr<v1::ImportCommunesResponse> {
        CAUNOI_RETURN_IF_ERROR(connection.Execute(kLockCommunes).status());
        CAUNOI_ASSIGN_OR_RETURN(pg::Result unretirable,
                                connection.Execute(kUnretirable, {codes, valid_from}));
        if (unretirable.Text(0, 0) != "0") {
          return ErrorWithReason(
              absl::StatusCode::kFailedPrecondition,
              absl::StrCat("the list leaves out ", unretirable.Text(0, 0),
                           " commune(s) in force since ", valid_from, " or later (",
                           unretirable.Text(0, 1), "); a list retiring them starts after that day"),
              "COMMUNES_NOT_RETIRABLE", {{"valid_from", valid_from}});
        }
        v1::ImportCommunesResponse response;
        CAUNOI_ASSIGN_OR_RETURN(pg::Result updated, connection.Execute(kUpdateListed, listed));
        CAUNOI_ASSIGN_OR_RETURN(pg::Result added, connection.Execute(kAddListed, added_params));
        CAUNOI_ASSIGN_OR_RETURN(pg::Result retired,
                                connection.Execute(kRetireUnlisted, {codes, valid_from}));
        response.set_updated(updated.rows());
        response.set_added(added.rows());
        response.set_retired(retired.rows());
        response.set_unchanged(static_cast<int32_t>(list.communes.size()) - updated.rows() -
                               added.rows());
        if (!list.predecessors.empty()) {
          CAUNOI_ASSIGN_OR_RETURN(pg::Result predecessors,
                                  connection.Execute(kAddPredecessors, lineage));
          response.set_predecessors_added(predecessors.rows());
        }
        resources_.log().Append(
            connection, write,
            {.action = "update",
             .resource = "localities/-/communes",
             .before_json = "",
             .after_json = absl::StrCat("{\"validFrom\":\"", valid_from,
                                        "\",\"import\":", resource::ToJson(response), "}"),
             .changed_fields = {}});
        return response;
      });
  if (!imported.ok()) return resource::NameViolation(imported.status(), kImportConstraints, false);
  return imported;
}

}  // namespace caunoi::organizations
