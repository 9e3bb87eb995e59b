#include "services/reports/indicator_store.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/api/dates.h"
#include "common/api/enum_token.h"
#include "common/period/period.h"
#include "common/pg/array_literal.h"
#include "common/pg/transaction.h"
#include "common/resource/resource_helpers.h"
#include "common/resource/row.h"
#include "common/resource/state_json.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"
#include "services/reports/compliance.h"
#include "services/reports/indicators/indicator_set_store.h"
#include "services/reports/indicators/indicator_values.h"

namespace caunoi::reports {
namespace {

const pg::Statement kSetRows = {"indicator_set_rows",
                                "SELECT indicator_code, required FROM reports.document_indicators"
                                " WHERE document_id = $1 ORDER BY position"};

const pg::Statement kUnknownCodes = {
    "indicator_unknown_codes",
    "SELECT c FROM unnest($1::text[]) WITH ORDINALITY AS wanted (c, n)"
    " WHERE NOT EXISTS (SELECT 1 FROM reports.indicators i WHERE i.code = wanted.c) ORDER BY n"};

// Two statements: within one, an insert does not see a delete beside it.
const pg::Statement kClearSet = {"indicator_set_clear",
                                 "DELETE FROM reports.document_indicators WHERE document_id = $1"};
const pg::Statement kFillSet = {
    "indicator_set_fill",
    "INSERT INTO reports.document_indicators (document_id, indicator_code, required, position)"
    " SELECT $1, c, r, n FROM unnest($2::text[], $3::boolean[]) WITH ORDINALITY AS s (c, r, n)"};

// The kept totals per group (indicator '' counts reports), the group's
// columns blank where the grouping does not split: locality, period,
// level, indicator, aggregation, total, reports. $1 documents, $2 codes
// (NULL: all), $3..$4 the period range's first days, $5 submitted too, $6
// today's locality (NULL: all), $7 the grouping. Alone, this is planned
// once for any parameters: beside the obligation groups in one statement,
// PostgreSQL planned it afresh on every call (half a millisecond, paid by
// every rollout, though most directives have no indicators).
const pg::Statement kSummarizeTotals = {
    "indicator_summarize_totals",
    "WITH t AS ("
    "  SELECT CASE WHEN $7 IN ('LOCALITY', 'LOCALITY_AND_PERIOD') THEN locality_id ELSE '' END"
    "           AS locality,"
    "         CASE WHEN $7 IN ('PERIOD', 'LOCALITY_AND_PERIOD') THEN period ELSE '' END AS period,"
    "         CASE WHEN $7 = 'LEVEL' THEN level ELSE '' END AS level,"
    "         indicator_code, sum(total) AS total, sum(reports) AS reports"
    "  FROM reports.indicator_tallies"
    "  WHERE document_id = ANY($1::bigint[]) AND (accepted OR $5::boolean)"
    "    AND period_first BETWEEN $3::date AND $4::date"
    "    AND ($6::text IS NULL OR locality_id = $6)"
    "    AND (indicator_code = '' OR $2::text[] IS NULL OR indicator_code = ANY($2::text[]))"
    "  GROUP BY 1, 2, 3, 4)"
    " SELECT t.locality, t.period, t.level, t.indicator_code, coalesce(i.aggregation, ''),"
    "        t.total::text, t.reports::text"
    " FROM t LEFT JOIN reports.indicators i ON i.code = t.indicator_code"};

// The documents' obligation groups, from which the expected reports are
// counted per period: locality, first period, level, obligations, last
// period. $1 documents, $2 today's locality (NULL: all).
const pg::Statement kSummarizeGroups = {
    "indicator_summarize_groups",
    "SELECT g.locality_id, g.first_period, CASE WHEN g.locality_id = '' THEN 'CENTRAL'"
    "        WHEN g.commune_code = '' THEN 'PROVINCIAL' ELSE 'COMMUNE' END,"
    "        g.obligations, g.last_period"
    " FROM reports.obligation_groups g"
    " WHERE g.document_id = ANY($1::bigint[]) AND g.obligations > 0"
    "   AND ($2::text IS NULL OR g.locality_id = $2)"};

bool SplitsLocality(v1::IndicatorGrouping grouping) {
  return grouping == v1::INDICATOR_GROUPING_LOCALITY ||
         grouping == v1::INDICATOR_GROUPING_LOCALITY_AND_PERIOD;
}
bool SplitsPeriod(v1::IndicatorGrouping grouping) {
  return grouping == v1::INDICATOR_GROUPING_PERIOD ||
         grouping == v1::INDICATOR_GROUPING_LOCALITY_AND_PERIOD;
}

using GroupKey = std::tuple<std::string, std::string, std::string>;  // locality, period, level

// Expected reports per group: each obligation of a group expects one
// report for every period of its cadence begun within the range, as
// compliance counts them.
void AddExpected(const IndicatorQuery& query, const std::string& locality,
                 const std::string& first_label, const std::string& level,
                 const std::string& last_label, int64_t obligations,
                 std::map<GroupKey, int64_t>& expected) {
  absl::StatusOr<periods::Period> first = periods::ParsePeriod(first_label);
  if (!first.ok()) return;
  std::optional<periods::Period> last;
  if (!last_label.empty()) {
    if (auto parsed = periods::ParsePeriod(last_label); parsed.ok()) last = *parsed;
  }
  for (const periods::Period& period :
       ExpectedPeriods(*first, last, {query.from, query.to, query.today})) {
    const GroupKey key{SplitsLocality(query.grouping) ? locality : "",
                       SplitsPeriod(query.grouping) ? period.Label() : "",
                       query.grouping == v1::INDICATOR_GROUPING_LEVEL ? level : ""};
    expected[key] += obligations;
  }
}

}  // namespace

absl::StatusOr<v1::DocumentIndicators> IndicatorStore::GetSet(absl::string_view document_id,
                                                              absl::Time deadline) {
  return pg::Transact<v1::DocumentIndicators>(
      resources_.pool(), {.read_only = true, .deadline = deadline},
      [&](pg::Connection& connection) -> absl::StatusOr<v1::DocumentIndicators> {
        CAUNOI_ASSIGN_OR_RETURN(IndicatorSets sets,
                                LoadIndicatorSets(connection, {std::string(document_id)}));
        const IndicatorSet& set = sets[document_id];
        v1::DocumentIndicators answer;
        answer.set_name(absl::StrCat("directives/", document_id, "/indicators"));
        answer.set_own_set(set.own);
        for (const IndicatorRule& rule : set.rules) {
          v1::DocumentIndicator* indicator = answer.add_indicators();
          indicator->set_indicator(absl::StrCat("indicators/", rule.code));
          indicator->set_required(rule.required);
        }
        return answer;
      });
}

absl::StatusOr<v1::DocumentIndicators> IndicatorStore::SetSet(absl::string_view document_id,
                                                              const v1::DocumentIndicators& set,
                                                              const resource::WriteRequest& write) {
  std::vector<std::string> codes;
  std::vector<std::string> required;
  for (const v1::DocumentIndicator& indicator : set.indicators()) {
    codes.push_back(IndicatorCode(indicator.indicator()));
    required.push_back(indicator.required() ? "t" : "f");
  }
  const std::string name = absl::StrCat("directives/", document_id, "/indicators");
  CAUNOI_RETURN_IF_ERROR(pg::RunInTransaction(
      resources_.pool(), {.deadline = write.deadline}, [&](pg::Connection& connection) {
        CAUNOI_ASSIGN_OR_RETURN(
            pg::Result unknown,
            connection.Execute(kUnknownCodes,
                               {pg::ArrayLiteral(std::span<const std::string>(codes))}));
        if (unknown.rows() > 0) {
          const std::string code = resource::RowReader(unknown, 0).Text();
          for (size_t i = 0; i < codes.size(); ++i) {
            if (codes[i] != code) continue;
            return absl::Status(
                InvalidFieldError(absl::StrCat("document_indicators.indicators[", i, "].indicator"),
                                  absl::StrCat("indicators/", code, " does not exist"),
                                  "INDICATOR_NOT_FOUND", {{"indicator", code}}));
          }
        }
        CAUNOI_ASSIGN_OR_RETURN(pg::Result before,
                                connection.Execute(kSetRows, {std::string(document_id)}));
        std::string before_json = "[";
        for (int i = 0; i < before.rows(); ++i) {
          resource::RowReader row(before, i);
          const std::string code = row.Text();
          absl::StrAppend(&before_json, i ? ", " : "", "{\"indicator\": \"indicators/", code,
                          "\", \"required\": ", row.Bool() ? "true" : "false", "}");
        }
        before_json.append("]");
        CAUNOI_RETURN_IF_ERROR(connection.Execute(kClearSet, {std::string(document_id)}).status());
        CAUNOI_RETURN_IF_ERROR(
            connection
                .Execute(kFillSet, {std::string(document_id),
                                    pg::ArrayLiteral(std::span<const std::string>(codes)),
                                    pg::ArrayLiteral(std::span<const std::string>(required))})
                .status());
        resources_.log().Append(connection, write,
                                {.action = "update",
                                 .resource = name,
                                 .before_json = before_json,
                                 .after_json = resource::ToJson(set),
                                 .changed_fields = {"indicators"}});
        return absl::OkStatus();
      }));
  return GetSet(document_id, write.deadline);
}

absl::StatusOr<v1::SummarizeIndicatorsResponse> IndicatorStore::Summarize(
    const IndicatorQuery& query, absl::Time deadline) {
  const pg::Param documents = pg::ArrayLiteral(std::span<const std::string>(query.document_ids));
  const pg::Param locality_id =
      query.locality_id.has_value() ? pg::Param(*query.locality_id) : pg::Param();
  const std::vector<pg::Param> totals_params = {
      documents,
      query.codes.empty() ? pg::Param()
                          : pg::Param(pg::ArrayLiteral(std::span<const std::string>(query.codes))),
      api::FormatIsoDate(query.from.value_or(absl::CivilDay(1900, 1, 1))),
      api::FormatIsoDate(query.to),
      query.include_submitted ? "t" : "f",
      locality_id,
      api::EnumToken(query.grouping)};
  struct Read {
    pg::Result totals;
    std::optional<pg::Result> groups;  // read only beside an indicator's total
  };
  // One snapshot for both: the reports expected are those of the groups
  // the totals were counted under.
  CAUNOI_ASSIGN_OR_RETURN(
      Read read,
      pg::Transact<Read>(
          resources_.pool(),
          {.isolation = pg::Isolation::kRepeatableRead, .read_only = true, .deadline = deadline},
          [&](pg::Connection& connection) -> absl::StatusOr<Read> {
            CAUNOI_ASSIGN_OR_RETURN(pg::Result totals,
                                    connection.Execute(kSummarizeTotals, totals_params));
            // A rollout asks of every directive, most with no indicators:
            // their obligation groups would count expected reports for
            // nothing.
            bool some_indicator = false;
            for (int i = 0; i < totals.rows() && !some_indicator; ++i) {
              some_indicator = !totals.Text(i, 3).empty();
            }
            if (!some_indicator) return Read{std::move(totals), std::nullopt};
            CAUNOI_ASSIGN_OR_RETURN(pg::Result groups,
                                    connection.Execute(kSummarizeGroups, {documents, locality_id}));
            return Read{std::move(totals), std::move(groups)};
          }));
  std::map<GroupKey, int64_t> counted;
  std::map<GroupKey, int64_t> expected;
  v1::SummarizeIndicatorsResponse response;
  for (int i = 0; i < read.totals.rows(); ++i) {
    resource::RowReader row(read.totals, i);
    std::string locality = row.Text();
    std::string period = row.Text();
    std::string level = row.Text();
    const std::string code = row.Text();
    const std::string aggregation = row.Text();
    const std::string total = row.Text();
    const std::string reports = row.Text();
    int64_t report_count = 0;
    (void)absl::SimpleAtoi(reports, &report_count);
    GroupKey key{locality, period, level};
    if (code.empty()) {
      counted[key] += report_count;
      continue;
    }
    v1::IndicatorTotal* line = response.add_totals();
    line->set_locality(locality.empty() ? "" : absl::StrCat("localities/", locality));
    line->set_period(period);
    line->set_level(level);
    line->set_indicator(absl::StrCat("indicators/", code));
    line->set_aggregation(api::ParseEnumToken<v1::IndicatorAggregation>(aggregation)
                              .value_or(v1::INDICATOR_AGGREGATION_UNSPECIFIED));
    double sum = 0;
    (void)absl::SimpleAtod(total, &sum);
    line->set_reports(report_count);
    if (line->aggregation() != v1::INDICATOR_AGGREGATION_NONE) {
      line->set_sum(sum);
      line->set_average(report_count > 0 ? sum / static_cast<double>(report_count) : 0);
    }
  }
  if (response.totals().empty() || !read.groups.has_value()) return response;
  for (int i = 0; i < read.groups->rows(); ++i) {
    resource::RowReader row(*read.groups, i);
    const std::string locality = row.Text();
    const std::string first_period = row.Text();
    const std::string level = row.Text();
    const int64_t obligations = row.Int64();
    AddExpected(query, locality, first_period, level, row.Text(), obligations, expected);
  }
  for (v1::IndicatorTotal& line : *response.mutable_totals()) {
    std::string locality(api::ResourceId(line.locality()));
    if (line.locality().empty()) locality.clear();
    const GroupKey key{locality, line.period(), line.level()};
    const int64_t reports_counted = counted[key];
    line.set_reports_counted(reports_counted);
    line.set_reports_missing(std::max<int64_t>(0, expected[key] - reports_counted));
  }
  std::sort(response.mutable_totals()->begin(), response.mutable_totals()->end(),
            [](const v1::IndicatorTotal& a, const v1::IndicatorTotal& b) {
              return std::tie(a.locality(), a.period(), a.level(), a.indicator()) <
                     std::tie(b.locality(), b.period(), b.level(), b.indicator());
            });
  return response;
}

}  // namespace caunoi::reports
