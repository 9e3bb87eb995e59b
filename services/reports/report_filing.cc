#include "services/reports/report_filing.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/calls/caller_watch.h"
#include "common/pg/array_literal.h"
#include "common/pg/transaction.h"
#include "common/resource/row.h"
#include "common/resource/state_json.h"
#include "common/status/status_macros.h"
#include "services/reports/indicators/indicator_set_store.h"
#include "services/reports/indicators/indicator_values.h"
#include "services/reports/report_admission.h"
#include "services/reports/resources/resources.h"

namespace caunoi::reports {
namespace {

const resource::ConstraintRule& PeriodTaken() {
  for (const resource::ConstraintRule& rule : kReportSpec.table.constraints) {
    if (rule.constraint == "report_period_unique") return rule;
  }
  std::abort();  // kReportSpec names the constraint
}

std::string IdsLiteral(const std::vector<std::string>& ids) {
  return pg::ArrayLiteral(std::span<const std::string>(ids));
}

// A filing whose request_id an earlier request claimed, and what that
// request created.
struct Earlier {
  Filing* filing;
  std::string report_id;
};

// One attempt at writing a batch, inside the caller's transaction. Every
// filing ends with a result, except followers (`followers()`), which take
// their original's once the transaction commits.
class BatchAttempt {
 public:
  BatchAttempt(resource::ResourceStore& store, pg::Connection& connection)
      : store_(store), connection_(connection) {}

  absl::Status Write(std::span<Filing* const> filings) {
    // The claim goes with the read of the obligations, before knowing which
    // filings they admit, when each filing has a request_id of its own; a
    // refused filing then gives its claim back.
    const bool claim_first = RequestIdsDistinct(filings);
    std::vector<const resource::WriteRequest*> early_writes;
    if (claim_first) {
      for (const Filing* filing : filings) early_writes.push_back(&filing->write);
    }
    CAUNOI_ASSIGN_OR_RETURN(std::vector<Filing*> admitted,
                            Admitted(filings, store_.log().ClaimEachCall(early_writes)));
    std::vector<Filing*> claiming;
    resource::WriteLog::Claims claims;
    if (claim_first) {
      CAUNOI_ASSIGN_OR_RETURN(
          resource::WriteLog::Claims all,
          store_.log().ClaimsOf(connection_, early_writes,
                                early_claim_.has_value() ? &*early_claim_ : nullptr));
      const absl::flat_hash_set<const Filing*> kept(admitted.begin(), admitted.end());
      for (size_t i = 0; i < filings.size(); ++i) {
        if (kept.contains(filings[i])) {
          claiming.push_back(filings[i]);
          claims.push_back(std::move(all[i]));
        } else if (all[i].ok() && !all[i]->has_value() && !filings[i]->write.request_id.empty()) {
          unclaim_.push_back(filings[i]->write.request_id);
        }
      }
    } else {
      claiming = FirstOfEachRequest(admitted);
      std::vector<const resource::WriteRequest*> writes;
      for (const Filing* filing : claiming) writes.push_back(&filing->write);
      CAUNOI_ASSIGN_OR_RETURN(claims, store_.log().ClaimEach(connection_, writes));
    }

    std::vector<Filing*> fresh;
    std::vector<Earlier> earlier;
    for (size_t i = 0; i < claiming.size(); ++i) {
      if (!claims[i].ok()) {
        claiming[i]->result = claims[i].status();
      } else if (claims[i]->has_value()) {
        earlier.push_back({claiming[i], **claims[i]});
      } else {
        fresh.push_back(claiming[i]);
      }
    }
    CAUNOI_RETURN_IF_ERROR(Insert(fresh));
    store_.log().Unclaim(connection_, unclaim_);
    CAUNOI_RETURN_IF_ERROR(ReadEarlier(earlier));
    store_.log().AppendCreatedEach(connection_, audit_);
    return absl::OkStatus();
  }

  const std::vector<std::pair<Filing*, Filing*>>& followers() const { return followers_; }

 private:
  static bool RequestIdsDistinct(std::span<Filing* const> filings) {
    absl::flat_hash_set<absl::string_view> seen;
    for (const Filing* filing : filings) {
      const std::string& id = filing->write.request_id;
      if (!id.empty() && !seen.insert(id).second) return false;
    }
    return true;
  }

  // The filings whose obligation exists and admits them. `claim`, when
  // given, is sent in the same round trip and its result kept in
  // early_claim_.
  absl::StatusOr<std::vector<Filing*>> Admitted(std::span<Filing* const> filings,
                                                std::optional<pg::Connection::Call> claim) {
    std::vector<std::string> ids;
    for (const Filing* filing : filings) ids.push_back(filing->obligation_id);
    std::vector<pg::Connection::Call> calls = {{kObligationsByIds, {IdsLiteral(ids)}},
                                               IndicatorSetsOfObligations(ids)};
    if (claim.has_value()) calls.push_back(*std::move(claim));
    CAUNOI_ASSIGN_OR_RETURN(std::vector<pg::Result> read, connection_.ExecuteTogether(calls));
    if (claim.has_value()) early_claim_ = std::move(read[2]);
    absl::flat_hash_map<std::string, v1::Obligation> obligations;
    for (int i = 0; i < read[0].rows(); ++i) {
      resource::RowReader row(read[0], i);
      v1::Obligation obligation = ObligationFromRow(row);
      obligations.emplace(obligation.name(), std::move(obligation));
    }
    IndicatorSets sets = IndicatorSetsFromRows(read[1]);
    std::vector<Filing*> admitted;
    for (Filing* filing : filings) {
      auto found = obligations.find(filing->obligation_name);
      if (found == obligations.end()) {
        filing->result = resource::NotFound(filing->obligation_name);
      } else if (absl::Status admit = AdmitReport(filing->caller, found->second, filing->report);
                 !admit.ok()) {
        filing->result = admit;
      } else if (absl::Status fits = CheckValues(sets[api::ResourceId(found->second.document())],
                                                 EffectiveValues(filing->report), "report.values");
                 !fits.ok()) {
        filing->result = fits;
      } else {
        admitted.push_back(filing);
      }
    }
    return admitted;
  }

  // Of filings sharing a request_id, the first writes; a retry of it (the
  // same request) follows it, and another request under its id is refused.
  std::vector<Filing*> FirstOfEachRequest(const std::vector<Filing*>& admitted) {
    std::vector<Filing*> first_of_each;
    absl::flat_hash_map<std::string, Filing*> first_with_id;
    for (Filing* filing : admitted) {
      const resource::WriteRequest& write = filing->write;
      if (!write.request_id.empty()) {
        auto [first, inserted] = first_with_id.emplace(write.request_id, filing);
        if (!inserted) {
          const resource::WriteRequest& original = first->second->write;
          if (absl::Status retry =
                  resource::CheckRetryOf(original.method, original.fingerprint, write);
              retry.ok()) {
            followers_.emplace_back(filing, first->second);
          } else {
            filing->result = retry;
          }
          continue;
        }
      }
      first_of_each.push_back(filing);
    }
    return first_of_each;
  }

  // Inserts and reads back the new reports in one statement. Of two filings
  // for one period only the first is tried, as if they had come one after
  // the other; one whose period is taken gets ALREADY_EXISTS and gives its
  // request_id back.
  absl::Status Insert(const std::vector<Filing*>& fresh) {
    std::vector<Filing*> inserting;
    // One array per column: the obligation ids, then kReportSpec's columns.
    std::vector<std::vector<pg::Param>> columns;
    absl::flat_hash_map<std::pair<std::string, std::string>, Filing*> by_period;
    for (Filing* filing : fresh) {
      std::vector<pg::Param> values = kReportSpec.columns(filing->report);
      if (!by_period.emplace(std::pair(filing->obligation_id, *values[0]), filing).second) {
        RefusePeriod(*filing);
        continue;
      }
      columns.resize(values.size() + 1);
      columns[0].emplace_back(filing->obligation_id);
      for (size_t c = 0; c < values.size(); ++c) columns[c + 1].push_back(std::move(values[c]));
      inserting.push_back(filing);
    }
    if (inserting.empty()) return absl::OkStatus();

    std::vector<pg::Param> params;
    for (const std::vector<pg::Param>& column : columns) {
      params.emplace_back(pg::ArrayLiteral(std::span<const pg::Param>(column)));
    }
    CAUNOI_ASSIGN_OR_RETURN(pg::Result inserted, connection_.Execute(kReportInsertEach, params));
    // Matched by (obligation, period), unique among the rows tried.
    absl::flat_hash_map<std::pair<std::string, std::string>, v1::Report> reports;
    for (int i = 0; i < inserted.rows(); ++i) {
      resource::RowReader row(inserted, i);
      v1::Report report = ReportFromRow(row);
      const std::vector<std::string> ids =
          *api::ParseResourceName(report.name(), kReportPattern, "name");
      reports.emplace(std::pair(ids[0], report.period()), std::move(report));
    }
    for (size_t i = 0; i < inserting.size(); ++i) {
      Filing* filing = inserting[i];
      auto report = reports.find(std::pair(filing->obligation_id, *columns[1][i]));
      if (report == reports.end()) {
        RefusePeriod(*filing);
        continue;
      }
      filing->result = report->second;
      audit_.push_back({.write = &filing->write,
                        .resource_id = std::string(api::ResourceId(report->second.name())),
                        .resource = report->second.name(),
                        .after_json = resource::ToJson(report->second)});
    }
    return absl::OkStatus();
  }

  void RefusePeriod(Filing& filing) {
    filing.result = resource::ViolationError(PeriodTaken());
    if (!filing.write.request_id.empty()) unclaim_.push_back(filing.write.request_id);
  }

  // What the earlier requests with these filings' ids created: read only
  // when the batch holds retries.
  absl::Status ReadEarlier(const std::vector<Earlier>& earlier) {
    if (earlier.empty()) return absl::OkStatus();
    std::vector<std::string> ids;
    for (const Earlier& retry : earlier) {
      ids.push_back(retry.report_id.empty() ? "0" : retry.report_id);
    }
    CAUNOI_ASSIGN_OR_RETURN(pg::Result rows, connection_.Execute(kReportsByIds, {IdsLiteral(ids)}));
    absl::flat_hash_map<std::string, v1::Report> reports;
    for (int i = 0; i < rows.rows(); ++i) {
      resource::RowReader row(rows, i);
      v1::Report report = ReportFromRow(row);
      reports.emplace(api::ResourceId(report.name()), std::move(report));
    }
    for (const Earlier& retry : earlier) {
      auto report = reports.find(retry.report_id);
      if (report == reports.end()) {
        retry.filing->result = absl::NotFoundError(
            "the resource created under this request_id has since been deleted");
      } else {
        retry.filing->result = report->second;
      }
    }
    return absl::OkStatus();
  }

  resource::ResourceStore& store_;
  pg::Connection& connection_;
  std::vector<std::pair<Filing*, Filing*>> followers_;  // follower, original
  std::vector<std::string> unclaim_;
  std::vector<resource::WriteLog::Created> audit_;
  std::optional<pg::Result> early_claim_;  // the claim sent with the obligations' read
};

}  // namespace

absl::Status FileReports(resource::ResourceStore& store, std::span<Filing* const> filings,
                         absl::FunctionRef<void()> before_last_round_trip) {
  absl::Time deadline = absl::InfiniteFuture();
  for (const Filing* filing : filings) deadline = std::min(deadline, filing->write.deadline);
  std::vector<std::pair<Filing*, Filing*>> followers;
  // The batch serves every filing in it: one caller leaving must not end it.
  calls::UnwatchedScope for_every_filing;
  CAUNOI_RETURN_IF_ERROR(pg::RunInTransaction(
      store.pool(), {.deadline = deadline}, [&](pg::Connection& connection) -> absl::Status {
        BatchAttempt attempt(store, connection);  // afresh on each retry
        CAUNOI_RETURN_IF_ERROR(attempt.Write(filings));
        followers = attempt.followers();
        before_last_round_trip();
        return absl::OkStatus();
      }));
  for (auto& [follower, original] : followers) follower->result = original->result;
  return absl::OkStatus();
}

}  // namespace caunoi::reports
