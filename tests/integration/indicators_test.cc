// Indicators: the catalogue, a document's set, each value checked by its
// unit, "not reported" apart from 0, and the migration that carried the
// nine fixed figures into values.
#include <memory>
#include <random>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/pg/connection.h"
#include "common/pg/migrator.h"
#include "common/testing/error_details.h"
#include "tests/integration/reports_fixture.h"

namespace caunoi::reports {
std::span<const pg::Migration> Migrations();  // generated from migrations/*.sql
}  // namespace caunoi::reports

namespace caunoi {
namespace {

using ::caunoi::testing::FieldOf;
using ::caunoi::testing::IsOk;
using ::caunoi::testing::StatusIs;
using ::testing::ElementsAre;
using Stub = v1::ReportService::Stub;

v1::IndicatorValue Amount(const std::string& code, int64_t amount) {
  v1::IndicatorValue value;
  value.set_indicator("indicators/" + code);
  value.set_amount(amount);
  return value;
}

class IndicatorsTest : public ReportsTest {
 protected:
  v1::Indicator Create(const std::string& code, const std::string& name, v1::IndicatorUnit unit,
                       v1::IndicatorAggregation aggregation) {
    v1::CreateIndicatorRequest request;
    request.mutable_indicator()->set_code(code);
    request.mutable_indicator()->set_display_name(name);
    request.mutable_indicator()->set_unit(unit);
    request.mutable_indicator()->set_aggregation(aggregation);
    return Must(&Stub::CreateIndicator, request);
  }

  // 12-CT/TW's set: cadres trained (required), whether a plan was issued,
  // funds, a note.
  void SetTheDocumentsSet() {
    v1::GetIndicatorRequest get;
    get.set_name("indicators/has_plan");
    v1::Indicator found;
    if (!Call(&Stub::GetIndicator, get, &found).ok()) {
      Create("has_plan", "Đã ban hành kế hoạch", v1::INDICATOR_UNIT_YES_NO,
             v1::INDICATOR_AGGREGATION_SUM);
    }
    Create("note", "Ghi chú", v1::INDICATOR_UNIT_TEXT, v1::INDICATOR_AGGREGATION_NONE);
    v1::SetDocumentIndicatorsRequest request;
    v1::DocumentIndicators* set = request.mutable_document_indicators();
    set->set_name(document_ + "/indicators");
    for (const auto& [code, required] :
         std::vector<std::pair<std::string, bool>>{{"cadres_trained", true},
                                                   {"has_plan", false},
                                                   {"funds_vnd", false},
                                                   {"note", false}}) {
      v1::DocumentIndicator* indicator = set->add_indicators();
      indicator->set_indicator("indicators/" + code);
      indicator->set_required(required);
    }
    v1::DocumentIndicators stored = Must(&Stub::SetDocumentIndicators, request);
    EXPECT_TRUE(stored.own_set());
    ASSERT_EQ(stored.indicators_size(), 4);
    EXPECT_EQ(stored.indicators(0).indicator(), "indicators/cadres_trained");
    EXPECT_TRUE(stored.indicators(0).required());
  }

  v1::CreateReportRequest ValuesReport(const v1::Obligation& obligation, const std::string& period,
                                       std::vector<v1::IndicatorValue> values) {
    v1::CreateReportRequest request;
    request.set_parent(obligation.name());
    request.mutable_report()->set_period(period);
    for (v1::IndicatorValue& value : values) *request.mutable_report()->add_values() = value;
    return request;
  }
};

TEST_F(IndicatorsTest, TheCatalogueStartsWithTheNineFiguresAndTakesNewOnes) {
  v1::ListIndicatorsRequest list;
  list.set_page_size(100);
  v1::ListIndicatorsResponse listed = Must(&Stub::ListIndicators, list);
  ASSERT_EQ(listed.indicators_size(), 9);
  v1::GetIndicatorRequest get;
  get.set_name("indicators/cadres_trained");
  v1::Indicator cadres = Must(&Stub::GetIndicator, get);
  EXPECT_EQ(cadres.unit(), v1::INDICATOR_UNIT_PEOPLE);
  EXPECT_EQ(cadres.aggregation(), v1::INDICATOR_AGGREGATION_SUM);
  EXPECT_EQ(cadres.display_name(), "Số cán bộ được tập huấn, bồi dưỡng");

  v1::Indicator plan = Create("has_plan", "Đã ban hành kế hoạch", v1::INDICATOR_UNIT_YES_NO,
                              v1::INDICATOR_AGGREGATION_AVERAGE);
  EXPECT_EQ(plan.name(), "indicators/has_plan");
  // Found by name with or without diacritics.
  list.set_filter("display_name : \"ke hoach\"");
  listed = Must(&Stub::ListIndicators, list);
  ASSERT_EQ(listed.indicators_size(), 1);
  EXPECT_EQ(listed.indicators(0).code(), "has_plan");

  v1::CreateIndicatorRequest again;
  again.mutable_indicator()->set_code("has_plan");
  again.mutable_indicator()->set_display_name("Kế hoạch khác");
  again.mutable_indicator()->set_unit(v1::INDICATOR_UNIT_YES_NO);
  again.mutable_indicator()->set_aggregation(v1::INDICATOR_AGGREGATION_SUM);
  v1::Indicator ignored;
  EXPECT_THAT(Call(&Stub::CreateIndicator, again, &ignored),
              StatusIs(absl::StatusCode::kAlreadyExists));
  again.mutable_indicator()->set_code("Has Plan");
  EXPECT_EQ(FieldOf(Call(&Stub::CreateIndicator, again, &ignored)), "indicator.code");
  again.mutable_indicator()->set_code("remarks");
  again.mutable_indicator()->set_unit(v1::INDICATOR_UNIT_TEXT);
  EXPECT_EQ(FieldOf(Call(&Stub::CreateIndicator, again, &ignored)), "indicator.aggregation");
  // In use by a document's set: kept.
  SetTheDocumentsSet();
  v1::DeleteIndicatorRequest remove;
  remove.set_name("indicators/has_plan");
  google::protobuf::Empty empty;
  EXPECT_THAT(Call(&Stub::DeleteIndicator, remove, &empty),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST_F(IndicatorsTest, AReportCarriesItsDocumentsIndicatorsEachOfItsKind) {
  v1::GetDocumentIndicatorsRequest get;
  get.set_name(document_ + "/indicators");
  v1::DocumentIndicators defaults = Must(&Stub::GetDocumentIndicators, get);
  EXPECT_FALSE(defaults.own_set());
  EXPECT_EQ(defaults.indicators_size(), 9);
  SetTheDocumentsSet();
  v1::Obligation obligation = Must(&Stub::CreateObligation, ObligationRequest("2022-H1"));

  v1::Report ignored;
  auto refused = [&](std::vector<v1::IndicatorValue> values) {
    return Call(&Stub::CreateReport, ValuesReport(obligation, "2022-H1", std::move(values)),
                &ignored);
  };
  absl::Status outside = refused({Amount("dissemination_sessions", 4)});
  EXPECT_EQ(FieldOf(outside), "report.values[0].indicator");
  EXPECT_EQ(caunoi::testing::ReasonOf(outside), "INDICATOR_NOT_IN_SET");
  EXPECT_EQ(FieldOf(refused({Amount("cadres_trained", -1)})), "report.values[0].amount");
  v1::IndicatorValue yes_for_count;
  yes_for_count.set_indicator("indicators/cadres_trained");
  yes_for_count.set_yes(true);
  EXPECT_EQ(FieldOf(refused({yes_for_count})), "report.values[0]");
  v1::IndicatorValue long_note;
  long_note.set_indicator("indicators/note");
  long_note.set_text(std::string(2001, 'x'));
  EXPECT_EQ(FieldOf(refused({Amount("cadres_trained", 1), long_note})), "report.values[1].text");
  EXPECT_EQ(FieldOf(refused({Amount("funds_vnd", 1), Amount("funds_vnd", 2)})),
            "report.values[1].indicator");

  // A draft without the required value; submitting it is refused.
  v1::IndicatorValue plan;
  plan.set_indicator("has_plan");
  plan.set_yes(false);
  v1::Report draft = Must(&Stub::CreateReport,
                          ValuesReport(obligation, "2022-H1", {plan, Amount("funds_vnd", 0)}));
  // "Not reported" and 0 differ: funds were reported as 0, cadres not at
  // all. Values come back by indicator code.
  ASSERT_EQ(draft.values_size(), 2);
  EXPECT_EQ(draft.values(0).indicator(), "indicators/funds_vnd");
  EXPECT_TRUE(draft.values(0).has_amount());
  EXPECT_EQ(draft.values(0).amount(), 0);
  EXPECT_EQ(draft.values(1).indicator(), "indicators/has_plan");
  EXPECT_FALSE(draft.values(1).yes());
  v1::SubmitReportRequest submit;
  submit.set_name(draft.name());
  absl::Status incomplete = Call(&Stub::SubmitReport, submit, &ignored);
  EXPECT_THAT(incomplete, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(caunoi::testing::ReasonOf(incomplete), "REQUIRED_INDICATOR_MISSING");

  v1::UpdateReportRequest update;
  *update.mutable_report() = draft;
  *update.mutable_report()->add_values() = Amount("cadres_trained", 120);
  update.mutable_update_mask()->add_paths("values");
  v1::Report completed = Must(&Stub::UpdateReport, update);
  EXPECT_EQ(completed.values_size(), 3);
  EXPECT_EQ(completed.figures().cadres_trained(), 120);
  v1::Report submitted = Must(&Stub::SubmitReport, submit);
  EXPECT_EQ(submitted.state(), v1::REPORT_STATE_SUBMITTED);

  // An unknown indicator in a set is named.
  v1::SetDocumentIndicatorsRequest unknown;
  unknown.mutable_document_indicators()->set_name(document_ + "/indicators");
  unknown.mutable_document_indicators()->add_indicators()->set_indicator("indicators/nothing");
  v1::DocumentIndicators not_set;
  EXPECT_EQ(FieldOf(Call(&Stub::SetDocumentIndicators, unknown, &not_set)),
            "document_indicators.indicators[0].indicator");
}

TEST_F(IndicatorsTest, OlderClientsFiguresBecomeValues) {
  v1::Obligation obligation = Must(&Stub::CreateObligation, ObligationRequest("2022-H1"));
  // ReportRequest sends figures only: 3 sessions, 120 cadres.
  v1::Report report = Must(&Stub::CreateReport, ReportRequest(obligation, "2022-H1"));
  ASSERT_EQ(report.values_size(), 2);
  EXPECT_EQ(report.values(0).indicator(), "indicators/cadres_trained");
  EXPECT_EQ(report.values(1).indicator(), "indicators/dissemination_sessions");
  EXPECT_EQ(report.values(1).amount(), 3);
  EXPECT_EQ(report.figures().cadres_trained(), 120);
  // An update of "figures" replaces the defaults' values.
  v1::UpdateReportRequest update;
  *update.mutable_report() = report;
  update.mutable_report()->mutable_figures()->set_cadres_trained(150);
  update.mutable_update_mask()->add_paths("figures");
  v1::Report updated = Must(&Stub::UpdateReport, update);
  EXPECT_EQ(updated.figures().cadres_trained(), 150);
  EXPECT_EQ(updated.figures().dissemination_sessions(), 3);
}

// The migration carried every report's nine figures into its values, and
// counted the submitted ones in the indicator totals.
TEST(IndicatorMigrationTest, TheNineFiguresBecomeValues) {
  auto postgres = caunoi::testing::PostgresServer::Start({});
  ASSERT_THAT(postgres.status(), IsOk());
  auto connection = pg::Connection::Open((*postgres)->dsn(), "migration-test");
  ASSERT_THAT(connection.status(), IsOk());
  std::span<const pg::Migration> all = reports::Migrations();
  constexpr int kIndicators = 11;
  size_t before = 0;
  while (before < all.size() && all[before].version < kIndicators) ++before;
  ASSERT_EQ(all[before].version, kIndicators);
  ASSERT_THAT(pg::Migrate(**connection, "reports", all.first(before)).status(), IsOk());
  ASSERT_THAT(
      (*connection)
          ->ExecuteScript(
              "INSERT INTO reports.obligations (id, document_id, unit_id, locality_id, cadence,"
              " timely_days, first_period, first_day)"
              " VALUES (1, 7, 2, '01', 'HALF_YEARLY', 15, '2022-H1', '2022-01-01');"
              "INSERT INTO reports.reports (obligation_id, period, period_first, period_last,"
              " dissemination_sessions, cadres_trained, funds_vnd, state, submitted_date)"
              " VALUES (1, '2022-H1', '2022-01-01', '2022-06-30', 4, 120, 5000000, 'ACCEPTED',"
              " '2022-07-10'), (1, '2022-H2', '2022-07-01', '2022-12-31', 2, 0, 0, 'DRAFT', NULL)")
          .status(),
      IsOk());
  ASSERT_THAT(pg::Migrate(**connection, "reports", all).status(), IsOk());
  auto values = (*connection)
                    ->ExecuteScript(
                        "SELECT indicator_values->>'cadres_trained',"
                        " indicator_values->>'funds_vnd', indicator_values->>'members'"
                        " FROM reports.reports ORDER BY period");
  ASSERT_THAT(values.status(), IsOk());
  EXPECT_EQ(values->Text(0, 0), "120");
  EXPECT_EQ(values->Text(0, 1), "5000000");
  EXPECT_EQ(values->Text(0, 2), "0");
  EXPECT_EQ(values->Text(1, 0), "0");
  auto tallies = (*connection)
                     ->ExecuteScript(
                         "SELECT total::text, reports::text FROM reports.indicator_tallies"
                         " WHERE indicator_code = 'cadres_trained' AND accepted");
  ASSERT_THAT(tallies.status(), IsOk());
  ASSERT_EQ(tallies->rows(), 1);  // the draft counts nowhere
  EXPECT_EQ(tallies->Text(0, 0), "120");
  EXPECT_EQ(tallies->Text(0, 1), "1");
}

}  // namespace
}  // namespace caunoi

namespace caunoi {
namespace {

// The totals kept by triggers equal a recomputation from the reports after
// a random mix of writes: multi-row and single inserts, submissions,
// acceptances, returns, edited values, deletes and units moved to another
// locality (the 2025 merger).
TEST(IndicatorTalliesTest, KeptTotalsEqualARecomputationAfterRandomWrites) {
  auto postgres = caunoi::testing::PostgresServer::Start({});
  ASSERT_THAT(postgres.status(), IsOk());
  auto opened = pg::Connection::Open((*postgres)->dsn(), "tallies-test");
  ASSERT_THAT(opened.status(), IsOk());
  pg::Connection& connection = **opened;
  ASSERT_THAT(pg::Migrate(connection, "reports", reports::Migrations()).status(), IsOk());
  auto run = [&](const std::string& sql) {
    EXPECT_THAT(connection.ExecuteScript(sql).status(), IsOk()) << sql;
  };
  run("INSERT INTO reports.obligations (id, document_id, unit_id, locality_id, commune_code,"
      " cadence, timely_days, first_period, first_day)"
      " SELECT n, 1 + n % 2, n, CASE n % 3 WHEN 0 THEN '01' WHEN 1 THEN '79' END,"
      " CASE WHEN n % 4 = 0 THEN '00004' END, 'MONTHLY', 10, '2024-01', '2024-01-01'"
      " FROM generate_series(1, 20) n");
  std::mt19937 random(20251201);
  const char* kStates[] = {"DRAFT", "SUBMITTED", "ACCEPTED", "RETURNED"};
  for (int step = 0; step < 300; ++step) {
    const int obligation = 1 + static_cast<int>(random() % 20);
    const int month = 1 + static_cast<int>(random() % 12);
    const std::string period = absl::StrFormat("2024-%02d", month);
    const std::string values =
        absl::StrFormat("'{\"cadres_trained\": %d, \"has_plan\": %s, \"note\": \"x\"}'",
                        random() % 100, random() % 2 ? "true" : "false");
    // Never submitted (a draft), on time, or late.
    auto submitted_date = [&]() -> std::string {
      switch (random() % 3) {
        case 0:
          return "NULL";
        case 1:
          return absl::StrFormat("'2024-%02d-28'", month);
        default:
          return "'2025-03-01'";
      }
    };
    switch (random() % 7) {
      case 0: {  // several reports in one statement
        std::string rows;
        for (int i = 0; i < 5; ++i) {
          absl::StrAppend(&rows, i ? "," : "",
                          absl::StrFormat("(%d, '2024-%02d', '2024-%02d-01', '2024-%02d-28', %s,"
                                          " '%s', %s)",
                                          1 + static_cast<int>(random() % 20), month, month, month,
                                          values, kStates[random() % 4], submitted_date()));
        }
        run("INSERT INTO reports.reports (obligation_id, period, period_first, period_last,"
            " indicator_values, state, submitted_date) VALUES " +
            rows + " ON CONFLICT (obligation_id, period) DO NOTHING");
        break;
      }
      case 1:
        run(absl::StrFormat("UPDATE reports.reports SET state = '%s' WHERE obligation_id = %d",
                            kStates[random() % 4], obligation));
        break;
      case 2:
        run(absl::StrFormat(
            "UPDATE reports.reports SET indicator_values = %s WHERE obligation_id = %d AND"
            " period = '%s'",
            values, obligation, period));
        break;
      case 3:
        run(absl::StrFormat(
            "DELETE FROM reports.reports WHERE obligation_id = %d AND period = '%s'", obligation,
            period));
        break;
      case 4:  // submitted, withdrawn or dated again
        run(absl::StrFormat(
            "UPDATE reports.reports SET submitted_date = %s WHERE obligation_id = %d AND"
            " period = '%s'",
            submitted_date(), obligation, period));
        break;
      case 5:
        run(absl::StrFormat(
            "UPDATE reports.obligations SET locality_id = '%s', commune_code = %s"
            " WHERE id = %d",
            random() % 2 ? "01" : "80", random() % 2 ? "'00008'" : "NULL", obligation));
        break;
      default:
        run(absl::StrFormat(
            "INSERT INTO reports.reports (obligation_id, period, period_first, period_last,"
            " indicator_values, state, submitted_date) VALUES (%d, '%s', '2024-%02d-01',"
            " '2024-%02d-28', %s, '%s', %s) ON CONFLICT DO NOTHING",
            obligation, period, month, month, values, kStates[random() % 4], submitted_date()));
    }
  }
  // Every kept row against the recomputation, both ways.
  const std::string recomputed =
      "SELECT o.document_id, coalesce(o.locality_id, '') AS locality_id,"
      " CASE WHEN o.locality_id IS NULL THEN 'CENTRAL' WHEN o.commune_code IS NULL"
      "   THEN 'PROVINCIAL' ELSE 'COMMUNE' END AS level,"
      " r.period, v.code AS indicator_code, r.state = 'ACCEPTED' AS accepted,"
      " sum(v.amount) AS total, count(*) AS reports"
      " FROM reports.reports r JOIN reports.obligations o ON o.id = r.obligation_id"
      " CROSS JOIN LATERAL (SELECT '' AS code, 0::numeric AS amount UNION ALL"
      "   SELECT e.key, CASE jsonb_typeof(e.value) WHEN 'number' THEN (e.value #>> '{}')::numeric"
      "   WHEN 'boolean' THEN CASE WHEN (e.value #>> '{}')::boolean THEN 1 ELSE 0 END ELSE 0 END"
      "   FROM jsonb_each(r.indicator_values) e) v"
      " WHERE r.state IN ('SUBMITTED', 'ACCEPTED') GROUP BY 1, 2, 3, 4, 5, 6";
  const std::string kept =
      "SELECT document_id, locality_id, level, period, indicator_code, accepted, total, reports"
      " FROM reports.indicator_tallies WHERE reports <> 0 OR total <> 0";
  auto count = [&](const std::string& sql) {
    auto result = connection.ExecuteScript(sql);
    EXPECT_THAT(result.status(), IsOk()) << sql;
    return result.ok() ? std::string(result->Text(0, 0)) : "";
  };
  // No row of one that the other lacks.
  auto expect_same = [&](const std::string& recomputation, const std::string& kept_rows) {
    EXPECT_EQ(count("SELECT count(*) FROM (" + recomputation + " EXCEPT " + kept_rows + ") d"),
              "0");
    EXPECT_EQ(count("SELECT count(*) FROM (" + kept_rows + " EXCEPT " + recomputation + ") d"),
              "0");
  };
  expect_same(recomputed, kept);
  EXPECT_NE(count("SELECT count(*) FROM (" + recomputed + ") d"), "0");
  // The submission tallies alike.
  const std::string submissions =
      "SELECT o.document_id, coalesce(o.locality_id, ''), coalesce(o.commune_code, ''), r.period,"
      " o.timely_days, count(*) FILTER (WHERE r.submitted_date <= r.period_last + o.timely_days),"
      " count(*) FILTER (WHERE r.submitted_date > r.period_last + o.timely_days)"
      " FROM reports.reports r JOIN reports.obligations o ON o.id = r.obligation_id"
      " WHERE r.submitted_date IS NOT NULL GROUP BY 1, 2, 3, 4, 5";
  const std::string kept_submissions =
      "SELECT document_id, locality_id, commune_code, period, timely_days, on_time, late"
      " FROM reports.report_tallies WHERE on_time <> 0 OR late <> 0";
  expect_same(submissions, kept_submissions);
  // And per locality, as a nation's compliance reads them.
  const std::string per_locality =
      "SELECT o.document_id, coalesce(o.locality_id, ''), r.period, o.timely_days,"
      " count(*) FILTER (WHERE r.submitted_date <= r.period_last + o.timely_days),"
      " count(*) FILTER (WHERE r.submitted_date > r.period_last + o.timely_days)"
      " FROM reports.reports r JOIN reports.obligations o ON o.id = r.obligation_id"
      " WHERE r.submitted_date IS NOT NULL GROUP BY 1, 2, 3, 4";
  const std::string kept_per_locality =
      "SELECT document_id, locality_id, period, timely_days, on_time, late"
      " FROM reports.locality_report_tallies WHERE on_time <> 0 OR late <> 0";
  expect_same(per_locality, kept_per_locality);
  EXPECT_NE(count("SELECT count(*) FROM (" + kept_per_locality + ") d"), "0");
}

}  // namespace
}  // namespace caunoi
