#include "services/reports/summary_store.h"

#include <algorithm>
#include <limits>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/api/commune_name.h"
#include "common/api/dates.h"
#include "common/api/enum_token.h"
#include "common/api/locality_name.h"
#include "common/api/resource_name.h"
#include "common/pg/transaction.h"
#include "common/resource/resource_helpers.h"
#include "common/resource/row.h"
#include "common/status/status_macros.h"

namespace caunoi::reports {
namespace {

// The caller's documents $1 narrowed to those ever owed a report (a group
// row stays when its obligations are gone, so every tallied report's
// document is among them), as an array literal. A rollout names every
// document below a directive, most owed nothing; an array parameter is
// compared element by element on each row a scan reads, so the summary's
// statements read with the few. Found once ahead of them: found in each,
// it cost a national summary 0.4 ms of PostgreSQL's time three times over.
// The documents are looked up in the key of the groups per locality
// (kept with those per commune by one trigger, so they name the same
// documents), one index scan for the whole array: given a national
// rollout's 1,141 documents, PostgreSQL hashes every group instead, and
// those per commune are a hundred times as many. A lookup per document
// (a semi-join from the array) took the plan kept for the statement twice
// as long, 1.5 ms for a rollout's 1,734.
constexpr pg::Statement kOwedDocuments{
    "summarize_compliance_owed_documents",
    "SELECT coalesce(array_agg(DISTINCT document_id), '{}')::text"
    " FROM reports.locality_obligation_groups WHERE document_id = ANY($1::bigint[])"};

// A summary then reads obligation groups, report tallies and (per
// locality) the communes with a report submitted, each with only the
// columns it needs, in one round trip: a province's 12,600 tally rows or a
// nation's 3,321 communes cost PostgreSQL a field at a time to send, and a
// shared row shape sent two or five fields of each as padding.

// Groups as ReadGroupRow reads them: $1 the owed documents, $2 locality
// (NULL: all), $3 the window's last day.
constexpr pg::Statement kComplianceGroups{
    "summarize_compliance_groups",
    "SELECT locality_id, first_period, timely_days, last_period, sum(obligations)::bigint"
    " FROM reports.locality_obligation_groups"
    " WHERE document_id = ANY($1::bigint[]) AND ($2::text IS NULL OR locality_id = $2)"
    "   AND first_day <= $3::date AND obligations > 0"
    " GROUP BY 1, 2, 3, 4"};

// Tallies as ReadTallyRow reads them, $3..$4 the window on period_first.
// In no order: sorting the rows cost PostgreSQL a third of the statement.
// As they are: the arithmetic that follows sums the tallies of several
// documents, for less than grouping them here costs.
constexpr pg::Statement kComplianceTallies{
    "summarize_compliance_tallies",
    "SELECT locality_id, period, timely_days, on_time, late FROM reports.locality_report_tallies"
    " WHERE document_id = ANY($1::bigint[]) AND ($2::text IS NULL OR locality_id = $2)"
    "   AND period_first BETWEEN $3::date AND $4::date"};

// Each locality's communes with a report submitted, per document: their
// codes joined by commas, sorted and counted once by the server.
constexpr pg::Statement kReportingCommunes{
    "summarize_compliance_reporting_communes",
    "SELECT locality_id, array_to_string(communes, ',') FROM reports.reporting_communes"
    " WHERE document_id = ANY($1::bigint[]) AND ($2::text IS NULL OR locality_id = $2)"
    "   AND cardinality(communes) > 0"};

// The same within locality $2, per place: its commune's code, or '' for
// the locality itself (the server names the place; joining the names here
// cost PostgreSQL a tenth of the statement).
constexpr pg::Statement kComplianceGroupsByCommune{
    "summarize_compliance_groups_by_commune",
    "SELECT commune_code, first_period, timely_days, last_period, sum(obligations)::bigint"
    " FROM reports.obligation_groups"
    " WHERE document_id = ANY($1::bigint[]) AND locality_id = $2 AND first_day <= $3::date"
    "   AND obligations > 0"
    " GROUP BY 1, 2, 3, 4"};
// Their tallies, held between reads (HeldCommuneTallies): those changed by
// a transaction at or above $3, with the xmin of the statement's own
// snapshot, on a row of its own when none changed.
constexpr pg::Statement kCommuneTalliesChanged{
    "summarize_compliance_commune_tallies_changed",
    "SELECT s.xmin::text, t.document_id, t.commune_code, t.period, t.period_first, t.timely_days,"
    "       t.on_time, t.late"
    " FROM (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin) s"
    " LEFT JOIN LATERAL (SELECT document_id, commune_code, period, period_first, timely_days,"
    "                           on_time, late"
    "                    FROM reports.report_tallies"
    "                    WHERE document_id = ANY($1::bigint[]) AND locality_id = $2"
    "                      AND changed_by >= $3::xid8) t ON true"};
// Every document's obligation groups and report tallies up to $2 (today)
// in the current locality $1 (NULL: all), as the summary reads them with a
// document id ahead of each row, in document order.
constexpr pg::Statement kMissingReportsGroups{
    "missing_reports_groups",
    "SELECT document_id, locality_id, first_period, timely_days, last_period, obligations"
    " FROM reports.locality_obligation_groups"
    " WHERE ($1::text IS NULL OR locality_id = $1) AND first_day <= $2::date AND obligations > 0"
    " ORDER BY 1"};
constexpr pg::Statement kMissingReportsTallies{
    "missing_reports_tallies",
    "SELECT document_id, locality_id, period, timely_days, sum(on_time)::bigint,"
    "       sum(late)::bigint"
    " FROM reports.locality_report_tallies"
    " WHERE ($1::text IS NULL OR locality_id = $1) AND period_first <= $2::date"
    " GROUP BY 1, 2, 3, 4 ORDER BY 1"};

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
};

// Rows of one locality's communes (`communes_of` set) name a commune's
// code, or none for the locality itself: the place is then "01/00004" or
// "01".
std::string PlaceOfRow(resource::RowReader& row, absl::string_view communes_of) {
  const absl::string_view place = row.View();
  return communes_of.empty() ? std::string(place) : PlaceId(communes_of, place);
}

// place, first period, timely days, last period ('' while the duty
// lasts), obligations.
void ReadGroupRow(resource::RowReader& row, absl::string_view communes_of, ComplianceRows& read) {
  std::string place = PlaceOfRow(row, communes_of);
  const std::string first_label = row.Text();
  const int timely_days = static_cast<int>(row.Int64());
  const std::string last_label = row.Text();
  const int64_t obligations = row.Int64();
  // Labels were validated when the obligation was written.
  absl::StatusOr<periods::Period> first = periods::ParsePeriod(first_label);
  if (!first.ok()) return;
  ObligationGroup group{std::move(place), timely_days, *first, std::nullopt, obligations};
  if (!last_label.empty()) {
    absl::StatusOr<periods::Period> last = periods::ParsePeriod(last_label);
    if (last.ok()) group.last = *last;
  }
  read.groups.push_back(std::move(group));
}

// locality, period, timely days, on time, late.
void ReadTallyRow(resource::RowReader& row, ComplianceRows& read) {
  std::string place = row.Text();
  std::string period = row.Text();
  const int timely_days = static_cast<int>(row.Int64());
  const int64_t on_time = row.Int64();
  const int64_t late = row.Int64();
  read.tallies.push_back({std::move(place), std::move(period), timely_days, on_time, late});
}

// The rows of kCommuneTalliesChanged, of locality `locality_id`.
ChangedTallies ReadChangedTallies(const pg::Result& rows, absl::string_view locality_id) {
  ChangedTallies changed;
  if (rows.rows() > 0) (void)absl::SimpleAtoi(rows.Text(0, 0), &changed.xmin);
  for (int i = 0; i < rows.rows() && !rows.IsNull(i, 1); ++i) {
    resource::RowReader row(rows, i);
    row.Skip(1);  // the xmin
    ChangedTally& read = changed.rows.emplace_back();
    read.document_id = row.Int64();
    read.tally.locality_id = PlaceId(locality_id, row.View());
    read.tally.period = row.Text();
    read.period_first = row.Text();
    read.tally.timely_days = static_cast<int>(row.Int64());
    read.tally.on_time = row.Int64();
    read.tally.late = row.Int64();
  }
  return changed;
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
        const std::vector<pg::Param> params{locality_id, api::FormatIsoDate(today)};
        CAUNOI_ASSIGN_OR_RETURN(std::vector<pg::Result> results,
                                connection.ExecuteTogether({{kMissingReportsGroups, params},
                                                            {kMissingReportsTallies, params}}));
        const pg::Result& groups = results[0];
        const pg::Result& tallies = results[1];
        auto document_at = [](const pg::Result& rows, int row) {
          int64_t id = 0;
          (void)absl::SimpleAtoi(rows.Text(row, 0), &id);
          return id;
        };
        const ComplianceWindow window{std::nullopt, today, today};
        std::vector<std::pair<MissingKey, v1::MissingReports>> missing;
        // Both in document order: summarize one document at a time.
        for (int g = 0, t = 0; g < groups.rows() || t < tallies.rows();) {
          int64_t document_number = std::numeric_limits<int64_t>::max();
          if (g < groups.rows()) document_number = document_at(groups, g);
          if (t < tallies.rows())
            document_number = std::min(document_number, document_at(tallies, t));
          ComplianceRows read;
          for (; g < groups.rows() && document_at(groups, g) == document_number; ++g) {
            resource::RowReader row(groups, g);
            row.Skip(1);  // the document id
            ReadGroupRow(row, "", read);
          }
          for (; t < tallies.rows() && document_at(tallies, t) == document_number; ++t) {
            resource::RowReader row(tallies, t);
            row.Skip(1);
            ReadTallyRow(row, read);
          }
          const v1::SummarizeComplianceResponse summary =
              SummarizeCompliance(read.groups, read.tallies, window);
          for (const v1::PeriodCompliance& period : summary.periods()) {
            if (period.counts().missing_overdue() == 0) continue;
            MissingKey key{api::FormatIsoDate(api::ToCivilDayUnchecked(period.due_date())),
                           document_number, period.locality(), period.period()};
            if (after.has_value() && !MissingBefore(*after, key)) continue;
            v1::MissingReports& item =
                missing.emplace_back(std::move(key), v1::MissingReports()).second;
            item.set_document(absl::StrCat("directives/", document_number));
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
        CAUNOI_ASSIGN_OR_RETURN(pg::Result owed_rows,
                                connection.Execute(kOwedDocuments, {resource::IdArray(documents)}));
        const std::string ids(owed_rows.Text(0, 0));
        const std::string last_day = api::FormatIsoDate(to);
        ComplianceRows read;
        if (shape.by_commune) {
          // A place's groups are few; its tallies are held between reads.
          std::vector<pg::Result> results;
          CAUNOI_ASSIGN_OR_RETURN(
              const HeldCommuneTallies::Tallies tallies,
              held_.Read(
                  ids, *locality_id, window.from, to,
                  [&](uint64_t since) -> absl::StatusOr<ChangedTallies> {
                    CAUNOI_ASSIGN_OR_RETURN(
                        results,
                        connection.ExecuteTogether(
                            {{kComplianceGroupsByCommune, {ids, locality_id, last_day}},
                             {kCommuneTalliesChanged, {ids, locality_id, absl::StrCat(since)}}}));
                    return ReadChangedTallies(results[1], *locality_id);
                  }));
          for (int i = 0; i < results[0].rows(); ++i) {
            resource::RowReader row(results[0], i);
            ReadGroupRow(row, *locality_id, read);
          }
          SummarizeCompliance(read.groups, *tallies, window, shape.with_periods, response);
          return absl::OkStatus();
        }
        CAUNOI_ASSIGN_OR_RETURN(
            std::vector<pg::Result> results,
            connection.ExecuteTogether({{kComplianceGroups, {ids, locality_id, last_day}},
                                        {kComplianceTallies, {ids, locality_id, from, last_day}},
                                        {kReportingCommunes, {ids, locality_id}}}));
        for (int i = 0; i < results[0].rows(); ++i) {
          resource::RowReader row(results[0], i);
          ReadGroupRow(row, "", read);
        }
        read.tallies.reserve(results[1].rows());
        for (int i = 0; i < results[1].rows(); ++i) {
          resource::RowReader row(results[1], i);
          ReadTallyRow(row, read);
        }
        SummarizeCompliance(read.groups, read.tallies, window, shape.with_periods, response);
        CommuneCodes reporting;  // per locality id, its communes with a report
        for (int i = 0; i < results[2].rows(); ++i) {
          AddJoinedCodes(results[2].Text(i, 0), results[2].Text(i, 1), reporting);
        }
        for (v1::LocalityCompliance& entry : *response.mutable_localities()) {
          auto found = reporting.find(api::ResourceId(entry.locality()));
          if (found == reporting.end()) continue;
          AddCommunes(found->first, found->second, shape.communes_by_code,
                      *entry.mutable_reporting_communes(),
                      *entry.mutable_reporting_commune_codes());
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
