#include "services/organizations/commune_list.h"

#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/api/commune_name.h"
#include "common/api/dates.h"
#include "common/api/locality_name.h"
#include "common/csv/csv_reader.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"

namespace caunoi::organizations {
namespace {

// The words the lists use, as stored.
constexpr std::pair<absl::string_view, absl::string_view> kKinds[] = {
    {"xã", "COMMUNE"}, {"phường", "WARD"}, {"đặc khu", "SPECIAL_ZONE"}};
constexpr std::pair<absl::string_view, absl::string_view> kMerges[] = {
    {"whole", "WHOLE"}, {"part", "PART"}, {"unchanged", "UNCHANGED"}};

template <size_t N>
std::optional<absl::string_view> Lookup(
    const std::pair<absl::string_view, absl::string_view> (&words)[N], absl::string_view word) {
  for (const auto& [written, stored] : words) {
    if (written == word) return stored;
  }
  return std::nullopt;
}

// A fault in one cell, named as a spreadsheet user finds it.
absl::Status CellError(absl::string_view field, const csv::Row& row, absl::string_view column,
                       absl::string_view what) {
  return InvalidFieldError(field, absl::StrCat("line ", row.line, ", column ", column, ": ", what));
}

absl::StatusOr<std::vector<ListedCommune>> ReadCommunes(absl::string_view text) {
  constexpr absl::string_view kField = "communes_csv";
  CAUNOI_ASSIGN_OR_RETURN(csv::Table table, csv::ReadTable(text, kField));
  CAUNOI_ASSIGN_OR_RETURN(
      std::vector<int> at,
      csv::RequireColumns(table, {"code", "name", "kind", "province_code"}, kField));
  std::vector<ListedCommune> communes;
  absl::flat_hash_set<std::string> seen;
  for (const csv::Row& row : table.rows) {
    ListedCommune commune{
        .code = row.fields[at[0]],
        .display_name = std::string(absl::StripAsciiWhitespace(row.fields[at[1]])),
        .kind = "",
        .province_id = row.fields[at[3]]};
    if (!IsCommuneCode(commune.code)) {
      return CellError(kField, row, "code",
                       absl::StrCat("\"", commune.code, "\" is not five digits"));
    }
    if (!seen.insert(commune.code).second) {
      return CellError(kField, row, "code", absl::StrCat(commune.code, " is listed twice"));
    }
    if (commune.display_name.empty()) return CellError(kField, row, "name", "is empty");
    std::optional<absl::string_view> kind = Lookup(kKinds, row.fields[at[2]]);
    if (!kind) {
      return CellError(kField, row, "kind",
                       absl::StrCat("\"", row.fields[at[2]], "\" is not xã, phường or đặc khu"));
    }
    commune.kind = std::string(*kind);
    if (!IsLocalityCode(commune.province_id)) {
      return CellError(kField, row, "province_code",
                       absl::StrCat("\"", commune.province_id, "\" is not two digits"));
    }
    communes.push_back(std::move(commune));
  }
  if (communes.empty()) return InvalidFieldError(kField, "lists no commune");
  return communes;
}

absl::StatusOr<std::vector<ListedPredecessor>> ReadLineage(
    absl::string_view text, const std::vector<ListedCommune>& communes) {
  constexpr absl::string_view kField = "lineage_csv";
  if (text.empty()) return std::vector<ListedPredecessor>{};
  CAUNOI_ASSIGN_OR_RETURN(csv::Table table, csv::ReadTable(text, kField));
  CAUNOI_ASSIGN_OR_RETURN(
      std::vector<int> at,
      csv::RequireColumns(
          table, {"new_code", "old_code", "old_name", "merge", "old_district", "old_province_code"},
          kField));
  absl::flat_hash_set<absl::string_view> listed;
  for (const ListedCommune& commune : communes) listed.insert(commune.code);
  std::vector<ListedPredecessor> predecessors;
  for (const csv::Row& row : table.rows) {
    ListedPredecessor predecessor{.commune_code = row.fields[at[0]],
                                  .code = row.fields[at[1]],
                                  .display_name = row.fields[at[2]],
                                  .merge = "",
                                  .district = row.fields[at[4]],
                                  .province_code = row.fields[at[5]]};
    if (!listed.contains(predecessor.commune_code)) {
      return CellError(
          kField, row, "new_code",
          absl::StrCat("\"", predecessor.commune_code, "\" is not a commune of communes_csv"));
    }
    if (!predecessor.code.empty() && !IsCommuneCode(predecessor.code)) {
      return CellError(kField, row, "old_code",
                       absl::StrCat("\"", predecessor.code, "\" is not five digits"));
    }
    std::optional<absl::string_view> merge = Lookup(kMerges, row.fields[at[3]]);
    if (!merge) {
      return CellError(kField, row, "merge",
                       absl::StrCat("\"", row.fields[at[3]], "\" is not whole, part or unchanged"));
    }
    predecessor.merge = std::string(*merge);
    if (!IsLocalityCode(predecessor.province_code)) {
      return CellError(kField, row, "old_province_code",
                       absl::StrCat("\"", predecessor.province_code, "\" is not two digits"));
    }
    predecessors.push_back(std::move(predecessor));
  }
  return predecessors;
}

}  // namespace

absl::StatusOr<CommuneList> ParseImportCommunesRequest(const v1::ImportCommunesRequest& request) {
  if (!request.has_valid_from()) {
    return InvalidFieldError("valid_from", "is required: the list's first day in force");
  }
  CommuneList list;
  CAUNOI_ASSIGN_OR_RETURN(list.valid_from, api::ToCivilDay(request.valid_from(), "valid_from"));
  CAUNOI_ASSIGN_OR_RETURN(list.communes, ReadCommunes(request.communes_csv()));
  CAUNOI_ASSIGN_OR_RETURN(list.predecessors, ReadLineage(request.lineage_csv(), list.communes));
  return list;
}

}  // namespace caunoi::organizations
