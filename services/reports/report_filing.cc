#include "services/reports/report_filing.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/pg/array_literal.h"
#include "common/pg/transaction.h"
#include "common/resource/row.h"
#include "common/status/status_macros.h"
#include "services/reports/resources/resources.h"

namespace caunoi::reports {
namespace {

constexpr int kReportColumns = 17;  // what kReportSpec.columns gives

const resource::ConstraintRule& PeriodTaken() {
  for (const resource::ConstraintRule& rule : kReportSpec.table.constraints) {
    if (rule.constraint == "report_period_unique") return rule;
  }
  std::abort();  // kReportSpec names the constraint
}

template <typename T, typename Key>
std::string IdsLiteral(const std::vector<T>& items, Key key) {
  std::vector<std::string> ids;
  ids.reserve(items.size());
  for (const T& item : items) ids.push_back(key(item));
  return pg::ArrayLiteral(std::span<const std::string>(ids));
}

// The filings whose obligation exists and admits them.
absl::StatusOr<std::vector<Filing*>> Admitted(pg::Connection& connection,
                                              std::span<Filing* const> filings) {
  std::vector<std::string> ids;
  for (const Filing* filing : filings) ids.push_back(filing->obligation_id);
  CAUNOI_ASSIGN_OR_RETURN(
      pg::Result rows,
      connection.Execute(kObligationsByIds, {pg::ArrayLiteral(std::span<const std::string>(ids))}));
  absl::flat_hash_map<std::string, v1::Obligation> obligations;
  for (int i = 0; i < rows.rows(); ++i) {
    resource::RowReader row(rows, i);
    v1::Obligation obligation = ObligationFromRow(row);
    obligations.emplace(obligation.name(), std::move(obligation));
  }
  std::vector<Filing*> admitted;
  for (Filing* filing : filings) {
    auto found = obligations.find(filing->obligation_name);
    if (found == obligations.end()) {
      filing->result = resource::NotFound(filing->obligation_name);
    } else if (absl::Status admit = filing->admit(found->second); !admit.ok()) {
      filing->result = admit;
    } else {
      admitted.push_back(filing);
    }
  }
  return admitted;
}

struct Written {
  Filing* filing;
  std::string id;
};

}  // namespace

absl::Status FileReports(resource::ResourceStore& store, std::span<Filing* const> filings) {
  absl::Time deadline = absl::InfiniteFuture();
  for (const Filing* filing : filings) deadline = std::min(deadline, filing->write.deadline);
  // A retry racing its original follows it rather than writing.
  std::vector<std::pair<Filing*, Filing*>> followers;

  absl::Status status = pg::RunInTransaction(
      store.pool(), {.deadline = deadline}, [&](pg::Connection& connection) -> absl::Status {
        followers.clear();
        CAUNOI_ASSIGN_OR_RETURN(std::vector<Filing*> admitted, Admitted(connection, filings));

        std::vector<Filing*> claiming;
        absl::flat_hash_map<std::string, Filing*> first_with_id;
        for (Filing* filing : admitted) {
          const resource::WriteRequest& write = filing->write;
          if (!write.request_id.empty()) {
            auto [first, inserted] = first_with_id.emplace(write.request_id, filing);
            if (!inserted) {
              if (first->second->write.fingerprint == write.fingerprint &&
                  first->second->write.method == write.method) {
                followers.emplace_back(filing, first->second);
              } else {
                filing->result = InvalidFieldError(
                    "request_id", "was already used for a different request; use a new request_id");
              }
              continue;
            }
          }
          claiming.push_back(filing);
        }
        std::vector<const resource::WriteRequest*> writes;
        for (const Filing* filing : claiming) writes.push_back(&filing->write);
        CAUNOI_ASSIGN_OR_RETURN(auto claims, store.log().ClaimEach(connection, writes));

        // One row per new report; of two filings for the same period only
        // the first is tried, as if they had come one after the other.
        std::vector<Filing*> inserting;
        std::vector<Written> earlier;
        std::vector<std::vector<pg::Param>> columns(kReportColumns + 1);
        absl::flat_hash_map<std::pair<std::string, std::string>, Filing*> by_period;
        std::vector<std::string> unclaim;
        for (size_t i = 0; i < claiming.size(); ++i) {
          Filing* filing = claiming[i];
          if (!claims[i].ok()) {
            filing->result = claims[i].status();
            continue;
          }
          if (claims[i]->has_value()) {
            earlier.push_back({filing, **claims[i]});
            continue;
          }
          std::vector<pg::Param> values = kReportSpec.columns(filing->report);
          if (!by_period.emplace(std::pair(filing->obligation_id, *values[0]), filing).second) {
            filing->result = resource::ViolationError(PeriodTaken());
            if (!filing->write.request_id.empty()) unclaim.push_back(filing->write.request_id);
            continue;
          }
          columns[0].emplace_back(filing->obligation_id);
          for (int c = 0; c < kReportColumns; ++c) columns[c + 1].push_back(std::move(values[c]));
          inserting.push_back(filing);
        }

        // Inserted and read back in one statement; matched by (obligation,
        // period), unique among the rows tried.
        std::vector<resource::WriteLog::Created> audit;
        if (!inserting.empty()) {
          std::vector<pg::Param> params;
          for (const std::vector<pg::Param>& column : columns) {
            params.emplace_back(pg::ArrayLiteral(std::span<const pg::Param>(column)));
          }
          CAUNOI_ASSIGN_OR_RETURN(pg::Result inserted,
                                  connection.Execute(kReportInsertEach, params));
          absl::flat_hash_map<std::pair<std::string, std::string>, v1::Report> reports;
          for (int i = 0; i < inserted.rows(); ++i) {
            resource::RowReader row(inserted, i);
            v1::Report report = ReportFromRow(row);
            std::vector<std::string> ids =
                *api::ParseResourceName(report.name(), kReportPattern, "name");
            reports.emplace(std::pair(ids[0], report.period()), std::move(report));
          }
          for (size_t i = 0; i < inserting.size(); ++i) {
            Filing* filing = inserting[i];
            auto report = reports.find(std::pair(filing->obligation_id, *columns[1][i]));
            if (report == reports.end()) {
              filing->result = resource::ViolationError(PeriodTaken());
              if (!filing->write.request_id.empty()) unclaim.push_back(filing->write.request_id);
              continue;
            }
            filing->result = report->second;
            audit.push_back({.write = &filing->write,
                             .resource_id = std::string(api::ResourceId(report->second.name())),
                             .resource = report->second.name(),
                             .after_json = resource::ToJson(report->second)});
          }
        }
        CAUNOI_RETURN_IF_ERROR(store.log().Unclaim(connection, unclaim));

        // What earlier requests with these ids wrote: read only for retries.
        if (!earlier.empty()) {
          CAUNOI_ASSIGN_OR_RETURN(
              pg::Result rows,
              connection.Execute(kReportsByIds, {IdsLiteral(earlier, [](const Written& written) {
                                   return written.id.empty() ? std::string("0") : written.id;
                                 })}));
          absl::flat_hash_map<std::string, v1::Report> reports;
          for (int i = 0; i < rows.rows(); ++i) {
            resource::RowReader row(rows, i);
            v1::Report report = ReportFromRow(row);
            reports.emplace(api::ResourceId(report.name()), std::move(report));
          }
          for (const Written& written : earlier) {
            auto report = reports.find(written.id);
            if (report == reports.end()) {
              written.filing->result = absl::NotFoundError(
                  "the resource created under this request_id has since been deleted");
            } else {
              written.filing->result = report->second;
            }
          }
        }
        return store.log().AppendCreatedEach(connection, audit);
      });
  if (!status.ok()) return status;
  for (auto& [follower, first] : followers) follower->result = first->result;
  return absl::OkStatus();
}

}  // namespace caunoi::reports
