#include "tests/bench/communes_bench.h"

#include <atomic>
#include <cstdio>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "caunoi/v1/directives.grpc.pb.h"
#include "caunoi/v1/gateway.grpc.pb.h"
#include "caunoi/v1/reports.grpc.pb.h"
#include "common/pg/connection.h"
#include "grpcpp/client_context.h"
#include "tests/bench/bench_suite.h"
#include "tests/bench/filing_alongside.h"

namespace caunoi::bench {
namespace {

constexpr char kToken[] = "bench-commune-token";
constexpr char kTokenLine[] = "bench-commune-token bench central central";
constexpr int kRoot = 5'000'000;
constexpr int kObligations = 50'000;
constexpr int kMonths = 100;  // 50,000 × 100 = 5,000,000 reports
constexpr absl::CivilMonth kFirstLoadedMonth(2017, 9);
constexpr int kFirstObligation = 1'000'001;

// The communes in force numbered from 0, so that loaded records sit where
// real ones would.
#define COMMUNES                                                          \
  "(SELECT code, province_id, row_number() OVER (ORDER BY code) - 1 AS k" \
  " FROM organizations.communes WHERE valid_until IS NULL)"

// Loaded by SQL: the figures measure reads. The bulk reports skip the
// per-row tally trigger and the tallies are rebuilt once, as the
// migrations do.
absl::Status LoadCommuneRollout(const std::string& dsn) {
  const std::string first_month = absl::FormatCivilTime(kFirstLoadedMonth);
  return LoadBySql(
      dsn, "a rollout over 3,321 communes with 5,000,000 reports",
      absl::StrCat(
          "INSERT INTO directives.documents (id, type, symbol, number, type_code, issuer_code,"
          " normalized_symbol, level, issuing_body, issue_date, title, status)"
          " VALUES (",
          kRoot,
          ", 'DIRECTIVE', '98-CT/TW', 98, 'CT', 'TW', '98-CT/TW', 'CENTRAL',"
          " 'Ban Bí thư Trung ương Đảng', '2017-06-05', 'Chỉ thị gốc', 'ISSUED');"
          // One circular per province.
          "INSERT INTO directives.documents (id, type, symbol, number, type_code, issuer_code,"
          " normalized_symbol, level, issuing_body, locality_id, current_locality_id,"
          " issue_date, title, status)"
          " SELECT ",
          kRoot,
          " + l.k, 'CIRCULAR', l.k || '-TT/TU', l.k, 'TT', 'TU',"
          " l.k || '-TT/TU', 'PROVINCIAL', 'Ban Thường vụ Tỉnh ủy', l.code, l.code,"
          " date '2017-07-01' + l.k::int, 'Thông tri cụ thể hóa', 'ISSUED' "
          "FROM " CAUNOI_BENCH_CURRENT_UNITS " l;"
          "INSERT INTO directives.document_links SELECT ",
          kRoot, " + n, ", kRoot,
          " FROM generate_series(1, 34) n;"
          // A plan in every third commune, below its province's circular.
          "INSERT INTO directives.documents (id, type, symbol, number, type_code, issuer_code,"
          " normalized_symbol, level, issuing_body, locality_id, current_locality_id,"
          " commune_code, issue_date, title, status)"
          " SELECT ",
          kRoot,
          " + 100000 + c.k, 'PLAN', c.k || '/KH-UBND', c.k, 'KH', 'UBND',"
          " c.k || '/KH-UBND', 'COMMUNE', 'Ủy ban nhân dân xã', c.province_id, c.province_id,"
          " c.code, date '2025-08-01' + (c.k % 60)::int, 'Kế hoạch', 'ISSUED'"
          " FROM " COMMUNES " c WHERE c.k % 3 = 0;"
          "INSERT INTO directives.document_links SELECT ",
          kRoot, " + 100000 + c.k, ", kRoot,
          " + l.k FROM " COMMUNES " c JOIN " CAUNOI_BENCH_CURRENT_UNITS
          " l ON l.code = c.province_id WHERE c.k % 3 = 0;"
          // A hundred tasks of each province's circular placed in each of
          // its communes, a third done.
          "INSERT INTO directives.tasks (document_id, number, title, lead_id, due_date,"
          " completed_date, commune_place)"
          " SELECT ",
          kRoot,
          " + l.k, c.k || '.' || t, 'Nhiệm vụ', 1,"
          " date '2025-09-01' + (t * 7), CASE WHEN (c.k + t) % 3 = 0 THEN date '2025-10-01' END,"
          " c.province_id || '/' || c.code"
          " FROM " COMMUNES " c JOIN " CAUNOI_BENCH_CURRENT_UNITS " l ON l.code = c.province_id,"
          " generate_series(1, 100) t;"
          // 50,000 units spread over the communes, each reporting monthly
          // on its province's circular.
          // Their unit's locality is kept, as for any duty written since
          // the 2025 merger, so that none waits to be settled.
          "INSERT INTO reports.obligations (id, document_id, unit_id, locality_id, commune_code,"
          " cadence, timely_days, first_period, first_day, unit_locality_id)"
          " SELECT ",
          kFirstObligation, " + n, ", kRoot, " + l.k, ", kRoot,
          " + n, c.province_id, c.code, 'MONTHLY', 10, '", first_month, "', '", first_month,
          "-01', c.province_id"
          " FROM generate_series(0, ",
          kObligations - 1,
          ") n"
          " JOIN " COMMUNES " c ON c.k = n % 3321 JOIN " CAUNOI_BENCH_CURRENT_UNITS
          " l ON l.code = c.province_id;"
          "ALTER TABLE reports.reports DISABLE TRIGGER reports_tally_inserted;"
          "INSERT INTO reports.reports (obligation_id, period, period_first, period_last,"
          " summary, state, submitted_date)"
          " SELECT o, to_char(m, 'YYYY-MM'), m::date, (m + interval '1 month - 1 day')::date,"
          " 'Báo cáo tháng', 'SUBMITTED',"
          " (m + interval '1 month' + ((o % 20) || ' days')::interval)::date"
          " FROM generate_series(",
          kFirstObligation, ", ", kFirstObligation + kObligations - 1,
          ") o, generate_series(timestamp '", first_month, "-01', timestamp '", first_month,
          "-01' + interval '", kMonths - 1,
          " months', interval '1 month') m;"
          "ALTER TABLE reports.reports ENABLE TRIGGER reports_tally_inserted;"
          "INSERT INTO reports.report_tallies (document_id, locality_id, commune_code, period,"
          " period_first, timely_days, on_time, late)"
          " SELECT o.document_id, coalesce(o.locality_id, ''), coalesce(o.commune_code, ''),"
          " r.period, min(r.period_first), o.timely_days,"
          " count(*) FILTER (WHERE r.submitted_date <= r.period_last + o.timely_days),"
          " count(*) FILTER (WHERE r.submitted_date > r.period_last + o.timely_days)"
          " FROM reports.reports r JOIN reports.obligations o ON o.id = r.obligation_id"
          " WHERE r.submitted_date IS NOT NULL AND o.id >= ",
          kFirstObligation,
          " GROUP BY 1, 2, 3, 4, 6;"
          "INSERT INTO reports.locality_report_tallies SELECT document_id, locality_id, period,"
          " min(period_first), timely_days, sum(on_time), sum(late) FROM reports.report_tallies"
          " WHERE document_id > ",
          kRoot,
          " GROUP BY 1, 2, 3, 5;"
          "INSERT INTO reports.commune_reports SELECT document_id, locality_id, commune_code,"
          " sum(on_time + late) FROM reports.report_tallies"
          " WHERE document_id > ",
          kRoot, " AND commune_code <> '' GROUP BY 1, 2, 3;"));
}

// Reports submitted alongside the drill-down it is measured again with: a
// province's units filing at a steady rate, far above any real month's.
constexpr int kFilingsPerSecond = 50;

// Hanoi's loaded obligations, by id.
absl::StatusOr<std::vector<int64_t>> HanoiObligations(const std::string& dsn) {
  auto connection = pg::Connection::Open(dsn, "bench-obligations");
  if (!connection.ok()) return connection.status();
  absl::StatusOr<pg::Result> found =
      (*connection)
          ->ExecuteScript(
              absl::StrCat("SELECT id FROM reports.obligations WHERE locality_id = '01' AND id >= ",
                           kFirstObligation, " ORDER BY id"));
  if (!found.ok()) return found.status();
  std::vector<int64_t> ids;
  for (int row = 0; row < found->rows(); ++row) {
    absl::StatusOr<int64_t> id = found->Int64(row, 0);
    if (!id.ok()) return id.status();
    ids.push_back(*id);
  }
  return ids;
}

// The first month after the loaded ones, and how many have ended since.
constexpr absl::CivilMonth kFirstUnloadedMonth = kFirstLoadedMonth + kMonths;
int MonthsEndedSinceLoaded() {
  const absl::CivilMonth now = absl::CivilMonth(absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()));
  return std::max(1, static_cast<int>(now - kFirstUnloadedMonth));
}

// True when OK and complete; the first failure of a measurement is printed.
bool Answered(const grpc::Status& status, bool complete, std::atomic<bool>& printed) {
  if (!Explained(status, printed)) return false;
  if (!complete && !printed.exchange(true)) std::fprintf(stderr, "incomplete answer\n");
  return complete;
}

// Hanoi's submitted reports as its per-commune totals count them; -1 when
// the call fails.
int64_t HanoiSubmitted(v1::ReportService::Stub& reports,
                       const v1::SummarizeComplianceRequest& hanoi_totals) {
  grpc::ClientContext context;
  v1::SummarizeComplianceResponse answer;
  if (!reports.SummarizeCompliance(&context, hanoi_totals, &answer).ok()) return -1;
  return answer.total().on_time() + answer.total().late();
}

// The drill-down measured while Hanoi's units submit reports for the months
// since the loaded ones, so that each read finds tallies changed since the
// last. Failed filings count as its errors, and so does a count of Hanoi's
// reports, once they stop, that misses any of them.
LoadResult DrillDownWhileFiling(const std::string& dsn, v1::ReportService::Stub& reports,
                                const v1::SummarizeComplianceRequest& hanoi_totals, int concurrency,
                                absl::Duration duration,
                                const std::function<bool(int)>& drill_down) {
  LoadResult result;
  result.name = absl::StrCat("GetDirectiveRollout Hanoi drill-down uncached, ", kFilingsPerSecond,
                             " reports/s submitted alongside");
  const absl::StatusOr<std::vector<int64_t>> obligations = HanoiObligations(dsn);
  const int64_t before = HanoiSubmitted(reports, hanoi_totals);
  if (!obligations.ok() || obligations->empty() || before < 0) {
    std::fprintf(stderr, "Hanoi's obligations or reports: %s\n",
                 std::string(obligations.status().message()).c_str());
    result.errors = 1;
    return result;
  }
  FilingAlongside filing(reports, *obligations, kFirstUnloadedMonth, MonthsEndedSinceLoaded(),
                         kFilingsPerSecond);
  result = RunLoad(result.name, concurrency, duration, drill_down);
  filing.Stop();
  const int64_t counted = HanoiSubmitted(reports, hanoi_totals) - before;
  std::fprintf(stderr, "%lld reports submitted alongside, %lld filings failed, %lld counted\n",
               static_cast<long long>(filing.submitted()), static_cast<long long>(filing.failed()),
               static_cast<long long>(counted));
  result.errors += filing.failed() + (counted == filing.submitted() ? 0 : 1);
  return result;
}

}  // namespace

std::vector<LoadResult> MeasureCommunes(const std::string& dsn,
                                        const std::string& organizations_address, int concurrency,
                                        absl::Duration duration, absl::Duration hold) {
  std::vector<LoadResult> results;
  // The backlog here: a year of unfiled months and a few hundred thousand
  // overdue tasks.
  absl::StatusOr<BenchSuite> suite = StartBenchSuite(dsn, organizations_address, kNoAlertPass);
  if (!suite.ok()) {
    std::fprintf(stderr, "servers: %s\n", std::string(suite.status().message()).c_str());
    return results;
  }
  // Every rollout computed afresh: the target holds without the cache.
  auto gateway = suite->StartGateway({kTokenLine},
                                     {"--rate_per_second=1000000", "--rate_burst=1000000",
                                      "--section_timeout=30s", "--aggregates_in_flight=64"},
                                     {{"CAUNOI_ROLLOUT_CACHE_TTL", "0s"}});
  if (!gateway.ok()) {
    std::fprintf(stderr, "gateway_server: %s\n", std::string(gateway.status().message()).c_str());
    return results;
  }
  absl::Status loaded = LoadCommuneRollout(dsn);
  if (loaded.ok()) loaded = SettleLoadedData(dsn);
  if (!loaded.ok()) {
    std::fprintf(stderr, "loading the commune rollout: %s\n",
                 std::string(loaded.message()).c_str());
    return results;
  }
  const std::string root = absl::StrCat("directives/", kRoot);
  std::atomic<bool> explained{false};
  // One caller makes a few dozen calls a second: three times as long gives
  // the p99 a few hundred calls, not just the slowest of a hundred.
  auto both = [&](const std::string& name, const std::function<bool(int)>& call) {
    results.push_back(RunLoad(absl::StrCat(name, " (1 caller)"), 1, 3 * duration, call));
    results.push_back(RunLoad(name, concurrency, duration, call));
  };

  auto reports = v1::ReportService::NewStub(suite->reports->NewChannel());
  v1::SummarizeComplianceRequest national;
  national.add_documents(root);
  for (int k = 1; k <= 34; ++k) national.add_documents(absl::StrCat("directives/", kRoot + k));
  both("SummarizeCompliance 5M, national", [&](int) {
    grpc::ClientContext context;
    google::protobuf::Arena arena;
    auto& answer = AnswerOn<v1::SummarizeComplianceResponse>(arena);
    const grpc::Status status = reports->SummarizeCompliance(&context, national, &answer);
    return Answered(status, answer.total().on_time() + answer.total().late() >= 5'000'000,
                    explained);
  });
  v1::SummarizeComplianceRequest hanoi = national;
  hanoi.set_locality("localities/01");
  hanoi.set_by_commune(true);
  both("SummarizeCompliance 5M, Hanoi per commune", [&](int) {
    grpc::ClientContext context;
    google::protobuf::Arena arena;
    auto& answer = AnswerOn<v1::SummarizeComplianceResponse>(arena);
    const grpc::Status status = reports->SummarizeCompliance(&context, hanoi, &answer);
    return Answered(status, answer.localities_size() == 126, explained);
  });

  v1::SummarizeComplianceRequest hanoi_totals = hanoi;
  hanoi_totals.set_totals_only(true);
  both("SummarizeCompliance 5M, Hanoi per commune, totals", [&](int) {
    grpc::ClientContext context;
    google::protobuf::Arena arena;
    auto& answer = AnswerOn<v1::SummarizeComplianceResponse>(arena);
    const grpc::Status status = reports->SummarizeCompliance(&context, hanoi_totals, &answer);
    return Answered(status, answer.localities_size() == 126 && answer.periods().empty(), explained);
  });

  auto directives = v1::DirectiveService::NewStub(suite->directives->NewChannel());
  v1::GetImplementationStatusRequest implementation;
  implementation.set_name(root);
  implementation.set_locality("localities/01");
  both("GetImplementationStatus Hanoi per commune", [&](int) {
    grpc::ClientContext context;
    google::protobuf::Arena arena;
    auto& answer = AnswerOn<v1::GetImplementationStatusResponse>(arena);
    const grpc::Status status =
        directives->GetImplementationStatus(&context, implementation, &answer);
    return Answered(status, answer.localities_size() >= 126, explained);
  });

  // The two sections a national rollout waits on, each alone: every
  // document below the directive (the 34 circulars and 1,107 commune
  // plans), and the reports owed on all of them.
  v1::GetImplementationStatusRequest national_implementation;
  national_implementation.set_name(root);
  v1::SummarizeComplianceRequest below = national;
  {
    grpc::ClientContext context;
    v1::GetImplementationStatusResponse answer;
    if (directives->GetImplementationStatus(&context, national_implementation, &answer).ok()) {
      below.clear_documents();
      below.add_documents(root);
      for (const std::string& name : answer.documents_below()) below.add_documents(name);
    }
  }
  both("GetImplementationStatus national", [&](int) {
    grpc::ClientContext context;
    google::protobuf::Arena arena;
    auto& answer = AnswerOn<v1::GetImplementationStatusResponse>(arena);
    const grpc::Status status =
        directives->GetImplementationStatus(&context, national_implementation, &answer);
    return Answered(status, answer.documents_below_size() == 34 + 1107, explained);
  });
  both("SummarizeCompliance 5M, national over the 1,141 below", [&](int) {
    grpc::ClientContext context;
    google::protobuf::Arena arena;
    auto& answer = AnswerOn<v1::SummarizeComplianceResponse>(arena);
    const grpc::Status status = reports->SummarizeCompliance(&context, below, &answer);
    return Answered(status, answer.total().on_time() + answer.total().late() >= 5'000'000,
                    explained);
  });

  auto rollouts = v1::GatewayService::NewStub((*gateway)->NewChannel());
  v1::GetDirectiveRolloutRequest drill;
  drill.set_document(root);
  drill.set_locality("localities/01");
  const std::function<bool(int)> drill_down =
      WithToken(kToken, [&](grpc::ClientContext& context, int) {
        google::protobuf::Arena arena;
        auto& answer = AnswerOn<v1::DirectiveRollout>(arena);
        const grpc::Status status = rollouts->GetDirectiveRollout(&context, drill, &answer);
        return Answered(status, answer.localities_size() == 127 && answer.communes_acted() == 126,
                        explained);
      });
  both("GetDirectiveRollout Hanoi drill-down uncached", drill_down);
  results.push_back(
      DrillDownWhileFiling(dsn, *reports, hanoi_totals, concurrency, duration, drill_down));
  v1::GetDirectiveRolloutRequest whole;
  whole.set_document(root);
  both("GetDirectiveRollout national with communes uncached",
       WithToken(kToken, [&](grpc::ClientContext& context, int) {
         google::protobuf::Arena arena;
         auto& answer = AnswerOn<v1::DirectiveRollout>(arena);
         const grpc::Status status = rollouts->GetDirectiveRollout(&context, whole, &answer);
         return Answered(status, answer.localities_size() == 34 && answer.communes_acted() == 3321,
                         explained);
       }));
  HoldForInspection(hold, dsn,
                    absl::StrCat("gateway ", (*gateway)->address(), " (token ", kToken, ")"));
  return results;
}

}  // namespace caunoi::bench
