// The communes, wards and special zones below today's provinces, with the
// pre-2025 communes each absorbed: reference data, read only.
#include "absl/strings/str_split.h"
#include "services/organizations/locality_requests.h"
#include "services/organizations/resources/resource_helpers.h"
#include "services/organizations/resources/resources.h"

namespace caunoi::organizations {
namespace {

constexpr resource::Column kColumns[] = {
    {.field = "code", .immutable = true},
    {.field = "display_name", .required = true},
    {.field = "kind", .required = true},
    {.field = "province", .pattern = "localities/{}"},
    {.field = "valid_from"},
    {.field = "valid_until", .not_before = "valid_from"},
};

// Read as fields joined by the unit separator, entries by the record
// separator: neither appears in a name.
void ReadPredecessors(resource::RowReader& row, v1::Commune& commune) {
  for (absl::string_view entry : absl::StrSplit(row.Text(), '\x1e', absl::SkipEmpty())) {
    std::vector<absl::string_view> fields = absl::StrSplit(entry, '\x1f');
    if (fields.size() != 5) continue;
    v1::CommunePredecessor* predecessor = commune.add_predecessors();
    predecessor->set_code(std::string(fields[0]));
    predecessor->set_display_name(std::string(fields[1]));
    predecessor->set_merge(
        api::ParseEnumToken<v1::CommuneMerge>(fields[2]).value_or(v1::COMMUNE_MERGE_UNSPECIFIED));
    predecessor->set_district(std::string(fields[3]));
    predecessor->set_province_code(std::string(fields[4]));
  }
}

// A five-digit commune code, as written in the lists.
absl::StatusOr<pg::Param> CommuneCodeFilter(const api::FilterTerm& term, absl::string_view) {
  if (!IsCommuneCode(term.value)) {
    return InvalidFieldError("filter", absl::StrCat(term.field, ": \"", term.value,
                                                    "\" is not a five-digit commune code"));
  }
  return pg::Param(term.value);
}

constexpr api::FilterField kFilters[] = {
    {"kind", true, false, resource::EnumFilter<v1::CommuneKind>},
    {"display_name", false, true, resource::SearchFilter},
    {"predecessor", true, false, CommuneCodeFilter},
};

constexpr resource::StoredTable kTable = {
    .names = {"commune", "commune", "organizations.communes", kCommunePattern},
    .columns = kColumns,
    .parent_column = "province_id",
    .extra_reads =
        "(SELECT string_agg(concat_ws(chr(31), coalesce(p.code, ''), p.display_name,"
        "   p.merge, p.district, p.province_code), chr(30) ORDER BY p.ordinal)"
        "   FROM organizations.commune_predecessors p WHERE p.commune_code = r.code)",
    .read_extra = resource::ReadExtraAs<v1::Commune, ReadPredecessors>,
    // $3 the province, or "-" for every one.
    .list =
        "WHERE ($1::text IS NULL OR r.code > $1)"
        "  AND ($3::text = '-' OR r.province_id = $3)"
        "  AND (r.kind = $4 OR $4 IS NULL)"
        "  AND (strpos(r.search_name, organizations.fold_text($5)) > 0 OR $5 IS NULL)"
        "  AND (EXISTS (SELECT 1 FROM organizations.commune_predecessors p"
        "       WHERE p.commune_code = r.code AND p.code = $6) OR $6 IS NULL)"
        " ORDER BY r.code LIMIT $2",
    .filters = kFilters,
    .every_parent = true,
};

}  // namespace

CAUNOI_DEFINE_STANDARD_RESOURCE(Commune, kCommuneSpec, kCommuneList, kTable, nullptr, nullptr);

}  // namespace caunoi::organizations
