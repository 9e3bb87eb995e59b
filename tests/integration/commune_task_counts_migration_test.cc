// The migration that keeps each commune's task counts per document fills
// them from the communes' tallies kept before it, and from then on keeps
// them through writes and moves of the task horizon; the next one does the
// same with each document's communes that acted.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/pg/connection.h"
#include "common/pg/migrator.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/commune_task_counts_sql.h"
#include "tests/support/migration_test.h"
#include "tests/support/sql_rows.h"

namespace caunoi::directives {
std::span<const pg::Migration> Migrations();  // generated from migrations/*.sql
}  // namespace caunoi::directives

namespace caunoi {
namespace {

using ::caunoi::testing::IsOk;
using ::caunoi::testing::kKeptActingCommunes;
using ::caunoi::testing::kKeptCommuneTaskCounts;
using ::caunoi::testing::kRecomputedActingCommunes;
using ::caunoi::testing::kRecomputedCommuneTaskCounts;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr int kCommuneTaskCounts = 21;
constexpr char kHorizon[] = "(SELECT day FROM directives.task_horizon)";

class CommuneTaskCountsMigrationTest : public caunoi::testing::MigrationTest {
 protected:
  void SetUp() override { SetUpBefore("directives", directives::Migrations(), kCommuneTaskCounts); }

  std::vector<std::string> Rows(const std::string& sql) {
    return caunoi::testing::SqlRows(*connection_, sql);
  }
};

TEST_F(CommuneTaskCountsMigrationTest, FillsTheCountsAndKeepsThem) {
  // A plan of Hanoi and one of Ho Chi Minh City, each with tasks in two of
  // its communes and of its own: due before the horizon, after it, on no
  // day, done on time and late.
  Rows(
      "INSERT INTO directives.documents (id, type, symbol, number, type_code, issuer_code,"
      " normalized_symbol, level, issuing_body, locality_id, current_locality_id, issue_date,"
      " title, status) VALUES"
      " (1, 'PLAN', '1-KH/TU', 1, 'KH', 'TU', '1-KH/TU', 'PROVINCIAL', 'Thành ủy', '01', '01',"
      "  '2025-08-01', 'Kế hoạch', 'ISSUED'),"
      " (2, 'PLAN', '2-KH/TU', 2, 'KH', 'TU', '2-KH/TU', 'PROVINCIAL', 'Thành ủy', '79', '79',"
      "  '2025-08-02', 'Kế hoạch', 'ISSUED')");
  Rows(absl::StrCat(
      "INSERT INTO directives.tasks (document_id, number, title, due_date, completed_date,"
      " commune_place)"
      " SELECT d, d || '.' || n, 'Nhiệm vụ',"
      " CASE WHEN n % 5 = 0 THEN NULL ELSE ",
      kHorizon,
      " + (n % 7) - 3 END,"
      " CASE n % 4 WHEN 0 THEN ",
      kHorizon, " - 5 WHEN 1 THEN ", kHorizon,
      " + 5 END,"
      " CASE n % 3 WHEN 0 THEN '' WHEN 1 THEN l || '/00004' ELSE l || '/00008' END"
      " FROM (VALUES (1, '01'), (2, '79')) AS p (d, l), generate_series(1, 60) n"));
  ASSERT_THAT(pg::Migrate(*connection_, "directives", directives::Migrations()).status(), IsOk());
  const std::vector<std::string> recomputed = Rows(kRecomputedCommuneTaskCounts);
  ASSERT_EQ(recomputed.size(), 4u);  // two communes of each plan
  EXPECT_EQ(Rows(kKeptCommuneTaskCounts), recomputed) << "as the migration filled them";
  // The next migration fills each document's communes that acted from them.
  const std::vector<std::string> acting = Rows(kRecomputedActingCommunes);
  ASSERT_EQ(acting.size(), 2u);
  EXPECT_EQ(Rows(kKeptActingCommunes), acting) << "as the migration filled them";

  // The horizon moved ahead and back, tasks finished, moved and deleted.
  for (const std::string& write :
       {absl::StrCat("SELECT directives.advance_task_horizon(", kHorizon, " + 2)"),
        std::string("UPDATE directives.tasks SET completed_date = due_date WHERE id % 6 = 1"),
        std::string("UPDATE directives.tasks SET commune_place = '01/00008'"
                    " WHERE document_id = 1 AND id % 5 = 2"),
        std::string("DELETE FROM directives.tasks WHERE id % 9 = 4"),
        // Every task of Ho Chi Minh City's 00008 reopened: it no longer acted.
        std::string("UPDATE directives.tasks SET completed_date = NULL"
                    " WHERE commune_place = '79/00008'"),
        absl::StrCat("SELECT directives.advance_task_horizon(", kHorizon, " - 4)")}) {
    SCOPED_TRACE(write);
    Rows(write);
    const std::vector<std::string> now = Rows(kRecomputedCommuneTaskCounts);
    EXPECT_THAT(now, Not(IsEmpty()));
    EXPECT_EQ(Rows(kKeptCommuneTaskCounts), now);
    const std::vector<std::string> acting_now = Rows(kRecomputedActingCommunes);
    EXPECT_THAT(acting_now, Not(IsEmpty()));
    EXPECT_EQ(Rows(kKeptActingCommunes), acting_now);
  }
}

}  // namespace
}  // namespace caunoi
