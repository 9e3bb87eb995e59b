// Changes numbered straight from the audit log: the migration numbers what
// waited in the queue after what was numbered and the log goes on from
// there; a change that commits after a later one was numbered is numbered
// next, once, whenever its transaction began; a rolled-back write leaves
// no change.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/changes/change_store.h"
#include "common/pg/connection.h"
#include "common/pg/migrator.h"
#include "common/pg/pool.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/migration_test.h"
#include "tests/support/sql_rows.h"

namespace caunoi::organizations {
std::span<const pg::Migration> Migrations();  // generated from migrations/*.sql
}  // namespace caunoi::organizations

namespace caunoi {
namespace {

using ::caunoi::testing::IsOk;
using ::caunoi::testing::SqlRows;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr int kChangeNumbering = 20;

class ChangeNumberingTest : public caunoi::testing::MigrationTest {
 protected:
  void SetUp() override {
    SetUpBefore("organizations", organizations::Migrations(), kChangeNumbering);
    if (HasFatalFailure()) return;
    pool_ = std::make_unique<pg::Pool>(pg::PoolOptions{.dsn = postgres_->dsn(), .size = 1});
    store_ = std::make_unique<changes::ChangeStore>(*pool_, "organizations");
  }

  void Migrate() {
    ASSERT_THAT(pg::Migrate(*connection_, "organizations", organizations::Migrations()).status(),
                IsOk());
  }

  static void Audit(pg::Connection& connection, int organization) {
    const std::string sql = absl::StrCat(
        "INSERT INTO organizations.audit_log (actor, action, resource, after) VALUES"
        " ('users/test', 'create', 'organizations/",
        organization, "', '{\"locality\": \"localities/0", organization, "\"}')");
    EXPECT_THAT(connection.ExecuteScript(sql).status(), IsOk()) << sql;
  }
  void Audit(int organization) { Audit(*connection_, organization); }

  std::unique_ptr<pg::Connection> Open() {
    auto connection = pg::Connection::Open(postgres_->dsn(), "change-numbering-test");
    EXPECT_THAT(connection.status(), IsOk());
    return connection.ok() ? *std::move(connection) : nullptr;
  }

  // Numbers what is pending and returns the last position given.
  int64_t Number() {
    auto last = store_->Number(*connection_);
    EXPECT_THAT(last.status(), IsOk());
    return last.value_or(-1);
  }

  // Each change after `position` as "position resource locality".
  std::vector<std::string> Log(int64_t position) {
    auto events = store_->ReadAfter(position, 100, absl::Now() + absl::Seconds(10));
    EXPECT_THAT(events.status(), IsOk());
    std::vector<std::string> log;
    if (!events.ok()) return log;
    for (const changes::EventPtr& event : *events) {
      log.push_back(absl::StrCat(event->position, " ", event->change.resource(), " ",
                                 event->change.locality()));
    }
    return log;
  }

  std::unique_ptr<pg::Pool> pool_;
  std::unique_ptr<changes::ChangeStore> store_;
};

TEST_F(ChangeNumberingTest, TheMigrationNumbersWhatWaitedAfterWhatWasNumberedAndTheLogGoesOn) {
  Audit(1);
  Audit(2);
  Audit(3);
  // The first change numbered as the queue's feed did; two wait in the queue.
  ASSERT_THAT(
      connection_
          ->ExecuteScript("WITH first AS (DELETE FROM organizations.change_queue WHERE audit_id ="
                          " (SELECT min(audit_id) FROM organizations.change_queue)"
                          " RETURNING audit_id, locality, time)"
                          " INSERT INTO organizations.changes (position, audit_id, locality, time)"
                          " SELECT 1, audit_id, locality, time FROM first;"
                          " UPDATE organizations.change_head SET last_position = 1")
          .status(),
      IsOk());
  Migrate();
  EXPECT_THAT(SqlRows(*connection_, "SELECT to_regclass('organizations.change_queue')"),
              ElementsAre(""));
  EXPECT_THAT(Log(0),
              ElementsAre("1 organizations/1 localities/01", "2 organizations/2 localities/02",
                          "3 organizations/3 localities/03"));
  // Nothing new: the numbering gives nothing and says where the log is.
  EXPECT_EQ(Number(), 3);

  Audit(4);
  Audit(5);
  EXPECT_EQ(Number(), 5);
  EXPECT_THAT(Log(3),
              ElementsAre("4 organizations/4 localities/04", "5 organizations/5 localities/05"));
  EXPECT_EQ(Number(), 5);

  // The retention finds every change by time; a cursor behind it is too old.
  auto pruned = store_->Prune(absl::ZeroDuration(), absl::Now() + absl::Seconds(10));
  ASSERT_THAT(pruned.status(), IsOk());
  EXPECT_EQ(*pruned, 5);
  EXPECT_EQ(store_->ReadAfter(3, 100, absl::Now() + absl::Seconds(10)).status().code(),
            absl::StatusCode::kOutOfRange);
}

TEST_F(ChangeNumberingTest, AWriteCommittedAfterALaterOneWasNumberedIsNumberedNextOnce) {
  Migrate();
  std::unique_ptr<pg::Connection> slow = Open();
  ASSERT_NE(slow, nullptr);
  ASSERT_THAT(slow->ExecuteScript("BEGIN").status(), IsOk());
  Audit(*slow, 1);  // written first, committed last

  Audit(2);
  EXPECT_EQ(Number(), 1);
  EXPECT_THAT(Log(0), ElementsAre("1 organizations/2 localities/02"));

  ASSERT_THAT(slow->ExecuteScript("COMMIT").status(), IsOk());
  EXPECT_EQ(Number(), 2);
  EXPECT_THAT(Log(1), ElementsAre("2 organizations/1 localities/01"));
  EXPECT_EQ(Number(), 2);
  EXPECT_THAT(Log(2), IsEmpty());
}

TEST_F(ChangeNumberingTest, ATransactionThatBeganBeforeANumberingAndWroteAfterItIsNumbered) {
  Migrate();
  std::unique_ptr<pg::Connection> slow = Open();
  ASSERT_NE(slow, nullptr);
  // Its transaction id is given out before the numbering, its write after.
  ASSERT_THAT(slow->ExecuteScript("BEGIN; SELECT pg_current_xact_id()").status(), IsOk());
  Audit(2);
  EXPECT_EQ(Number(), 1);

  Audit(*slow, 1);
  Audit(3);
  EXPECT_EQ(Number(), 2);  // organizations/1 waits for its commit
  ASSERT_THAT(slow->ExecuteScript("COMMIT").status(), IsOk());
  EXPECT_EQ(Number(), 3);
  EXPECT_THAT(Log(0),
              ElementsAre("1 organizations/2 localities/02", "2 organizations/3 localities/03",
                          "3 organizations/1 localities/01"));
}

TEST_F(ChangeNumberingTest, ARolledBackWriteLeavesNoChange) {
  Migrate();
  std::unique_ptr<pg::Connection> undone = Open();
  ASSERT_NE(undone, nullptr);
  ASSERT_THAT(undone->ExecuteScript("BEGIN").status(), IsOk());
  Audit(*undone, 1);
  Audit(2);
  EXPECT_EQ(Number(), 1);
  ASSERT_THAT(undone->ExecuteScript("ROLLBACK").status(), IsOk());
  Audit(3);
  EXPECT_EQ(Number(), 2);
  EXPECT_THAT(Log(0),
              ElementsAre("1 organizations/2 localities/02", "2 organizations/3 localities/03"));
}

}  // namespace
}  // namespace caunoi
