// The migration that queues changes until the feed numbers them keeps the
// changes numbered before it, numbers those still waiting after them, and
// the log goes on from there.
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

constexpr int kChangeQueue = 18;

class ChangeQueueMigrationTest : public caunoi::testing::MigrationTest {
 protected:
  void SetUp() override { SetUpBefore("organizations", organizations::Migrations(), kChangeQueue); }

  void Audit(int organization) {
    const std::string sql = absl::StrCat(
        "INSERT INTO organizations.audit_log (actor, action, resource, after) VALUES"
        " ('users/test', 'create', 'organizations/",
        organization, "', '{\"locality\": \"localities/0", organization, "\"}')");
    EXPECT_THAT(connection_->ExecuteScript(sql).status(), IsOk()) << sql;
  }

  // Each change after `position` as "position resource locality".
  std::vector<std::string> Log(changes::ChangeStore& store, int64_t position) {
    auto events = store.ReadAfter(position, 100, absl::Now() + absl::Seconds(10));
    EXPECT_THAT(events.status(), IsOk());
    std::vector<std::string> log;
    if (!events.ok()) return log;
    for (const changes::EventPtr& event : *events) {
      log.push_back(absl::StrCat(event->position, " ", event->change.resource(), " ",
                                 event->change.locality()));
    }
    return log;
  }
};

TEST_F(ChangeQueueMigrationTest, NumbersWhatWaitedAfterWhatWasNumberedAndGoesOn) {
  Audit(1);
  Audit(2);
  Audit(3);
  // The first change numbered as the feed did before the migration; two wait.
  ASSERT_THAT(connection_
                  ->ExecuteScript("UPDATE organizations.changes SET position = 1"
                                  " WHERE id = (SELECT min(id) FROM organizations.changes);"
                                  " UPDATE organizations.change_head SET last_position = 1")
                  .status(),
              IsOk());
  ASSERT_THAT(pg::Migrate(*connection_, "organizations", organizations::Migrations()).status(),
              IsOk());
  EXPECT_THAT(SqlRows(*connection_, "SELECT count(*) FROM organizations.change_queue"),
              ElementsAre("2"));

  pg::Pool pool({.dsn = postgres_->dsn(), .size = 1});
  changes::ChangeStore store(pool, "organizations");
  auto last = store.Number(*connection_);
  ASSERT_THAT(last.status(), IsOk());
  EXPECT_EQ(*last, 3);
  EXPECT_THAT(Log(store, 0),
              ElementsAre("1 organizations/1 localities/01", "2 organizations/2 localities/02",
                          "3 organizations/3 localities/03"));

  Audit(4);
  Audit(5);
  last = store.Number(*connection_);
  ASSERT_THAT(last.status(), IsOk());
  EXPECT_EQ(*last, 5);
  EXPECT_THAT(Log(store, 3),
              ElementsAre("4 organizations/4 localities/04", "5 organizations/5 localities/05"));
  EXPECT_THAT(SqlRows(*connection_, "SELECT count(*) FROM organizations.change_queue"),
              ElementsAre("0"));
  // Nothing waiting: the numbering gives nothing and says where the log is.
  last = store.Number(*connection_);
  ASSERT_THAT(last.status(), IsOk());
  EXPECT_EQ(*last, 5);

  // The retention finds every change by time; a cursor behind it is too old.
  auto pruned = store.Prune(absl::ZeroDuration(), absl::Now() + absl::Seconds(10));
  ASSERT_THAT(pruned.status(), IsOk());
  EXPECT_EQ(*pruned, 5);
  EXPECT_EQ(store.ReadAfter(3, 100, absl::Now() + absl::Seconds(10)).status().code(),
            absl::StatusCode::kOutOfRange);
}

}  // namespace
}  // namespace caunoi
