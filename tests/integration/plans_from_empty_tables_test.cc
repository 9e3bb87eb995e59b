// Until autovacuum first analyzes a table, PostgreSQL plans for it from
// guesses, and a plan made while the table was empty may be kept as it
// fills. On a fresh database the writes' own lookups must still find rows
// by key, never by reading a whole table or index.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/changes/change_store.h"
#include "common/pg/connection.h"
#include "common/pg/migrator.h"
#include "common/pg/pool.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/postgres_test.h"
#include "tests/support/sql_rows.h"

namespace caunoi::organizations {
std::span<const pg::Migration> Migrations();  // generated from migrations/*.sql
}  // namespace caunoi::organizations

namespace caunoi {
namespace {

using ::caunoi::testing::IsOk;
using ::caunoi::testing::SqlRows;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

class PlansFromEmptyTablesTest : public caunoi::testing::PostgresTest {
 protected:
  void SetUp() override {
    PostgresTest::SetUp();
    if (HasFatalFailure()) return;
    connection_ = Connect("plans-test");
    ASSERT_NE(connection_, nullptr);
    ASSERT_THAT(pg::Migrate(*connection_, "organizations", organizations::Migrations()).status(),
                IsOk());
  }

  void Run(const std::string& sql) {
    EXPECT_THAT(connection_->ExecuteScript(sql).status(), IsOk()) << sql;
  }

  std::unique_ptr<pg::Connection> connection_;
};

// Enough executions for PostgreSQL to settle on the plan it keeps.
constexpr int kPlanned = 8;
// What the change feed reads at a time.
constexpr int kFeedPage = 1000;

TEST_F(PlansFromEmptyTablesTest, NewOrganizationsReadTheirParentByKey) {
  Run("BEGIN");
  Run("INSERT INTO organizations.organizations (display_name, kind, level, status)"
      " VALUES ('Liên hiệp các tổ chức hữu nghị', 'FRIENDSHIP_UNION', 'CENTRAL', 'ACTIVE')");
  const std::vector<std::string> created =
      SqlRows(*connection_, "SELECT max(id) FROM organizations.organization_rows");
  ASSERT_EQ(created.size(), 1u);
  const std::string& parent = created[0];
  for (int i = 0; i < kPlanned; ++i) {
    Run(absl::StrCat(
        "INSERT INTO organizations.organizations (display_name, kind, level, parent_id, status)"
        " VALUES ('Hội hữu nghị số ",
        i, "', 'FRIENDSHIP_ASSOCIATION', 'CENTRAL', ", parent, ", 'ACTIVE'), ('Hội độc lập số ", i,
        "', 'FRIENDSHIP_ASSOCIATION', 'PROVINCIAL', NULL, 'ACTIVE')"));
  }
  // Counted within this transaction, so none is lost to the statistics'
  // own delay.
  EXPECT_THAT(SqlRows(*connection_,
                      "SELECT pg_stat_get_xact_numscans("
                      "'organizations.organizations_by_path'::regclass)"),
              ElementsAre("0"));
  EXPECT_THAT(
      SqlRows(*connection_,
              "SELECT ancestors::text, count(*) FROM organizations.organizations"
              " GROUP BY 1 ORDER BY 1"),
      ElementsAre(absl::StrCat("{", parent, "}|", kPlanned), absl::StrCat("{}|", kPlanned + 1)));
  Run("COMMIT");
}

TEST_F(PlansFromEmptyTablesTest, ChangesReadTheirAuditRecordsByKey) {
  pg::Pool pool({.dsn = postgres_->dsn(), .size = 1});
  changes::ChangeStore store(pool, "organizations");
  // A log written before its first analysis: the planner guesses a third
  // of the changes follow any position.
  Run("INSERT INTO organizations.audit_log (actor, action, resource, after)"
      " SELECT 'users/test', 'create', 'organizations/' || n, '{}'"
      " FROM generate_series(1, 5000) n");
  ASSERT_THAT(store.Number(*connection_).status(), IsOk());
  auto read = store.ReadAfter(4990, kFeedPage, absl::Now() + absl::Seconds(10));
  ASSERT_THAT(read.status(), IsOk());
  std::vector<std::string> resources;
  for (const changes::EventPtr& event : *read) resources.push_back(event->change.resource());
  EXPECT_THAT(resources,
              ElementsAre("organizations/4991", "organizations/4992", "organizations/4993",
                          "organizations/4994", "organizations/4995", "organizations/4996",
                          "organizations/4997", "organizations/4998", "organizations/4999",
                          "organizations/5000"));
  // The plan the store's connection keeps for its reads.
  auto lease = pool.Acquire(absl::Now() + absl::Seconds(10));
  ASSERT_THAT(lease.status(), IsOk());
  const std::vector<std::string> plan = SqlRows(
      **lease, absl::StrCat("EXPLAIN EXECUTE changes_read('4990', '", kFeedPage, "', NULL, NULL)"));
  ASSERT_THAT(plan, Not(::testing::IsEmpty()));
  const std::string shown = absl::StrJoin(plan, "\n");
  EXPECT_THAT(shown, HasSubstr("audit_log_pkey"));
  EXPECT_THAT(shown, Not(HasSubstr("Seq Scan on audit_log")));
}

}  // namespace
}  // namespace caunoi
