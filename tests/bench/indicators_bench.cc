#include "tests/bench/indicators_bench.h"

#include <algorithm>
#include <atomic>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "caunoi/v1/reports.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "tests/bench/bench_suite.h"
#include "tests/support/postgres_server.h"
#include "tests/support/server_process.h"

namespace caunoi::bench {
namespace {

constexpr int kDocument = 7'000'000;
constexpr int kUnits = 10'000;
constexpr int kMonths = 100;  // 10,000 × 100 = 1,000,000 reports
constexpr int kFirstObligation = 2'000'001;
constexpr int kImports = 3;

// Loaded by SQL: the figures measure reads. The reports skip the per-row
// tally triggers and the totals are built once, as the migration does.
absl::Status LoadIndicatorReports(const std::string& dsn) {
  return LoadBySql(
      dsn, "1,000,000 reports with seven indicators each",
      absl::StrCat(
          "INSERT INTO directives.documents (id, type, symbol, number, type_code, issuer_code,"
          " normalized_symbol, level, issuing_body, issue_date, title, status)"
          " VALUES (",
          kDocument,
          ", 'DIRECTIVE', '97-CT/TW', 97, 'CT', 'TW', '97-CT/TW', 'CENTRAL',"
          " 'Ban Bí thư Trung ương Đảng', '2017-06-05', 'Chỉ thị', 'ISSUED');"
          "INSERT INTO reports.document_indicators (document_id, indicator_code, required,"
          " position) SELECT ",
          kDocument,
          ", code, false, row_number() OVER (ORDER BY code) FROM reports.indicators"
          " WHERE code IN ('dissemination_sessions', 'dissemination_attendance',"
          " 'cadres_trained', 'delegations_received', 'delegations_sent', 'new_partnerships',"
          " 'funds_vnd');"
          "INSERT INTO reports.obligations (id, document_id, unit_id, locality_id, cadence,"
          " timely_days, first_period, first_day)"
          " SELECT ",
          kFirstObligation, " + n, ", kDocument, ", ", kDocument,
          " + n, l.code, 'MONTHLY', 10, '2017-09', '2017-09-01'"
          " FROM generate_series(0, ",
          kUnits - 1,
          ") n JOIN " CAUNOI_BENCH_CURRENT_UNITS " l ON l.k = n % 34 + 1;"
          "ALTER TABLE reports.reports DISABLE TRIGGER reports_tally_inserted;"
          "INSERT INTO reports.reports (obligation_id, period, period_first,"
          " period_last, summary, indicator_values, state, submitted_date)"
          " SELECT o, to_char(m, 'YYYY-MM'), m::date,"
          " (m + interval '1 month - 1 day')::date, 'Báo cáo tháng',"
          " jsonb_build_object('dissemination_sessions', o % 7,"
          "   'dissemination_attendance', 100 + o % 900, 'cadres_trained', o % 50,"
          "   'delegations_received', o % 3, 'delegations_sent', o % 2,"
          "   'new_partnerships', o % 5 / 4, 'funds_vnd', (o % 100) * 1000000),"
          " CASE WHEN o % 2 = 0 THEN 'ACCEPTED' ELSE 'SUBMITTED' END,"
          " (m + interval '1 month' + ((o % 20) || ' days')::interval)::date"
          " FROM generate_series(",
          kFirstObligation, ", ", kFirstObligation + kUnits - 1,
          ") o, generate_series(timestamp '2017-09-01', timestamp '2017-09-01' + interval '",
          kMonths - 1,
          " months', interval '1 month') m;"
          "ALTER TABLE reports.reports ENABLE TRIGGER reports_tally_inserted;"
          "INSERT INTO reports.indicator_tallies (document_id, locality_id, level, period,"
          " period_first, indicator_code, accepted, total, reports)"
          " SELECT o.document_id, o.locality_id, reports.unit_level(o), r.period, "
          "min(r.period_first),"
          " v.code, r.state = 'ACCEPTED', sum(v.amount), count(*)"
          " FROM reports.reports r JOIN reports.obligations o ON o.id = r.obligation_id"
          " CROSS JOIN LATERAL reports.indicator_amounts(r.indicator_values) v"
          " WHERE o.document_id = ",
          kDocument, " GROUP BY 1, 2, 3, 4, 6, 7;"));
}

std::string ImportSheet(int month) {
  // One heading by its Vietnamese name, as offices write them.
  std::string csv =
      "unit,period,dissemination_sessions,\"Số lượt người dự phổ biến, quán triệt\","
      "cadres_trained,funds_vnd\n";
  for (int n = 0; n < kUnits; ++n) {
    absl::StrAppend(&csv, "organizations/", kDocument + n, ",2026-", month < 10 ? "0" : "", month,
                    ",", n % 7, ",", 100 + n % 900, ",", n % 50, ",", (n % 100) * 1000000, "\n");
  }
  return csv;
}

}  // namespace

IndicatorsResult MeasureIndicators(absl::Duration duration, absl::Duration hold) {
  IndicatorsResult result;
  auto postgres = testing::PostgresServer::Start({.durable = true});
  if (!postgres.ok()) {
    std::fprintf(stderr, "indicators: PostgreSQL: %s\n",
                 std::string(postgres.status().message()).c_str());
    return result;
  }
  const std::string dsn = (*postgres)->dsn();
  auto organizations = testing::ServerProcess::Start(CAUNOI_ORGANIZATIONS_SERVER, {},
                                                     {{"CAUNOI_DATABASE_URL", dsn}});
  if (!organizations.ok()) return result;
  // A pass over the million reports' duties took a core of its own.
  absl::StatusOr<BenchSuite> suite =
      StartBenchSuite(dsn, (*organizations)->address(), kNoAlertPass);
  if (!suite.ok()) return result;
  // Settled as the reads' data is, so that autovacuum's first pass over
  // the million new rows is not timed with them.
  absl::Status loaded = LoadIndicatorReports(dsn);
  if (loaded.ok()) loaded = SettleLoadedData(dsn);
  if (!loaded.ok()) {
    std::fprintf(stderr, "indicators: loading: %s\n", std::string(loaded.message()).c_str());
    return result;
  }
  auto reports = v1::ReportService::NewStub(suite->reports->NewChannel());
  std::atomic<bool> explained{false};
  auto measure = [&](const std::string& name, v1::IndicatorGrouping grouping, size_t rows) {
    v1::SummarizeIndicatorsRequest request;
    request.add_documents(absl::StrCat("directives/", kDocument));
    request.set_group_by(grouping);
    request.set_include_submitted(true);
    // One caller makes a few dozen calls a second: three times as long
    // gives the p99 a few hundred calls.
    result.summaries.push_back(RunLoad(name, 1, 3 * duration, [&, request](int) {
      grpc::ClientContext context;
      google::protobuf::Arena arena;
      auto& answer = AnswerOn<v1::SummarizeIndicatorsResponse>(arena);
      const grpc::Status status = reports->SummarizeIndicators(&context, request, &answer);
      if (!Explained(status, explained)) return false;
      return static_cast<size_t>(answer.totals_size()) == rows;
    }));
  };
  measure("SummarizeIndicators 1M, national (1 caller)", v1::INDICATOR_GROUPING_UNSPECIFIED, 7);
  measure("SummarizeIndicators 1M, per locality (1 caller)", v1::INDICATOR_GROUPING_LOCALITY,
          34 * 7);
  measure("SummarizeIndicators 1M, per month (1 caller)", v1::INDICATOR_GROUPING_PERIOD,
          kMonths * 7);
  HoldForInspection(hold, dsn, absl::StrCat("reports server ", suite->reports->address()));

  // Each import is a new month for every unit: 10,000 reports created.
  std::vector<absl::Duration> took;
  result.import.name = "ImportReports 10,000 rows";
  for (int month = 1; month <= kImports; ++month) {
    v1::ImportReportsRequest request;
    request.set_document(absl::StrCat("directives/", kDocument));
    request.set_csv(ImportSheet(month));
    request.set_submit(month != 1);
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
    v1::ImportReportsResponse answer;
    const absl::Time start = absl::Now();
    const grpc::Status status = reports->ImportReports(&context, request, &answer);
    took.push_back(absl::Now() - start);
    std::fprintf(stderr, "import %d (%s): %s\n", month, month == 1 ? "drafts" : "submitted",
                 absl::FormatDuration(took.back()).c_str());
    if (!Explained(status, explained) || answer.created() != kUnits) ++result.import.errors;
    ++result.import.calls;
  }
  std::sort(took.begin(), took.end());
  result.import.p50 = took[took.size() / 2];
  result.import.p99 = took.back();
  result.complete = true;
  return result;
}

bool PrintIndicators(const IndicatorsResult& result) {
  if (!result.complete) {
    std::fprintf(stderr, "indicators measurement incomplete\n");
    return false;
  }
  bool clean = result.import.errors == 0;
  for (const LoadResult& figure : result.summaries) {
    const double p99 = absl::ToDoubleMilliseconds(figure.p99);
    std::printf("%-48s %6lld calls  p50 %7.1f ms  p99 %7.1f ms  target p99 < 50 ms: %s%s\n",
                figure.name.c_str(), static_cast<long long>(figure.calls),
                absl::ToDoubleMilliseconds(figure.p50), p99, p99 < 50 ? "met" : "not met",
                BenchShareNote(figure).c_str());
    clean = clean && figure.errors == 0;
  }
  const double slowest = absl::ToDoubleSeconds(result.import.p99);
  std::printf("%-48s %6lld files  median %5.2f s  slowest %5.2f s  target < 5 s: %s\n",
              result.import.name.c_str(), static_cast<long long>(result.import.calls),
              absl::ToDoubleSeconds(result.import.p50), slowest, slowest < 5 ? "met" : "not met");
  return clean;
}

}  // namespace caunoi::bench
