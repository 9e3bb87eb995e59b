// Batched report filing (services/reports/report_filing.h) against a real
// PostgreSQL: many filings in one transaction, each with the outcome the
// single create would give it.
#include "services/reports/report_filing.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "common/pg/migrator.h"
#include "common/pg/pool.h"
#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/postgres_test.h"

namespace caunoi::reports {
std::span<const pg::Migration> Migrations();

namespace {

using ::caunoi::testing::IsOk;
using ::caunoi::testing::StatusIs;
using ::testing::HasSubstr;

class ReportFilingTest : public caunoi::testing::PostgresTest {
 protected:
  void SetUp() override {
    PostgresTest::SetUp();
    if (HasFatalFailure()) return;
    connection_ = Connect();
    ASSERT_NE(connection_, nullptr);
    ASSERT_THAT(pg::Migrate(*connection_, "reports", Migrations()).status(), IsOk());
    // Obligation 1 reports monthly for Hanoi (01), 2 for Ho Chi Minh City (79).
    ASSERT_THAT(
        connection_
            ->ExecuteScript("INSERT INTO reports.obligations (document_id, unit_id, locality_id,"
                            " cadence, timely_days, first_period, first_day) VALUES"
                            " (12, 1, '01', 'MONTHLY', 10, '2022-01', '2022-01-01'),"
                            " (12, 2, '79', 'MONTHLY', 10, '2022-01', '2022-01-01')")
            .status(),
        IsOk());
    pool_ = std::make_unique<pg::Pool>(pg::PoolOptions{.dsn = postgres_->dsn(), .size = 2});
    store_ = std::make_unique<resource::ResourceStore>(*pool_, "reports");
  }

  // A filing by a Hanoi principal: it may file only for locality 01.
  static Filing Hanoi(int obligation, absl::string_view period, absl::string_view request_id,
                      absl::string_view summary = "Kết quả thực hiện 12-CT/TW") {
    Filing filing;
    filing.obligation_id = absl::StrCat(obligation);
    filing.obligation_name = absl::StrCat("obligations/", obligation);
    filing.report.set_period(std::string(period));
    filing.report.set_summary(std::string(summary));
    filing.report.mutable_figures()->set_dissemination_sessions(3);
    filing.write = {.actor = "hanoi",
                    .method = "CreateReport",
                    .request_id = std::string(request_id),
                    .fingerprint = absl::StrCat(obligation, "/", period, "/", summary),
                    .reason = ""};
    filing.caller = auth::Principal{
        .name = "hanoi", .locality_id = "01", .role = auth::Role::kLocality, .organization_id = ""};
    return filing;
  }

  int64_t Count(absl::string_view table) {
    auto result = connection_->ExecuteScript(absl::StrCat("SELECT count(*) FROM ", table));
    EXPECT_THAT(result.status(), IsOk());
    return result.ok() ? std::stoll(std::string(result->Text(0, 0))) : -1;
  }

  absl::Status File(
      std::vector<Filing>& filings, absl::FunctionRef<void()> before_last_round_trip = [] {}) {
    std::vector<Filing*> batch;
    for (Filing& filing : filings) batch.push_back(&filing);
    return FileReports(*store_, batch, before_last_round_trip);
  }

  std::unique_ptr<pg::Connection> connection_;
  std::unique_ptr<pg::Pool> pool_;
  std::unique_ptr<resource::ResourceStore> store_;
};

TEST_F(ReportFilingTest, EachFilingOfABatchGetsItsOwnOutcome) {
  const std::string tricky = "Khó khăn: \"thiếu kinh phí\", cán bộ \\ kiêm nhiệm; {a,b}";
  std::vector<Filing> filings = {
      Hanoi(1, "2022-01", "first"),
      Hanoi(1, "2022-02", ""),
      Hanoi(1, "2022-01", "same-period"),  // the period the first takes
      Hanoi(99, "2022-01", ""),            // no such obligation
      Hanoi(2, "2022-01", "hcmc"),         // Ho Chi Minh City's obligation
      Hanoi(1, "2022-01", "first"),        // a retry racing the first
      Hanoi(1, "2022-04", "first"),        // the first's id, another request
      Hanoi(1, "2022-03", "tricky", tricky),
  };
  ASSERT_THAT(File(filings), IsOk());

  ASSERT_THAT(filings[0].result.status(), IsOk());
  EXPECT_EQ(filings[0].result->period(), "2022-01");
  EXPECT_THAT(filings[0].result->name(), HasSubstr("obligations/1/reports/"));
  EXPECT_EQ(filings[0].result->figures().dissemination_sessions(), 3);
  ASSERT_THAT(filings[1].result.status(), IsOk());
  EXPECT_NE(filings[1].result->name(), filings[0].result->name());
  EXPECT_THAT(filings[2].result.status(), StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_THAT(filings[3].result.status(), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(filings[4].result.status(), StatusIs(absl::StatusCode::kPermissionDenied));
  ASSERT_THAT(filings[5].result.status(), IsOk());
  EXPECT_EQ(filings[5].result->name(), filings[0].result->name());
  EXPECT_THAT(filings[6].result.status(), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(GetBadRequest(filings[6].result.status())->field_violations(0).field(), "request_id");
  ASSERT_THAT(filings[7].result.status(), IsOk());
  EXPECT_EQ(filings[7].result->summary(), tricky);

  EXPECT_EQ(Count("reports.reports"), 3);
  EXPECT_EQ(Count("reports.audit_log WHERE action = 'create' AND actor = 'hanoi'"), 3);
  // Claims of filings that wrote nothing are released; the others remember
  // the report they created.
  EXPECT_EQ(Count("reports.request_log"), 2);
  EXPECT_EQ(Count("reports.request_log WHERE resource_id IS NULL"), 0);
  EXPECT_EQ(Count(absl::StrCat("reports.audit_log WHERE request_id = 'first' AND resource = '",
                               filings[0].result->name(), "' AND after->>'summary' = '",
                               "Kết quả thực hiện 12-CT/TW'")),
            1);
}

TEST_F(ReportFilingTest, ALaterBatchSeesEarlierRequestsAndPeriods) {
  std::vector<Filing> first = {Hanoi(1, "2022-01", "a"), Hanoi(1, "2022-02", "b")};
  ASSERT_THAT(File(first), IsOk());
  std::vector<Filing> second = {
      Hanoi(1, "2022-01", "a"),  // retried after a lost reply
      Hanoi(1, "2022-02", "c"),  // a period already reported
      Hanoi(1, "2022-05", "d"),
  };
  ASSERT_THAT(File(second), IsOk());
  ASSERT_THAT(second[0].result.status(), IsOk());
  EXPECT_EQ(second[0].result->name(), first[0].result->name());
  EXPECT_THAT(second[1].result.status(), StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_THAT(second[2].result.status(), IsOk());
  EXPECT_EQ(Count("reports.reports"), 3);
  EXPECT_EQ(Count("reports.audit_log"), 3);
  EXPECT_EQ(Count("reports.request_log WHERE request_id = 'c'"), 0);
}

// With a request_id each, a batch claims them before it reads which
// filings the obligations admit: a refused filing gives its claim back, so
// the id is free for the request that follows, and a refusal stays the
// refusal even when the id was used before.
TEST_F(ReportFilingTest, ARefusedFilingGivesItsClaimBack) {
  std::vector<Filing> first = {Hanoi(1, "2022-01", "used")};
  ASSERT_THAT(File(first), IsOk());
  std::vector<Filing> second = {
      Hanoi(99, "2022-01", "unknown"),  // no such obligation
      Hanoi(2, "2022-01", "hcmc"),      // Ho Chi Minh City's obligation
      Hanoi(2, "2022-02", "used"),      // refused, under an id used for another request
      Hanoi(1, "2022-01", "taken"),     // the period the first batch took
      Hanoi(1, "2022-02", "fresh"),
  };
  ASSERT_THAT(File(second), IsOk());
  EXPECT_THAT(second[0].result.status(), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(second[1].result.status(), StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(second[2].result.status(), StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(second[3].result.status(), StatusIs(absl::StatusCode::kAlreadyExists));
  ASSERT_THAT(second[4].result.status(), IsOk());
  EXPECT_EQ(Count("reports.request_log WHERE request_id IN ('unknown', 'hcmc', 'taken')"), 0);
  EXPECT_EQ(Count("reports.request_log WHERE resource_id IS NULL"), 0);
  EXPECT_EQ(Count("reports.request_log"), 2);

  std::vector<Filing> third = {Hanoi(1, "2022-03", "unknown"), Hanoi(1, "2022-02", "fresh")};
  ASSERT_THAT(File(third), IsOk());
  ASSERT_THAT(third[0].result.status(), IsOk());
  EXPECT_EQ(third[0].result->period(), "2022-03");
  ASSERT_THAT(third[1].result.status(), IsOk());  // a retry: the report it created
  EXPECT_EQ(third[1].result->name(), second[4].result->name());
  EXPECT_EQ(Count("reports.reports"), 3);
  EXPECT_EQ(Count("reports.audit_log"), 3);
}

// The next batch is let in once the reports are written but not yet
// committed: no other connection sees them then, and all of them after.
TEST_F(ReportFilingTest, TheNextBatchIsLetInBeforeTheCommit) {
  std::vector<Filing> filings = {Hanoi(1, "2022-01", "a"), Hanoi(1, "2022-02", "b")};
  int calls = 0;
  int64_t seen_before_commit = -1;
  ASSERT_THAT(File(filings,
                   [&] {
                     ++calls;
                     seen_before_commit = Count("reports.reports");
                   }),
              IsOk());
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(seen_before_commit, 0);
  EXPECT_EQ(Count("reports.reports"), 2);
  EXPECT_EQ(Count("reports.audit_log"), 2);
}

// One filing the database refuses (a summary that is not UTF-8, which the
// handler's validation would have caught) fails the whole batch, and the
// others with it: the service then files each alone.
TEST_F(ReportFilingTest, ABatchThatFailsWritesNothing) {
  std::vector<Filing> filings = {Hanoi(1, "2022-01", "a"), Hanoi(1, "2022-02", "b")};
  filings[1].report.set_summary("\xff\xfe");
  EXPECT_FALSE(File(filings).ok());
  EXPECT_EQ(Count("reports.reports"), 0);
  EXPECT_EQ(Count("reports.request_log"), 0);
  EXPECT_EQ(Count("reports.audit_log"), 0);
}

}  // namespace
}  // namespace caunoi::reports
