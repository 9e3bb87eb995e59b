#include "services/reports/indicators/indicator_set_store.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/pg/array_literal.h"
#include "common/resource/resource_helpers.h"
#include "common/resource/row.h"
#include "services/reports/indicators/indicator_values.h"

namespace caunoi::reports {
namespace {

// A document's own set, or the default indicators for one with none, for
// the documents in `wanted`; $2 the default codes.
#define CAUNOI_INDICATOR_SETS_OF(wanted)                                                         \
  "WITH wanted AS (" wanted                                                                      \
  "),"                                                                                           \
  " own AS (SELECT d.document_id, i.code, i.unit, d.required, d.position"                        \
  "   FROM reports.document_indicators d JOIN reports.indicators i ON i.code = d.indicator_code" \
  "   WHERE d.document_id IN (SELECT document_id FROM wanted))"                                  \
  " SELECT document_id::text, code, unit, required, true FROM own"                               \
  " UNION ALL"                                                                                   \
  " SELECT w.document_id::text, i.code, i.unit, false, false"                                    \
  " FROM wanted w CROSS JOIN reports.indicators i"                                               \
  " WHERE i.code = ANY($2::text[])"                                                              \
  "   AND NOT EXISTS (SELECT 1 FROM own WHERE own.document_id = w.document_id)"                  \
  " ORDER BY 1, 5, 2"

// $1 the document ids.
const pg::Statement kIndicatorSets = {
    "indicator_sets",
    CAUNOI_INDICATOR_SETS_OF("SELECT DISTINCT unnest($1::bigint[]) AS document_id")};

// $1 the ids of obligations on the documents.
const pg::Statement kIndicatorSetsOfObligations = {
    "indicator_sets_of_obligations",
    CAUNOI_INDICATOR_SETS_OF(
        "SELECT DISTINCT document_id FROM reports.obligations WHERE id = ANY($1::bigint[])")};

std::vector<pg::Param> SetsParams(const std::vector<std::string>& ids) {
  return {pg::ArrayLiteral(std::span<const std::string>(ids)),
          pg::ArrayLiteral(std::span<const std::string>(DefaultIndicatorCodes()))};
}

const pg::Statement kDocumentOfObligation = {
    "indicator_document_of_obligation",
    "SELECT document_id::text FROM reports.obligations WHERE id = $1"};

}  // namespace

IndicatorSets IndicatorSetsFromRows(const pg::Result& rows) {
  IndicatorSets sets;
  for (int i = 0; i < rows.rows(); ++i) {
    resource::RowReader row(rows, i);
    IndicatorSet& set = sets[row.Text()];
    IndicatorRule rule;
    rule.code = row.Text();
    rule.unit = resource::EnumFromRow<v1::IndicatorUnit>(row);
    rule.required = row.Bool();
    set.own = row.Bool();
    set.rules.push_back(std::move(rule));
  }
  return sets;
}

absl::StatusOr<IndicatorSets> LoadIndicatorSets(pg::Connection& connection,
                                                const std::vector<std::string>& document_ids) {
  absl::StatusOr<pg::Result> rows = connection.Execute(kIndicatorSets, SetsParams(document_ids));
  if (!rows.ok()) return rows.status();
  IndicatorSets sets = IndicatorSetsFromRows(*rows);
  for (const std::string& id : document_ids) sets[id];
  return sets;
}

pg::Connection::Call IndicatorSetsOfObligations(const std::vector<std::string>& obligation_ids) {
  return {kIndicatorSetsOfObligations, SetsParams(obligation_ids)};
}

absl::StatusOr<IndicatorSet> IndicatorSetOfReport(pg::Connection& connection,
                                                  absl::string_view report_name) {
  absl::string_view obligation = report_name;
  absl::ConsumePrefix(&obligation, "obligations/");
  obligation = obligation.substr(0, obligation.find('/'));
  absl::StatusOr<pg::Result> found =
      connection.Execute(kDocumentOfObligation, {std::string(obligation)});
  if (!found.ok()) return found.status();
  if (found->rows() == 0) return absl::NotFoundError(absl::StrCat(report_name, " not found"));
  const std::string document = resource::RowReader(*found, 0).Text();
  absl::StatusOr<IndicatorSets> sets = LoadIndicatorSets(connection, {document});
  if (!sets.ok()) return sets.status();
  return std::move((*sets)[document]);
}

}  // namespace caunoi::reports
