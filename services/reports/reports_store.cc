#include "services/reports/reports_store.h"

#include <algorithm>
#include <memory>

#include "absl/strings/str_cat.h"
#include "common/api/dates.h"
#include "common/metrics/metrics.h"
#include "common/pg/transaction.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"
#include "services/reports/indicators/indicator_set_store.h"
#include "services/reports/resources/resources.h"

namespace caunoi::reports {
namespace {

constexpr pg::Statement kFindPeriod{
    "report_find_period",
    "SELECT id FROM reports.reports WHERE obligation_id = $1 AND period = $2"};

constexpr pg::Statement kAssigneesWithoutLocality{
    "proposal_assignees_without_locality",
    "SELECT DISTINCT assignee_id FROM reports.proposals"
    " WHERE assignee_locality_id IS NULL AND assignee_id > $1 ORDER BY assignee_id LIMIT $2"};

constexpr pg::Statement kKeepAssigneeLocality{
    "proposal_keep_assignee_locality",
    "UPDATE reports.proposals SET assignee_locality_id = $2"
    " WHERE assignee_id = $1 AND assignee_locality_id IS NULL"};

std::string StateName(v1::ReportState state) { return api::EnumToken(state); }

int64_t AssigneeIdFromRow(resource::RowReader& row) { return row.Int64(); }

}  // namespace

absl::Status ReportsStore::FileReport(Filing filing) {
  auto queued = std::make_unique<Filing>(std::move(filing));
  if (filings_.Submit(queued)) return absl::OkStatus();
  return ErrorWithReason(absl::StatusCode::kResourceExhausted,
                         "too many reports wait to be filed; retry with backoff",
                         "FILING_QUEUE_FULL");
}

void ReportsStore::FileBatch(std::span<Filing* const> filings,
                             absl::FunctionRef<void()> let_next_begin) {
  std::vector<Filing*> authorized;
  for (Filing* filing : filings) {
    if (filing->authorize) {
      if (absl::Status allowed = filing->authorize(); !allowed.ok()) {
        filing->result = std::move(allowed);
        continue;
      }
    }
    authorized.push_back(filing);
  }
  FileTogether(authorized, let_next_begin);
  for (Filing* filing : filings) {
    // The unique constraint guards the period; only a refused filing pays
    // for finding the report that holds it.
    if (filing->result.status().code() == absl::StatusCode::kAlreadyExists) {
      if (absl::Status taken =
              CheckPeriodFree(filing->obligation_id, filing->report, filing->write.deadline);
          !taken.ok()) {
        filing->result = std::move(taken);
      }
    }
    filing->done(std::move(filing->result));
  }
}

void ReportsStore::FileTogether(std::span<Filing* const> filings,
                                absl::FunctionRef<void()> let_next_begin) {
  // A filing whose caller stopped waiting would only cut short the
  // statement timeout of the others.
  std::vector<Filing*> live;
  const absl::Time now = absl::Now();
  for (Filing* filing : filings) {
    if (filing->write.deadline <= now) {
      filing->result = absl::DeadlineExceededError("the call's deadline passed before its filing");
    } else {
      live.push_back(filing);
    }
  }
  if (live.empty()) return;
  metrics::Histogram("caunoi_report_filing_batch_size", "reports filed in one transaction",
                     {1, 2, 4, 8, 16, 32, 64})
      .Observe(static_cast<double>(live.size()));
  const absl::Status status = FileReports(resources_, live, let_next_begin);
  if (status.ok()) return;
  const std::optional<google::rpc::ErrorInfo> info = GetErrorInfo(status);
  const bool outcome_unknown = info.has_value() && info->reason() == "COMMIT_OUTCOME_UNKNOWN";
  if (live.size() == 1 || outcome_unknown) {
    for (Filing* filing : live) {
      filing->result = resource::NameViolation(status, kReportSpec.table.constraints, false);
    }
    return;
  }
  for (Filing* filing : live) FileTogether(std::span<Filing* const>(&filing, 1), let_next_begin);
}

absl::StatusOr<std::vector<v1::Report>> ReportsStore::ExportBatch(const ExportQuery& query,
                                                                  absl::Time deadline) {
  resource::Params params;
  params.Text(query.after_id)
      .Int64(query.limit)
      .Text(api::FormatIsoDate(query.from))
      .Text(api::FormatIsoDate(query.to))
      .TextOrNull(query.locality_id);
  return resources_.List(kReportExport, ReportFromRow, params.Take(), deadline);
}

absl::Status ReportsStore::CheckPeriodFree(absl::string_view obligation_id,
                                           const v1::Report& report, absl::Time deadline) {
  const std::string label = periods::ParsePeriod(report.period())->Label();
  CAUNOI_ASSIGN_OR_RETURN(
      pg::Result found,
      pg::Transact<pg::Result>(
          pool_, {.read_only = true, .deadline = deadline}, [&](pg::Connection& connection) {
            return connection.Execute(kFindPeriod, {std::string(obligation_id), label});
          }));
  if (found.rows() == 0) return absl::OkStatus();
  const std::string existing = api::FormatResourceName(
      kReportPattern, {std::string(obligation_id), std::string(found.Text(0, 0))});
  return ErrorWithReason(
      absl::StatusCode::kAlreadyExists,
      absl::StrCat(existing, " already reports ", label, " for this obligation; update it instead"),
      "REPORT_EXISTS", {{"existing", existing}});
}

absl::StatusOr<std::vector<v1::Obligation>> ReportsStore::ObligationsWithoutUnitLocality(
    int64_t after_id, int limit, absl::Time deadline) {
  return resources_.List(kObligationsWithoutUnitLocality, ObligationFromRow,
                         {absl::StrCat(after_id), absl::StrCat(limit)}, deadline);
}

absl::StatusOr<std::vector<int64_t>> ReportsStore::AssigneesWithoutLocality(int64_t after_id,
                                                                            int limit,
                                                                            absl::Time deadline) {
  return resources_.List(kAssigneesWithoutLocality, AssigneeIdFromRow,
                         {absl::StrCat(after_id), absl::StrCat(limit)}, deadline);
}

absl::Status ReportsStore::KeepAssigneeLocality(int64_t assignee_id, absl::string_view locality_id,
                                                absl::Time deadline) {
  return pg::RunInTransaction(pool_, {.deadline = deadline}, [&](pg::Connection& connection) {
    return connection
        .Execute(kKeepAssigneeLocality, {absl::StrCat(assignee_id), std::string(locality_id)})
        .status();
  });
}

absl::StatusOr<v1::Report> ReportsStore::Move(absl::string_view name, absl::string_view id,
                                              absl::string_view etag, const Transition& transition,
                                              absl::string_view comment, absl::CivilDay today,
                                              const resource::WriteRequest& write) {
  // The generic update does the etag check, the compare-and-set write and
  // the audit record; this step only decides the new state.
  const resource::ResourceTable<v1::Report> table = {
      .pattern = kReportSpec.table.pattern,
      .select = kReportSpec.table.select,
      .insert = kReportSpec.table.insert,
      .update = kReportTransition,
      .remove = kReportSpec.table.remove,
      .from_row = kReportSpec.table.from_row,
      .constraints = kReportSpec.table.constraints,
      .write_children = nullptr,
  };
  return resources_.Update(
      table, name, id, etag, {"state"}, write,
      [&](pg::Connection& connection,
          v1::Report& current) -> absl::StatusOr<std::vector<pg::Param>> {
        if (std::find(transition.from.begin(), transition.from.end(), current.state()) ==
            transition.from.end()) {
          return ErrorWithReason(absl::StatusCode::kFailedPrecondition,
                                 absl::StrCat(name, " is ", StateName(current.state()),
                                              "; it cannot become ", StateName(transition.to)),
                                 "WORKFLOW_FORBIDS", {{"state", StateName(current.state())}});
        }
        // A report goes to its reviewers with every value its document requires.
        if (transition.to == v1::REPORT_STATE_SUBMITTED) {
          CAUNOI_ASSIGN_OR_RETURN(IndicatorSet set, IndicatorSetOfReport(connection, name));
          CAUNOI_RETURN_IF_ERROR(CheckRequired(set, current.values()));
        }
        resource::Params params;
        params.Text(StateName(transition.to));
        if (current.has_submitted_date()) {
          params.Date(current.submitted_date(), true);
        } else if (transition.to == v1::REPORT_STATE_SUBMITTED) {
          params.Text(api::FormatIsoDate(today));
        } else {
          params.Null();
        }
        params.Text(transition.needs_comment || !comment.empty() ? comment
                                                                 : current.review_comment());
        return params.Take();
      });
}

}  // namespace caunoi::reports
