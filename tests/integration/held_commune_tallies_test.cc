// A province's compliance per commune from tallies held between reads,
// brought up to date with what changed: against the same summary from
// every row after each of a random mix of filings, withdrawals, deletes
// and duties moved between places (the 2025 merger among them), and
// across a write that commits after a read's snapshot was taken.
#include "services/reports/held_commune_tallies.h"

#include <memory>
#include <optional>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/pg/migrator.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/reports/summary_store.h"
#include "tests/support/random_duties_test.h"

namespace caunoi {
namespace {

using ::caunoi::reports::HeldCommuneTallies;
using ::caunoi::reports::SummaryStore;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr int kChangedBy = 23;

class HeldCommuneTalliesTest : public caunoi::testing::RandomDutiesTest {
 protected:
  void SetUp() override {
    SetUpBefore(kChangedBy);
    if (HasFatalFailure()) return;
    std::mt19937 random(20261206);
    InsertObligations(random, 20);
    InsertReports(random, 30);
    ASSERT_THAT(pg::Migrate(*connection_, "reports", reports::Migrations()).status(),
                caunoi::testing::IsOk());
    pool_ = std::make_unique<pg::Pool>(pg::PoolOptions{.dsn = postgres_->dsn(), .size = 2});
  }

  // The compliance of `documents` ("{1,2,3}") in `locality` per place and
  // period, from the tallies `held` holds, as text.
  std::string Summary(HeldCommuneTallies& held, const std::string& documents,
                      const std::string& locality,
                      std::optional<absl::CivilDay> from = std::nullopt) {
    google::protobuf::RepeatedPtrField<std::string> names;
    for (absl::string_view id :
         absl::StrSplit(absl::StripPrefix(absl::StripSuffix(documents, "}"), "{"), ',')) {
      names.Add(absl::StrCat("directives/", id));
    }
    v1::SummarizeComplianceResponse response;
    SummaryStore store(*pool_, held);
    const absl::CivilDay today(2026, 12, 1);
    EXPECT_THAT(store.Compliance(names, locality, {.by_commune = true},
                                 {.from = from, .to = today, .today = today},
                                 absl::InfiniteFuture(), response),
                caunoi::testing::IsOk());
    return response.DebugString();
  }

  std::unique_ptr<pg::Pool> pool_;
};

TEST_F(HeldCommuneTalliesTest, HeldTalliesEqualAReadOfEveryRowAfterRandomWrites) {
  HeldCommuneTallies held(1'000'000);
  HeldCommuneTallies none(0);  // reads every row each time
  // Both kinds of key a province's reads use: one document, and several.
  const std::vector<std::tuple<std::string, std::string>> keys = {
      {"{1}", "01"}, {"{1,2,3}", "01"}, {"{1,2,3}", "79"}, {"{2}", "08"}, {"{1,2,3}", "02"}};
  std::mt19937 random(20261207);
  bool some_tallies = false;
  for (int step = 0; step < 300; ++step) {
    RandomWrite(random);
    SCOPED_TRACE(step);
    for (const auto& [documents, locality] : keys) {
      const std::string everything = Summary(none, documents, locality);
      EXPECT_EQ(Summary(held, documents, locality), everything) << documents << " in " << locality;
      // Some report filed, on time or late.
      some_tallies = some_tallies || absl::StrContains(everything, "on_time:") ||
                     absl::StrContains(everything, "late:");
    }
  }
  EXPECT_TRUE(some_tallies);
  EXPECT_GT(held.rows_held(), 0u);
  EXPECT_EQ(none.rows_held(), 0u);
  // The merger moved tallies into Tuyên Quang, and a window narrows what
  // is held to its periods.
  EXPECT_THAT(Summary(held, "{1,2,3}", "08"), Not(IsEmpty()));
  EXPECT_EQ(Summary(held, "{1,2,3}", "01", absl::CivilDay(2025, 4, 1)),
            Summary(none, "{1,2,3}", "01", absl::CivilDay(2025, 4, 1)));
}

// A filing whose transaction began before a read and committed after it
// is seen by the next read, though a later one committed before the read
// and was seen by it: the next read asks again from the snapshot's xmin,
// not from the newest change it saw.
TEST_F(HeldCommuneTalliesTest, AWriteCommittedAfterAReadsSnapshotIsSeenByTheNext) {
  HeldCommuneTallies held(1'000'000);
  HeldCommuneTallies none(0);
  auto writer = Connect("held-tallies-writer");
  ASSERT_NE(writer, nullptr);
  // Two wards' duties on two documents, so that the writes lock no common
  // row.
  Run("INSERT INTO reports.obligations (document_id, unit_id, locality_id, commune_code, cadence,"
      " timely_days, first_period, first_day) VALUES"
      " (1, 1000, '01', '00004', 'MONTHLY', 10, '2024-01', '2024-01-01'),"
      " (2, 1001, '01', '00008', 'MONTHLY', 10, '2024-01', '2024-01-01')");
  auto file = [](int unit) {
    return absl::StrCat(
        "INSERT INTO reports.reports (obligation_id, period, period_first, period_last, state,"
        " submitted_date) SELECT id, '2024-02', '2024-02-01', '2024-02-29', 'SUBMITTED',"
        " '2024-03-05' FROM reports.obligations WHERE unit_id = ",
        unit);
  };
  const std::string before = Summary(held, "{1,2}", "01");

  ASSERT_THAT(writer->ExecuteScript(absl::StrCat("BEGIN; ", file(1000))).status(),
              caunoi::testing::IsOk());
  Run(file(1001));  // begun after the first, committed before it
  const std::string between = Summary(held, "{1,2}", "01");
  EXPECT_NE(between, before);
  EXPECT_EQ(between, Summary(none, "{1,2}", "01"));
  ASSERT_THAT(writer->ExecuteScript("COMMIT").status(), caunoi::testing::IsOk());

  const std::string after = Summary(held, "{1,2}", "01");
  EXPECT_NE(after, between);
  EXPECT_EQ(after, Summary(none, "{1,2}", "01"));
}

}  // namespace
}  // namespace caunoi
