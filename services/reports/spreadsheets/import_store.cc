#include "services/reports/spreadsheets/import_store.h"

#include <map>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/api/dates.h"
#include "common/api/resource_name.h"
#include "common/period/period.h"
#include "common/pg/array_literal.h"
#include "common/pg/transaction.h"
#include "common/resource/resource_helpers.h"
#include "common/resource/row.h"
#include "common/resource/state_json.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"
#include "google/rpc/error_details.pb.h"
#include "services/reports/indicators/indicator_set_store.h"
#include "services/reports/indicators/indicator_values.h"
#include "services/reports/report_admission.h"
#include "services/reports/resources/resources.h"
#include "services/reports/spreadsheets/report_sheet.h"

namespace caunoi::reports {
namespace {

// Each header cell and the indicator it names, by code or by name with or
// without diacritics.
const pg::Statement kHeaderCodes = {
    "import_header_codes",
    "SELECT h.heading, i.code FROM unnest($1::text[]) AS h (heading)"
    " JOIN reports.indicators i"
    "   ON i.code = h.heading OR i.search_name = reports.fold_text(h.heading)"};

const pg::Statement kExistingReports = {
    "import_existing_reports",
    "SELECT r.id, r.obligation_id, r.period, r.state, r.submitted_date::text"
    " FROM unnest($1::bigint[], $2::text[]) AS wanted (obligation_id, period)"
    " JOIN reports.reports r ON r.obligation_id = wanted.obligation_id"
    "   AND r.period = wanted.period"};

const pg::Statement kUpdateDrafts = {
    "import_update_drafts",
    "UPDATE reports.reports r SET indicator_values = u.v::jsonb,"
    " summary = coalesce(u.s, r.summary), state = u.st,"
    " submitted_date = coalesce(r.submitted_date, u.sd::date),"
    " revision = r.revision + 1, update_time = now()"
    " FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[])"
    "   AS u (id, v, s, st, sd)"
    " WHERE r.id = u.id AND r.state IN ('DRAFT', 'RETURNED') RETURNING r.id"};

absl::Status Refused(const std::vector<v1::ImportError>& errors) {
  google::rpc::BadRequest bad;
  for (const v1::ImportError& error : errors) {
    google::rpc::BadRequest::FieldViolation* violation = bad.add_field_violations();
    violation->set_field(
        absl::StrCat("csv[", error.row(), "]", error.column().empty() ? "" : ".", error.column()));
    violation->set_description(Shortened(error.message(), kMaxErrorDetailBytes));
    if (bad.field_violations_size() == 100) break;  // enough to fix a file by
  }
  const v1::ImportError& first = errors.front();
  absl::Status status = ErrorWithReason(
      absl::StatusCode::kInvalidArgument,
      absl::StrCat(errors.size(), " error(s) in the file, nothing imported; first: line ",
                   first.row(), first.column().empty() ? "" : absl::StrCat(", ", first.column()),
                   ": ", first.message()),
      "IMPORT_REFUSED", {{"errors", absl::StrCat(errors.size())}});
  status.SetPayload(absl::StrCat("type.googleapis.com/", bad.GetDescriptor()->full_name()),
                    absl::Cord(bad.SerializeAsString()));
  return status;
}

// A row ready to write.
struct Accepted {
  const SheetRow* row;
  const v1::Obligation* obligation;
  v1::Report report;  // period normalized, values, state
};

}  // namespace

absl::StatusOr<v1::ImportReportsResponse> ImportReportSheet(resource::ResourceStore& resources,
                                                            const ImportInput& input) {
  v1::ImportReportsResponse response;
  response.set_rows(static_cast<int>(input.table.rows.size()));
  CAUNOI_RETURN_IF_ERROR(pg::RunInTransaction(
      resources.pool(), {.deadline = input.write.deadline}, [&](pg::Connection& connection) {
        response.clear_errors();
        response.set_created(0);
        response.set_updated(0);
        if (!input.write.request_id.empty()) {
          CAUNOI_ASSIGN_OR_RETURN(std::optional<std::string> earlier,
                                  resources.log().Claim(connection, input.write));
          if (earlier.has_value()) {
            response.set_repeated(true);
            return absl::OkStatus();
          }
        }
        CAUNOI_ASSIGN_OR_RETURN(
            pg::Result headings,
            connection.Execute(
                kHeaderCodes,
                {pg::ArrayLiteral(std::span<const std::string>(input.table.header))}));
        std::map<std::string, std::string> codes;
        for (int i = 0; i < headings.rows(); ++i) {
          resource::RowReader row(headings, i);
          std::string heading = row.Text();
          codes[heading] = row.Text();
        }
        CAUNOI_ASSIGN_OR_RETURN(IndicatorSets sets,
                                LoadIndicatorSets(connection, {input.document_id}));
        const IndicatorSet& set = sets[input.document_id];
        CAUNOI_ASSIGN_OR_RETURN(ReportSheet sheet, ReadReportSheet(input.table, codes, set));
        std::vector<v1::ImportError> errors = std::move(sheet.errors);

        CAUNOI_ASSIGN_OR_RETURN(pg::Result obligation_rows,
                                connection.Execute(kObligationsOfDocument, {input.document_id}));
        std::map<std::string, v1::Obligation> by_unit;
        for (int i = 0; i < obligation_rows.rows(); ++i) {
          resource::RowReader row(obligation_rows, i);
          v1::Obligation obligation = ObligationFromRow(row);
          by_unit.emplace(std::string(api::ResourceId(obligation.unit())), std::move(obligation));
        }

        std::vector<Accepted> accepted;
        std::set<std::pair<std::string, std::string>> seen;
        for (const SheetRow& row : sheet.rows) {
          auto obligation = by_unit.find(row.unit_id);
          if (obligation == by_unit.end()) {
            errors.push_back(ImportErrorAt(
                row.line, "unit",
                absl::StrCat("organizations/", row.unit_id, " has no obligation on directives/",
                             input.document_id)));
            continue;
          }
          absl::StatusOr<periods::Period> period = periods::ParsePeriod(row.period);
          if (!period.ok()) {
            errors.push_back(ImportErrorAt(row.line, "period", period.status().message()));
            continue;
          }
          v1::Report report;
          report.set_period(period->Label());
          if (row.summary) report.set_summary(*row.summary);
          *report.mutable_values() = row.values;
          if (absl::Status admit = AdmitReport(input.caller, obligation->second, report);
              !admit.ok()) {
            errors.push_back(ImportErrorAt(
                row.line, admit.code() == absl::StatusCode::kPermissionDenied ? "unit" : "period",
                admit.message()));
            continue;
          }
          if (absl::Status fits = CheckValues(set, report.values(), "values"); !fits.ok()) {
            errors.push_back(ImportErrorAt(row.line, "", fits.message()));
            continue;
          }
          if (input.submit) {
            if (absl::Status complete = CheckRequired(set, report.values()); !complete.ok()) {
              errors.push_back(ImportErrorAt(row.line, "", complete.message()));
              continue;
            }
          }
          if (!seen.emplace(row.unit_id, report.period()).second) {
            errors.push_back(
                ImportErrorAt(row.line, "period",
                              absl::StrCat("organizations/", row.unit_id, " ", report.period(),
                                           " is on an earlier line too")));
            continue;
          }
          accepted.push_back({&row, &obligation->second, std::move(report)});
        }

        // Reports already there: drafts are replaced, the rest refused.
        std::vector<std::string> obligation_ids, periods_wanted;
        for (const Accepted& row : accepted) {
          obligation_ids.emplace_back(api::ResourceId(row.obligation->name()));
          periods_wanted.push_back(row.report.period());
        }
        CAUNOI_ASSIGN_OR_RETURN(
            pg::Result existing_rows,
            connection.Execute(kExistingReports,
                               {pg::ArrayLiteral(std::span<const std::string>(obligation_ids)),
                                pg::ArrayLiteral(std::span<const std::string>(periods_wanted))}));
        std::map<std::pair<std::string, std::string>, std::pair<std::string, std::string>> existing;
        for (int i = 0; i < existing_rows.rows(); ++i) {
          resource::RowReader row(existing_rows, i);
          std::string id = row.Text();
          std::string obligation = row.Text();
          std::string period = row.Text();
          existing[{obligation, period}] = {id, row.Text()};
        }
        std::vector<Accepted*> creating, updating;
        std::vector<std::string> updating_ids;
        for (Accepted& row : accepted) {
          auto found = existing.find(
              {std::string(api::ResourceId(row.obligation->name())), row.report.period()});
          if (found == existing.end()) {
            creating.push_back(&row);
          } else if (found->second.second == "DRAFT" || found->second.second == "RETURNED") {
            updating.push_back(&row);
            updating_ids.push_back(found->second.first);
          } else {
            errors.push_back(ImportErrorAt(
                row.row->line, "period",
                absl::StrCat("the report for ", row.report.period(), " is ", found->second.second,
                             "; only a draft or a returned one is replaced")));
          }
        }
        if (!errors.empty() && !input.allow_partial) return Refused(errors);
        std::sort(errors.begin(), errors.end(),
                  [](const auto& a, const auto& b) { return a.row() < b.row(); });
        for (v1::ImportError& error : errors) *response.add_errors() = std::move(error);

        const std::string state = input.submit ? "SUBMITTED" : "DRAFT";
        resource::WriteRequest each = input.write;
        each.request_id.clear();  // the import's own request_id names the import
        std::vector<resource::WriteLog::Created> audit;
        if (!creating.empty()) {
          std::vector<std::vector<pg::Param>> columns;
          for (Accepted* row : creating) {
            v1::Report report = row->report;
            report.set_state(input.submit ? v1::REPORT_STATE_SUBMITTED : v1::REPORT_STATE_DRAFT);
            if (input.submit) *report.mutable_submitted_date() = api::ToDate(input.today);
            std::vector<pg::Param> params = kReportSpec.columns(report);
            params.insert(params.begin(),
                          pg::Param(std::string(api::ResourceId(row->obligation->name()))));
            if (columns.empty()) columns.resize(params.size());
            for (size_t c = 0; c < params.size(); ++c) columns[c].push_back(params[c]);
          }
          std::vector<pg::Param> arrays;
          for (const std::vector<pg::Param>& column : columns) {
            arrays.emplace_back(pg::ArrayLiteral(std::span<const pg::Param>(column)));
          }
          CAUNOI_ASSIGN_OR_RETURN(pg::Result inserted,
                                  connection.Execute(kReportInsertEach, arrays));
          if (inserted.rows() != static_cast<int>(creating.size())) {
            return absl::AbortedError(
                "a report was filed for one of these periods meanwhile; import the file again");
          }
          for (int i = 0; i < inserted.rows(); ++i) {
            resource::RowReader row(inserted, i);
            v1::Report report = ReportFromRow(row);
            audit.push_back({.write = &each,
                             .resource_id = std::string(api::ResourceId(report.name())),
                             .resource = report.name(),
                             .after_json = resource::ToJson(report)});
          }
          response.set_created(inserted.rows());
        }
        if (!updating.empty()) {
          std::vector<std::string> values, summaries, states, dates;
          std::vector<pg::Param> summary_params;
          for (Accepted* row : updating) {
            values.push_back(ValuesJson(row->report.values()));
            summary_params.push_back(row->row->summary ? pg::Param(*row->row->summary)
                                                       : pg::Param());
            states.push_back(state);
            dates.push_back(input.submit ? api::FormatIsoDate(input.today) : "");
          }
          std::vector<pg::Param> date_params;
          for (const std::string& date : dates) {
            date_params.push_back(date.empty() ? pg::Param() : pg::Param(date));
          }
          CAUNOI_ASSIGN_OR_RETURN(
              pg::Result updated,
              connection.Execute(kUpdateDrafts,
                                 {pg::ArrayLiteral(std::span<const std::string>(updating_ids)),
                                  pg::ArrayLiteral(std::span<const std::string>(values)),
                                  pg::ArrayLiteral(std::span<const pg::Param>(summary_params)),
                                  pg::ArrayLiteral(std::span<const std::string>(states)),
                                  pg::ArrayLiteral(std::span<const pg::Param>(date_params))}));
          if (updated.rows() != static_cast<int>(updating.size())) {
            return absl::AbortedError("a report changed meanwhile; import the file again");
          }
          for (size_t i = 0; i < updating.size(); ++i) {
            const std::string name =
                absl::StrCat(updating[i]->obligation->name(), "/reports/", updating_ids[i]);
            resources.log().Append(connection, each,
                                   {.action = "update",
                                    .resource = name,
                                    .before_json = "",
                                    .after_json = absl::StrCat(
                                        "{\"values\": ", ValuesJson(updating[i]->report.values()),
                                        ", \"state\": \"", state, "\"}"),
                                    .changed_fields = {"values", "state"}});
          }
          response.set_updated(updated.rows());
        }
        resources.log().AppendCreatedEach(connection, audit);
        const resource::AuditEntry imported = {
            .action = "update",
            .resource = absl::StrCat("directives/", input.document_id),
            .before_json = "",
            .after_json = absl::StrCat("{\"imported_rows\": ", response.rows(),
                                       ", \"created\": ", response.created(),
                                       ", \"updated\": ", response.updated(), "}"),
            .changed_fields = {"reports"}};
        if (input.write.request_id.empty()) {
          resources.log().Append(connection, input.write, imported);
        } else {
          resources.log().AppendCreated(connection, input.write, input.document_id, imported);
        }
        return absl::OkStatus();
      }));
  return response;
}

}  // namespace caunoi::reports
