// Periodic reports: figures, difficulties and proposals, under review.
#include <algorithm>
#include <tuple>

#include "services/reports/indicators/indicator_set_store.h"
#include "services/reports/indicators/indicator_values.h"
#include "services/reports/resources/resources.h"

namespace caunoi::reports {
namespace {

// Due date and timeliness come from the obligation and today, on read.
#define CAUNOI_REPORT_COLUMNS                                                          \
  "r.id, r.obligation_id, r.period, r.summary, r.indicator_values::text,"              \
  " r.difficulties, r.proposals, r.state, r.submitted_date::text,"                     \
  " (r.period_last + o.timely_days)::text,"                                            \
  " reports.timeliness(r.submitted_date, r.period_last + o.timely_days, " CAUNOI_TODAY \
  "),"                                                                                 \
  " r.review_comment, o.locality_id, o.commune_code, " CAUNOI_STANDARD_COLUMNS("r")
#define CAUNOI_REPORT_FROM "reports.reports r JOIN reports.obligations o ON o.id = r.obligation_id"

constexpr resource::ConstraintRule kConstraints[] = {
    {"report_obligation_exists", "parent", absl::StatusCode::kNotFound,
     "the obligation does not exist"},
    {"report_period_unique", "report.period", absl::StatusCode::kAlreadyExists,
     "a report for this period already exists"},
};

constexpr absl::string_view kUpdatable[] = {"summary", "values", "figures", "difficulties",
                                            "proposals"};

constexpr int kMaxReportChars = 50000;

// The nine default indicators as figures, for clients that still send
// them: far above any real report, and low enough that national totals
// over millions of reports never overflow.
constexpr resource::Column kFigures[] = {
    {.field = "dissemination_sessions", .max = 1'000'000},
    {.field = "dissemination_attendance", .max = 100'000'000},
    {.field = "cadres_trained", .max = 10'000'000},
    {.field = "activities_held", .max = 1'000'000},
    {.field = "delegations_received", .max = 100'000},
    {.field = "delegations_sent", .max = 100'000},
    {.field = "new_partnerships", .max = 100'000},
    {.field = "members", .max = 100'000'000},
    {.field = "funds_vnd", .max = 1'000'000'000'000'000},
};

absl::Status Validate(const v1::Report& report) {
  if (absl::Status period = periods::ParsePeriod(report.period()).status(); !period.ok()) {
    return InvalidFieldError("report.period", period.message());
  }
  CAUNOI_RETURN_IF_ERROR(api::ValidateText(report.summary(), "report.summary",
                                           {.max_chars = kMaxReportChars, .multiline = true}));
  CAUNOI_RETURN_IF_ERROR(api::ValidateText(report.difficulties(), "report.difficulties",
                                           {.max_chars = kMaxReportChars, .multiline = true}));
  CAUNOI_RETURN_IF_ERROR(api::ValidateText(report.proposals(), "report.proposals",
                                           {.max_chars = kMaxReportChars, .multiline = true}));
  return resource::ValidateColumns(report.figures(), kFigures, "report.figures");
}

std::vector<pg::Param> Columns(const v1::Report& report) {
  const periods::Period period = *periods::ParsePeriod(report.period());
  resource::Params params;
  params.Text(period.Label())
      .Text(api::FormatIsoDate(period.first))
      .Text(api::FormatIsoDate(period.last))
      .Text(report.summary())
      .Text(ValuesJson(EffectiveValues(report)))
      .Text(report.difficulties())
      .Text(report.proposals())
      .Text(api::EnumToken(report.state() == v1::REPORT_STATE_UNSPECIFIED ? v1::REPORT_STATE_DRAFT
                                                                          : report.state()))
      .Date(report.submitted_date(), report.has_submitted_date());
  return params.Take();
}

// A period ("2024-H1") as its first day.
absl::StatusOr<pg::Param> PeriodFilter(const api::FilterTerm& term, absl::string_view) {
  absl::StatusOr<periods::Period> period = periods::ParsePeriod(term.value);
  if (!period.ok()) return InvalidFieldError("filter", period.status().message());
  return pg::Param(api::FormatIsoDate(period->first));
}

// `locality` is resolved to today's unit by the handler (an extra param).
constexpr api::FilterField kFilterFields[] = {
    {"state", true, false, resource::EnumFilter<v1::ReportState>},
    {"timeliness", true, false, resource::EnumFilter<v1::Timeliness>},
    {"period", true, false, PeriodFilter},
    {"document", true, false, resource::ReferenceFilter, "directives/{}"},
    {"unit", true, false, resource::ReferenceFilter, "organizations/{}"},
    {"locality", true, false, resource::LocalityFilter},
    {"commune", true, false, resource::CommuneFilter},
};

// Reports can be edited only while with their authors, and carry only
// their document's indicators.
absl::Status Editable(pg::Connection& connection, const v1::Report& report) {
  if (report.state() != v1::REPORT_STATE_DRAFT && report.state() != v1::REPORT_STATE_RETURNED) {
    return ErrorWithReason(absl::StatusCode::kFailedPrecondition,
                           absl::StrCat(report.name(), " is ", api::EnumToken(report.state()),
                                        "; it can be edited only as a draft or once returned"),
                           "REPORT_LOCKED", {{"state", api::EnumToken(report.state())}});
  }
  CAUNOI_ASSIGN_OR_RETURN(IndicatorSet set, IndicatorSetOfReport(connection, report.name()));
  return CheckValues(set, EffectiveValues(report), "report.values");
}

}  // namespace

v1::Report ReportFromRow(resource::RowReader& row) {
  v1::Report report;
  const std::string id = row.Text();
  report.set_name(api::FormatResourceName(kReportPattern, {row.Text(), id}));
  report.set_period(row.Text());
  report.set_summary(row.Text());
  // Written by this service only, so always readable; an unreadable one
  // reads as no values rather than failing every list it is in.
  if (absl::StatusOr<std::vector<v1::IndicatorValue>> values = ValuesFromJson(row.Text());
      values.ok()) {
    // By code: the stored object keeps no order of its own.
    std::sort(values->begin(), values->end(),
              [](const auto& a, const auto& b) { return a.indicator() < b.indicator(); });
    for (v1::IndicatorValue& value : *values) *report.add_values() = std::move(value);
  }
  *report.mutable_figures() = FiguresOf(report.values());
  report.set_difficulties(row.Text());
  report.set_proposals(row.Text());
  report.set_state(resource::EnumFromRow<v1::ReportState>(row));
  if (auto date = row.OptionalDate()) *report.mutable_submitted_date() = *date;
  if (auto date = row.OptionalDate()) *report.mutable_due_date() = *date;
  report.set_timeliness(resource::EnumFromRow<v1::Timeliness>(row));
  report.set_review_comment(row.Text());
  const std::optional<std::string> locality = row.OptionalText();
  if (auto code = row.OptionalText(); code && locality) {
    report.set_commune(CommuneName(*locality, *code));
  }
  resource::ReadStandardColumns(row, report);
  return report;
}

const resource::ResourceSpec<v1::Report> kReportSpec = {
    .table =
        {
            .pattern = kReportPattern,
            .select = {"report_get", "SELECT " CAUNOI_REPORT_COLUMNS " FROM " CAUNOI_REPORT_FROM
                                     " WHERE r.id = $1"},
            .insert = {"report_insert",
                       "INSERT INTO reports.reports (obligation_id, period, period_first,"
                       " period_last, summary, indicator_values, difficulties, proposals, state,"
                       " submitted_date)"
                       " VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10::date)"
                       " RETURNING id"},
            // The period stays: a report for another period is another report.
            // State and submission belong to the workflow: an edit applies
            // only while they are as read.
            .update = {"report_update",
                       "UPDATE reports.reports SET summary = $6, indicator_values = $7::jsonb,"
                       " difficulties = $8, proposals = $9,"
                       " revision = revision + 1, update_time = now()"
                       " WHERE id = $1 AND revision = $2 AND period = $3"
                       "   AND period_first = $4::date AND period_last = $5::date"
                       "   AND state = $10 AND submitted_date IS NOT DISTINCT FROM $11::date"
                       " RETURNING id"},
            .remove = {"report_delete",
                       "DELETE FROM reports.reports WHERE id = $1 AND revision = $2"
                       " RETURNING id"},
            .from_row = ReportFromRow,
            .constraints = kConstraints,
        },
    .field = "report",
    .updatable = kUpdatable,
    .validate = Validate,
    .columns = Columns,
    .check = Editable,
};

const pg::Statement kReportsByIds = {
    "report_get_each",
    "SELECT " CAUNOI_REPORT_COLUMNS
    " FROM unnest($1::bigint[]) AS wanted (id) JOIN reports.reports r ON r.id = wanted.id"
    " JOIN reports.obligations o ON o.id = r.obligation_id"};

const pg::Statement kReportInsertEach = {
    "report_insert_each",
    "WITH inserted AS (INSERT INTO reports.reports (obligation_id, period, period_first,"
    " period_last, summary, indicator_values, difficulties, proposals, state, submitted_date)"
    " SELECT * FROM unnest($1::bigint[], $2::text[], $3::date[], $4::date[], $5::text[],"
    "   $6::jsonb[], $7::text[], $8::text[], $9::text[], $10::date[])"
    " ON CONFLICT ON CONSTRAINT report_period_unique DO NOTHING RETURNING *)"
    " SELECT " CAUNOI_REPORT_COLUMNS
    " FROM inserted r JOIN reports.obligations o ON o.id = r.obligation_id"};

const pg::Statement kReportTransition = {
    "report_transition",
    "UPDATE reports.reports SET state = $3, submitted_date = $4::date, review_comment = $5,"
    " revision = revision + 1, update_time = now()"
    " WHERE id = $1 AND revision = $2 RETURNING id"};

const pg::Statement kReportExport = {
    "report_export", "SELECT " CAUNOI_REPORT_COLUMNS " FROM " CAUNOI_REPORT_FROM
                     " WHERE r.id > $1 AND r.period_first BETWEEN $3::date AND $4::date"
                     "   AND ($5::text IS NULL OR o.locality_id = $5)"
                     " ORDER BY r.id LIMIT $2"};

// $3 is the obligation id, or "-" for every obligation; $4..$10 the
// filter's state, timeliness, period, document, unit, locality and commune;
// $11 today's unit for the locality, $12 and $13 the period range.
const resource::ListSpec kReportList = {
    .statement = {"report_list",
                  "SELECT " CAUNOI_REPORT_COLUMNS " FROM " CAUNOI_REPORT_FROM
                  " WHERE ($1::bigint IS NULL OR r.id > $1)"
                  "   AND ($3::text = '-' OR r.obligation_id = NULLIF($3::text, '-')::bigint)"
                  "   AND ($4::text IS NULL OR r.state = $4)"
                  "   AND ($5::text IS NULL OR reports.timeliness(r.submitted_date,"
                  "        r.period_last + o.timely_days, " CAUNOI_TODAY ") = $5)"
                  "   AND ($6::date IS NULL OR r.period_first = $6)"
                  "   AND ($7::bigint IS NULL OR o.document_id = $7)"
                  "   AND ($8::bigint IS NULL OR o.unit_id = $8)"
                  "   AND ($9::text IS NULL OR o.locality_id = $11::text)"
                  "   AND ($10::text IS NULL OR o.commune_code = $10)"
                  "   AND ($12::date IS NULL OR r.period_first >= $12)"
                  "   AND ($13::date IS NULL OR r.period_first <= $13)"
                  " ORDER BY r.id LIMIT $2"},
    .filter_fields = kFilterFields,
    .every_parent = true,
};

}  // namespace caunoi::reports
