#include "services/reports/spreadsheets/export_store.h"

#include <map>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/api/dates.h"
#include "common/pg/array_literal.h"
#include "common/pg/transaction.h"
#include "common/resource/row.h"
#include "common/status/status_macros.h"
#include "services/reports/indicators/indicator_set_store.h"
#include "services/reports/indicators/indicator_values.h"
#include "services/reports/spreadsheets/csv_writer.h"

namespace caunoi::reports {
namespace {

constexpr int kBatch = 1000;

const pg::Statement kIndicatorNames = {
    "export_indicator_names",
    "SELECT code, display_name FROM reports.indicators WHERE code = ANY($1::text[])"};

const pg::Statement kReportsPage = {
    "export_report_sheet_page",
    "SELECT r.id, o.unit_id, r.period, r.state, coalesce(r.submitted_date::text, ''),"
    " coalesce(o.locality_id, ''), coalesce(o.commune_code, ''), r.summary,"
    " r.indicator_values::text"
    " FROM reports.reports r JOIN reports.obligations o ON o.id = r.obligation_id"
    " WHERE o.document_id = $1 AND r.id > $2 AND r.period_first BETWEEN $3::date AND $4::date"
    "   AND ($5::text IS NULL OR o.locality_id = $5)"
    " ORDER BY r.id LIMIT $6"};

std::string Cell(const v1::IndicatorValue& value) {
  switch (value.value_case()) {
    case v1::IndicatorValue::kAmount:
      return absl::StrCat(value.amount());
    case v1::IndicatorValue::kYes:
      return value.yes() ? "có" : "không";
    case v1::IndicatorValue::kText:
      return value.text();
    default:
      return "";
  }
}

}  // namespace

absl::Status ExportReportSheet(resource::ResourceStore& resources, const ReportSheetQuery& query,
                               absl::Time deadline, const std::function<bool(std::string)>& write) {
  const pg::TransactionOptions read = {.read_only = true, .deadline = deadline};
  CAUNOI_ASSIGN_OR_RETURN(
      IndicatorSet set,
      pg::Transact<IndicatorSet>(
          resources.pool(), read, [&](pg::Connection& connection) -> absl::StatusOr<IndicatorSet> {
            CAUNOI_ASSIGN_OR_RETURN(IndicatorSets sets,
                                    LoadIndicatorSets(connection, {query.document_id}));
            return std::move(sets[query.document_id]);
          }));
  std::vector<std::string> codes;
  for (const IndicatorRule& rule : set.rules) codes.push_back(rule.code);
  CAUNOI_ASSIGN_OR_RETURN(
      pg::Result names,
      pg::Transact<pg::Result>(resources.pool(), read, [&](pg::Connection& connection) {
        return connection.Execute(kIndicatorNames,
                                  {pg::ArrayLiteral(std::span<const std::string>(codes))});
      }));
  std::map<std::string, std::string> display;
  for (int i = 0; i < names.rows(); ++i) {
    resource::RowReader row(names, i);
    std::string code = row.Text();
    display[code] = row.Text();
  }
  std::vector<std::string> header = {"unit",     "period",  "state",  "submitted_date",
                                     "locality", "commune", "summary"};
  for (const std::string& code : codes) header.push_back(display[code]);
  std::string chunk(kUtf8ByteOrderMark);
  AppendCsvRow(chunk, header);

  std::string after = "0";
  while (true) {
    CAUNOI_ASSIGN_OR_RETURN(
        pg::Result page,
        pg::Transact<pg::Result>(resources.pool(), read, [&](pg::Connection& connection) {
          return connection.Execute(
              kReportsPage, {query.document_id, after, api::FormatIsoDate(query.from),
                             api::FormatIsoDate(query.to),
                             query.locality_id ? pg::Param(*query.locality_id) : pg::Param(),
                             absl::StrCat(kBatch)});
        }));
    for (int i = 0; i < page.rows(); ++i) {
      resource::RowReader row(page, i);
      after = row.Text();
      std::vector<std::string> fields = {absl::StrCat("organizations/", row.Text())};
      for (int column = 0; column < 6; ++column) fields.push_back(row.Text());
      if (!fields[4].empty()) fields[4] = absl::StrCat("localities/", fields[4]);
      std::map<std::string, std::string> cells;
      if (auto values = ValuesFromJson(row.Text()); values.ok()) {
        for (const v1::IndicatorValue& value : *values) {
          cells[IndicatorCode(value.indicator())] = Cell(value);
        }
      }
      for (const std::string& code : codes) fields.push_back(cells[code]);
      AppendCsvRow(chunk, fields);
    }
    if (!write(std::move(chunk))) return absl::CancelledError("the client went away");
    chunk.clear();
    if (page.rows() < kBatch) return absl::OkStatus();
  }
}

}  // namespace caunoi::reports
