#include "services/reports/summary_store.h"

#include <algorithm>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/api/commune_name.h"
#include "common/api/dates.h"
#include "common/api/enum_token.h"
#include "common/api/locality_name.h"
#include "common/pg/transaction.h"
#include "common/resource/resource_helpers.h"
#include "common/resource/row.h"
#include "common/status/status_macros.h"

namespace caunoi::reports {
namespace {

// The caller's documents $1 narrowed to those ever owed a report (a group
// row stays when its obligations are gone, so every tallied report's
// document is among them). A rollout names every document below a
// directive, most owed nothing; an array parameter is compared element by
// element on each row a scan reads, so the tallies are read with the few.
// Each document is looked up until its first group: reading every group
// of the 35 documents of a national summary to keep 35 ids took a sixth
// of the statement.
#define CAUNOI_OWED_DOCUMENTS                                               \
  "WITH owed AS (SELECT array_agg(d) AS ids FROM unnest($1::bigint[]) AS d" \
  " WHERE EXISTS (SELECT FROM reports.obligation_groups g WHERE g.document_id = d))"
#define CAUNOI_IS_OWED "document_id = ANY((SELECT ids FROM owed)::bigint[])"

// Obligation groups ('g'), report tallies ('t') and, per locality, the
// communes with a report submitted ('c', the commune in the period column)
// in one statement: $1 document ids, $2 locality ('' for none; NULL: all),
// $3..$4 the window on period_first. In no order: sorting the rows cost
// PostgreSQL a third of the statement, and only the communes need one.
constexpr pg::Statement kCompliance{
    "summarize_compliance", CAUNOI_OWED_DOCUMENTS
    " SELECT 'g', locality_id, first_period, timely_days, last_period,"
    "       sum(obligations)::bigint, 0::bigint"
    " FROM reports.locality_obligation_groups"
    " WHERE " CAUNOI_IS_OWED
    " AND ($2::text IS NULL OR locality_id = $2)"
    "   AND first_day <= $4::date AND obligations > 0"
    " GROUP BY 2, 3, 4, 5"
    " UNION ALL "
    // Tallies and communes as they are: the arithmetic that follows sums
    // the tallies of several documents, and the communes are sorted and
    // counted once there, for less than grouping them here costs.
    "SELECT 't', locality_id, period, timely_days, '', on_time::bigint, late::bigint"
    " FROM reports.locality_report_tallies"
    " WHERE " CAUNOI_IS_OWED
    " AND ($2::text IS NULL OR locality_id = $2)"
    "   AND period_first BETWEEN $3::date AND $4::date"
    " UNION ALL "
    "SELECT 'c', locality_id, commune_code, 0, '', 0, 0"
    " FROM reports.commune_reports"
    " WHERE " CAUNOI_IS_OWED
    " AND ($2::text IS NULL OR locality_id = $2)"
    "   AND reports > 0"};

// The same within locality $2, per place: its commune's code, or '' for
// the locality itself (ReadComplianceRow names the place; joining the
// names here cost PostgreSQL a tenth of the statement).
constexpr pg::Statement kComplianceByCommune{
    "summarize_compliance_by_commune", CAUNOI_OWED_DOCUMENTS
    " SELECT 'g', commune_code, first_period, timely_days, last_period,"
    "       sum(obligations)::bigint, 0::bigint"
    " FROM reports.obligation_groups"
    " WHERE " CAUNOI_IS_OWED
    " AND locality_id = $2"
    "   AND first_day <= $4::date AND obligations > 0"
    " GROUP BY 2, 3, 4, 5"
    " UNION ALL "
    // Each tally row as it is: rows of several documents are
    // summed by the arithmetic that follows, not twice.
    "SELECT 't', commune_code, period, timely_days, '', on_time, late"
    " FROM reports.report_tallies"
    " WHERE " CAUNOI_IS_OWED
    " AND locality_id = $2"
    "   AND period_first BETWEEN $3::date AND $4::date"};
#undef CAUNOI_IS_OWED
#undef CAUNOI_OWED_DOCUMENTS

// Every document's obligation groups and report tallies up to $2 (today)
// in the current locality $1 (NULL: all), as kCompliance reads them, a
// document id ahead of each row and the documents in order.
constexpr pg::Statement kMissingReports{
    "missing_reports",
    "SELECT document_id, 'g', locality_id, first_period, timely_days, last_period,"
    "       obligations, 0::bigint"
    " FROM reports.locality_obligation_groups"
    " WHERE ($1::text IS NULL OR locality_id = $1) AND first_day <= $2::date AND obligations > 0"
    " UNION ALL "
    "SELECT document_id, 't', locality_id, period, timely_days, '', sum(on_time)::bigint,"
    "       sum(late)::bigint"
    " FROM reports.locality_report_tallies"
    " WHERE ($1::text IS NULL OR locality_id = $1) AND period_first <= $2::date"
    " GROUP BY 1, 3, 4, 5"
    " ORDER BY 1, 2"};

constexpr pg::Statement kActivities{
    "summarize_activities",
    "SELECT coalesce(a.current_locality_id, ''), a.kind, coalesce(c.country, ''), count(*),"
    "       coalesce(sum(a.participants), 0)::bigint"
    " FROM reports.activities a"
    " LEFT JOIN LATERAL unnest(a.partner_countries) AS c (country) ON true"
    " WHERE ($1::text IS NULL OR a.current_locality_id = $1)"
    "   AND ($2::date IS NULL OR a.start_date >= $2) AND ($3::date IS NULL OR a.start_date <= $3)"
    " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"};

constexpr pg::Statement kOpenProposals{
    "summarize_open_proposals",
    "SELECT coalesce(p.assignee_id::text, ''), p.status, b.bucket, count(*), max(p.age)"
    " FROM (SELECT assignee_id, status, (" CAUNOI_TODAY
    " - raised_date) AS age"
    "       FROM reports.proposals WHERE status IN ('OPEN', 'IN_PROGRESS')"
    "         AND (cardinality($1::bigint[]) = 0 OR assignee_id = ANY($1::bigint[]))"
    "         AND ($2::text IS NULL OR assignee_locality_id = $2)) p"
    " CROSS JOIN LATERAL (SELECT CASE WHEN p.age <= 30 THEN 0 WHEN p.age <= 90 THEN 31"
    "   WHEN p.age <= 180 THEN 91 WHEN p.age <= 365 THEN 181 ELSE 366 END) AS b (bucket)"
    " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"};

// What the compliance statements' rows say, in the arithmetic's terms.
struct ComplianceRows {
  std::vector<ObligationGroup> groups;
  std::vector<ReportTally> tallies;
  std::vector<std::pair<std::string, std::string>> reporting;  // locality, commune
};

// One row: kind ('g', 't' or 'c'), locality, period, timely days, last
// period, two counts. Rows of one locality's communes (`communes_of` set)
// name a commune's code instead, or none for the locality itself; its
// place is then "01/00004" or "01".
void ReadComplianceRow(resource::RowReader& row, ComplianceRows& read,
                       absl::string_view communes_of = {}) {
  const std::string kind = row.Text();
  std::string locality = row.Text();
  if (!communes_of.empty()) locality = PlaceId(communes_of, locality);
  std::string period = row.Text();
  const int timely_days = static_cast<int>(row.Int64());
  const std::string last = row.Text();
  const int64_t first_count = row.Int64();
  const int64_t second_count = row.Int64();
  if (kind == "c") {
    read.reporting.emplace_back(std::move(locality), std::move(period));
    return;
  }
  if (kind == "t") {
    read.tallies.push_back(
        {std::move(locality), std::move(period), timely_days, first_count, second_count});
    return;
  }
  // Labels were validated when the obligation was written.
  absl::StatusOr<periods::Period> first = periods::ParsePeriod(period);
  if (!first.ok()) return;
  ObligationGroup group{std::move(locality), timely_days, *first, std::nullopt, first_count};
  if (!last.empty()) {
    absl::StatusOr<periods::Period> parsed = periods::ParsePeriod(last);
    if (parsed.ok()) group.last = *parsed;
  }
  read.groups.push_back(std::move(group));
}

// Whether `a` comes before `b` in ListMissingReports' order.
bool MissingBefore(const MissingKey& a, const MissingKey& b) {
  return std::tie(a.due_date, a.document_id, a.locality, a.period) <
         std::tie(b.due_date, b.document_id, b.locality, b.period);
}

}  // namespace

absl::StatusOr<MissingReportsPage> SummaryStore::MissingReports(
    const pg::Param& locality_id, absl::CivilDay today, const std::optional<MissingKey>& after,
    int limit, absl::Time deadline) {
  return pg::Transact<MissingReportsPage>(
      pool_, pg::ReadOnly(deadline),
      [&](pg::Connection& connection) -> absl::StatusOr<MissingReportsPage> {
        CAUNOI_ASSIGN_OR_RETURN(
            pg::Result rows,
            connection.Execute(kMissingReports, {locality_id, api::FormatIsoDate(today)}));
        const ComplianceWindow window{std::nullopt, today, today};
        std::vector<std::pair<MissingKey, v1::MissingReports>> missing;
        // Each document's rows are contiguous: summarize one at a time.
        for (int begin = 0; begin < rows.rows();) {
          const std::string document_id(rows.Text(begin, 0));
          int64_t document_number = 0;
          (void)absl::SimpleAtoi(document_id, &document_number);
          ComplianceRows read;
          int end = begin;
          for (; end < rows.rows() && rows.Text(end, 0) == document_id; ++end) {
            resource::RowReader row(rows, end);
            (void)row.Text();  // the document id
            ReadComplianceRow(row, read);
          }
          begin = end;
          const v1::SummarizeComplianceResponse summary =
              SummarizeCompliance(read.groups, read.tallies, window);
          for (const v1::PeriodCompliance& period : summary.periods()) {
            if (period.counts().missing_overdue() == 0) continue;
            MissingKey key{api::FormatIsoDate(api::ToCivilDayUnchecked(period.due_date())),
                           document_number, period.locality(), period.period()};
            if (after.has_value() && !MissingBefore(*after, key)) continue;
            v1::MissingReports& item =
                missing.emplace_back(std::move(key), v1::MissingReports()).second;
            item.set_document(absl::StrCat("directives/", document_id));
            item.set_locality(period.locality());
            item.set_period(period.period());
            *item.mutable_due_date() = period.due_date();
            item.set_missing(period.counts().missing_overdue());
          }
        }
        const size_t kept = std::min(missing.size(), static_cast<size_t>(limit));
        std::partial_sort(
            missing.begin(), missing.begin() + kept, missing.end(),
            [](const auto& a, const auto& b) { return MissingBefore(a.first, b.first); });
        MissingReportsPage page;
        for (size_t i = 0; i < kept; ++i) {
          *page.response.add_missing_reports() = std::move(missing[i].second);
        }
        if (kept < missing.size()) page.last = missing[kept - 1].first;
        return page;
      });
}

absl::Status SummaryStore::Compliance(
    const google::protobuf::RepeatedPtrField<std::string>& documents, const pg::Param& locality_id,
    ComplianceShape shape, const ComplianceWindow& window, absl::Time deadline,
    v1::SummarizeComplianceResponse& response) {
  const absl::CivilDay to = std::min(window.to, window.today);
  const std::string from = window.from ? api::FormatIsoDate(*window.from) : "-infinity";
  return pg::RunInTransaction(
      pool_, pg::ReadOnly(deadline), [&](pg::Connection& connection) -> absl::Status {
        response.Clear();  // of an attempt that was retried
        CAUNOI_ASSIGN_OR_RETURN(
            pg::Result rows,
            connection.Execute(
                shape.by_commune ? kComplianceByCommune : kCompliance,
                {resource::IdArray(documents), locality_id, from, api::FormatIsoDate(to)}));
        ComplianceRows read;
        read.tallies.reserve(rows.rows());
        const absl::string_view communes_of =
            shape.by_commune && locality_id ? absl::string_view(*locality_id) : "";
        for (int i = 0; i < rows.rows(); ++i) {
          resource::RowReader row(rows, i);
          ReadComplianceRow(row, read, communes_of);
        }
        SummarizeCompliance(read.groups, read.tallies, window, shape.with_periods, response);
        if (shape.by_commune) return absl::OkStatus();
        // Both lists in locality order, the communes of each in code order
        // and once, though several documents' reports name them.
        std::sort(read.reporting.begin(), read.reporting.end());
        read.reporting.erase(std::unique(read.reporting.begin(), read.reporting.end()),
                             read.reporting.end());
        auto entry = response.mutable_localities()->begin();
        for (const auto& [locality, commune] : read.reporting) {
          const std::string name = PlaceName(locality);
          while (entry != response.mutable_localities()->end() && entry->locality() < name) ++entry;
          if (entry == response.mutable_localities()->end()) break;
          if (entry->locality() == name)
            entry->add_reporting_communes(CommuneName(locality, commune));
        }
        return absl::OkStatus();
      });
}

absl::StatusOr<v1::SummarizeActivitiesResponse> SummaryStore::Activities(
    const pg::Param& locality_id, const pg::Param& from, const pg::Param& to, absl::Time deadline) {
  return pg::Transact<v1::SummarizeActivitiesResponse>(
      pool_, pg::ReadOnly(deadline),
      [&](pg::Connection& connection) -> absl::StatusOr<v1::SummarizeActivitiesResponse> {
        CAUNOI_ASSIGN_OR_RETURN(pg::Result rows,
                                connection.Execute(kActivities, {locality_id, from, to}));
        v1::SummarizeActivitiesResponse response;
        for (int i = 0; i < rows.rows(); ++i) {
          resource::RowReader row(rows, i);
          v1::ActivityCount* count = response.add_counts();
          if (std::string locality = row.Text(); !locality.empty()) {
            count->set_locality(LocalityName(locality));
          }
          count->set_kind(resource::EnumFromRow<v1::ActivityKind>(row));
          if (std::string country = row.Text(); !country.empty()) {
            count->set_partner_country(absl::StrCat("countries/", country));
          }
          count->set_activities(row.Int64());
          count->set_participants(row.Int64());
        }
        return response;
      });
}

absl::StatusOr<v1::SummarizeOpenProposalsResponse> SummaryStore::OpenProposals(
    const google::protobuf::RepeatedPtrField<std::string>& assignees, const pg::Param& locality_id,
    absl::Time deadline) {
  return pg::Transact<v1::SummarizeOpenProposalsResponse>(
      pool_, pg::ReadOnly(deadline),
      [&](pg::Connection& connection) -> absl::StatusOr<v1::SummarizeOpenProposalsResponse> {
        CAUNOI_ASSIGN_OR_RETURN(
            pg::Result rows,
            connection.Execute(kOpenProposals, {resource::IdArray(assignees), locality_id}));
        v1::SummarizeOpenProposalsResponse response;
        for (int i = 0; i < rows.rows(); ++i) {
          resource::RowReader row(rows, i);
          v1::OpenProposalCount* count = response.add_counts();
          if (std::string assignee = row.Text(); !assignee.empty()) {
            count->set_assignee(absl::StrCat("organizations/", assignee));
          }
          count->set_status(resource::EnumFromRow<v1::ProposalStatus>(row));
          count->set_min_age_days(static_cast<int32_t>(row.Int64()));
          count->set_proposals(row.Int64());
          count->set_max_age_days(static_cast<int32_t>(row.Int64()));
        }
        return response;
      });
}

}  // namespace caunoi::reports
