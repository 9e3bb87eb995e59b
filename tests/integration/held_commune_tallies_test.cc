// A province's tallies per commune held between reads, brought up to date
// with what changed: against a read of every row after each of a random
// mix of filings, withdrawals, deletes and duties moved between places
// (the 2025 merger among them), and across a write that commits after a
// read's snapshot was taken.
#include "services/reports/held_commune_tallies.h"

#include <algorithm>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/pg/migrator.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/random_duties_test.h"

namespace caunoi {
namespace {

using ::caunoi::reports::HeldCommuneTallies;
using ::caunoi::reports::ReportTally;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr int kChangedBy = 23;

// A tally as text, so that two reads compare in one assertion.
std::vector<std::string> Sorted(const std::vector<ReportTally>& tallies) {
  std::vector<std::string> rows;
  for (const ReportTally& tally : tallies) {
    rows.push_back(absl::StrCat(tally.locality_id, " ", tally.period, " ", tally.timely_days, " ",
                                tally.on_time, " ", tally.late));
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

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
  }

  // The tallies of `documents` in `locality` per place, read through
  // `tallies` on `connection`.
  static std::vector<std::string> Read(HeldCommuneTallies& tallies, pg::Connection& connection,
                                       const std::string& documents, const std::string& locality,
                                       std::optional<absl::CivilDay> from = std::nullopt) {
    std::optional<pg::Result> result;
    absl::StatusOr<HeldCommuneTallies::Tallies> read = tallies.Read(
        documents, locality, from, absl::CivilDay(2030, 1, 1),
        [&](const pg::Connection::Call& call) -> absl::StatusOr<const pg::Result*> {
          absl::StatusOr<pg::Result> rows = connection.Execute(call.statement, call.params);
          if (!rows.ok()) return rows.status();
          result.emplace(*std::move(rows));
          return &*result;
        });
    EXPECT_TRUE(read.ok()) << read.status();
    return read.ok() ? Sorted(**read) : std::vector<std::string>();
  }
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
      const std::vector<std::string> everything = Read(none, *connection_, documents, locality);
      EXPECT_EQ(Read(held, *connection_, documents, locality), everything)
          << documents << " in " << locality;
      some_tallies = some_tallies || !everything.empty();
    }
  }
  EXPECT_TRUE(some_tallies);
  EXPECT_GT(held.rows_held(), 0u);
  EXPECT_EQ(none.rows_held(), 0u);
  // The merger moved tallies into Tuyên Quang, and a window narrows what
  // is held to its periods.
  EXPECT_THAT(Read(held, *connection_, "{1,2,3}", "08"), Not(IsEmpty()));
  EXPECT_EQ(Read(held, *connection_, "{1,2,3}", "01", absl::CivilDay(2025, 4, 1)),
            Read(none, *connection_, "{1,2,3}", "01", absl::CivilDay(2025, 4, 1)));
}

// A filing whose transaction began before a read and committed after it
// is seen by the next read, though a later one committed before the read
// and was seen by it: the next read asks again from the snapshot's xmin,
// not from the newest change it saw.
TEST_F(HeldCommuneTalliesTest, AWriteCommittedAfterAReadsSnapshotIsSeenByTheNext) {
  HeldCommuneTallies held(1'000'000);
  HeldCommuneTallies none(0);
  auto writer = pg::Connection::Open(postgres_->dsn(), "held-tallies-writer");
  ASSERT_TRUE(writer.ok()) << writer.status();
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
  const std::vector<std::string> before = Read(held, *connection_, "{1,2}", "01");

  ASSERT_THAT((*writer)->ExecuteScript(absl::StrCat("BEGIN; ", file(1000))).status(),
              caunoi::testing::IsOk());
  Run(file(1001));  // begun after the first, committed before it
  const std::vector<std::string> between = Read(held, *connection_, "{1,2}", "01");
  EXPECT_NE(between, before);
  EXPECT_EQ(between, Read(none, *connection_, "{1,2}", "01"));
  ASSERT_THAT((*writer)->ExecuteScript("COMMIT").status(), caunoi::testing::IsOk());

  const std::vector<std::string> after = Read(held, *connection_, "{1,2}", "01");
  EXPECT_NE(after, between);
  EXPECT_EQ(after, Read(none, *connection_, "{1,2}", "01"));
}

}  // namespace
}  // namespace caunoi
