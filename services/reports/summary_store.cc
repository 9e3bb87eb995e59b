#include "services/reports/summary_store.h"

#include "absl/strings/str_cat.h"
#include "common/api/enum_token.h"
#include "common/api/locality_name.h"
#include "common/pg/transaction.h"
#include "common/resource/resource_helpers.h"
#include "common/resource/row.h"
#include "common/status/status_macros.h"

namespace caunoi::reports {
namespace {

// Obligation groups ('g'), report tallies ('t') and, per locality, the
// communes with a report submitted ('c', the commune in the period column)
// in one statement: $1 document ids, $2 locality ('' for none; NULL: all),
// $3..$4 the window on period_first.
constexpr pg::Statement kCompliance{
    "summarize_compliance",
    "SELECT 'g', locality_id, first_period, timely_days, last_period,"
    "       sum(obligations)::bigint, 0::bigint"
    " FROM reports.obligation_groups"
    " WHERE document_id = ANY($1::bigint[]) AND ($2::text IS NULL OR locality_id = $2)"
    "   AND first_day <= $4::date AND obligations > 0"
    " GROUP BY 2, 3, 4, 5"
    " UNION ALL "
    "SELECT 't', locality_id, period, timely_days, '', sum(on_time)::bigint, sum(late)::bigint"
    " FROM reports.locality_report_tallies"
    " WHERE document_id = ANY($1::bigint[]) AND ($2::text IS NULL OR locality_id = $2)"
    "   AND period_first BETWEEN $3::date AND $4::date"
    " GROUP BY 2, 3, 4"
    " UNION ALL "
    "SELECT 'c', locality_id, commune_code, 0, '', 0, 0"
    " FROM reports.commune_reports"
    " WHERE document_id = ANY($1::bigint[]) AND ($2::text IS NULL OR locality_id = $2)"
    "   AND reports > 0"
    " GROUP BY 2, 3"
    " ORDER BY 1, 2, 3"};

// The same within locality $2, per place: the locality itself, or
// "01/00004" for what one of its communes owes and filed.
#define CAUNOI_TALLY_PLACE \
  "locality_id || CASE WHEN commune_code <> '' THEN '/' || commune_code ELSE '' END"
constexpr pg::Statement kComplianceByCommune{
    "summarize_compliance_by_commune", "SELECT 'g', " CAUNOI_TALLY_PLACE
                                       ", first_period, timely_days, last_period,"
                                       "       sum(obligations)::bigint, 0::bigint"
                                       " FROM reports.obligation_groups"
                                       " WHERE document_id = ANY($1::bigint[]) AND locality_id = $2"
                                       "   AND first_day <= $4::date AND obligations > 0"
                                       " GROUP BY 2, 3, 4, 5"
                                       " UNION ALL "
                                       // Each tally row as it is: rows of several documents are
                                       // summed by the arithmetic that follows, not twice.
                                       "SELECT 't', " CAUNOI_TALLY_PLACE
                                       ", period, timely_days, '', on_time, late"
                                       " FROM reports.report_tallies"
                                       " WHERE document_id = ANY($1::bigint[]) AND locality_id = $2"
                                       "   AND period_first BETWEEN $3::date AND $4::date"};
#undef CAUNOI_TALLY_PLACE

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
    "         AND (cardinality($1::bigint[]) = 0 OR assignee_id = ANY($1::bigint[]))) p"
    " CROSS JOIN LATERAL (SELECT CASE WHEN p.age <= 30 THEN 0 WHEN p.age <= 90 THEN 31"
    "   WHEN p.age <= 180 THEN 91 WHEN p.age <= 365 THEN 181 ELSE 366 END) AS b (bucket)"
    " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"};

}  // namespace

absl::StatusOr<v1::SummarizeComplianceResponse> SummaryStore::Compliance(
    const google::protobuf::RepeatedPtrField<std::string>& documents, const pg::Param& locality_id,
    ComplianceShape shape, const ComplianceWindow& window, absl::Time deadline) {
  const absl::CivilDay to = std::min(window.to, window.today);
  const std::string from = window.from ? api::FormatIsoDate(*window.from) : "-infinity";
  return pg::Transact<v1::SummarizeComplianceResponse>(
      pool_, pg::ReadOnly(deadline),
      [&](pg::Connection& connection) -> absl::StatusOr<v1::SummarizeComplianceResponse> {
        CAUNOI_ASSIGN_OR_RETURN(
            pg::Result rows,
            connection.Execute(
                shape.by_commune ? kComplianceByCommune : kCompliance,
                {resource::IdArray(documents), locality_id, from, api::FormatIsoDate(to)}));
        std::vector<ObligationGroup> groups;
        std::vector<ReportTally> tallies;
        std::vector<std::pair<std::string, std::string>> reporting;  // locality, commune
        for (int i = 0; i < rows.rows(); ++i) {
          resource::RowReader row(rows, i);
          const std::string kind = row.Text();
          std::string locality = row.Text();
          std::string period = row.Text();
          const int timely_days = static_cast<int>(row.Int64());
          const std::string last = row.Text();
          const int64_t first_count = row.Int64();
          const int64_t second_count = row.Int64();
          if (kind == "c") {
            reporting.emplace_back(std::move(locality), std::move(period));
            continue;
          }
          if (kind == "t") {
            tallies.push_back(
                {std::move(locality), std::move(period), timely_days, first_count, second_count});
            continue;
          }
          // Labels were validated when the obligation was written.
          absl::StatusOr<periods::Period> first = periods::ParsePeriod(period);
          if (!first.ok()) continue;
          ObligationGroup group{std::move(locality), timely_days, *first, std::nullopt,
                                first_count};
          if (!last.empty()) {
            absl::StatusOr<periods::Period> parsed = periods::ParsePeriod(last);
            if (parsed.ok()) group.last = *parsed;
          }
          groups.push_back(std::move(group));
        }
        v1::SummarizeComplianceResponse response =
            SummarizeCompliance(groups, tallies, window, shape.with_periods);
        if (shape.by_commune) return response;
        // Both lists are in locality order.
        auto entry = response.mutable_localities()->begin();
        for (const auto& [locality, commune] : reporting) {
          const std::string name = PlaceName(locality);
          while (entry != response.mutable_localities()->end() && entry->locality() < name) ++entry;
          if (entry == response.mutable_localities()->end()) break;
          if (entry->locality() == name)
            entry->add_reporting_communes(CommuneName(locality, commune));
        }
        return response;
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
    const google::protobuf::RepeatedPtrField<std::string>& assignees, absl::Time deadline) {
  return pg::Transact<v1::SummarizeOpenProposalsResponse>(
      pool_, pg::ReadOnly(deadline),
      [&](pg::Connection& connection) -> absl::StatusOr<v1::SummarizeOpenProposalsResponse> {
        CAUNOI_ASSIGN_OR_RETURN(pg::Result rows,
                                connection.Execute(kOpenProposals, {resource::IdArray(assignees)}));
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
