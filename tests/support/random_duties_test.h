#ifndef CAUNOI_TESTS_SUPPORT_RANDOM_DUTIES_TEST_H_
#define CAUNOI_TESTS_SUPPORT_RANDOM_DUTIES_TEST_H_

#include <random>
#include <span>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/pg/migrator.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "tests/support/migration_test.h"
#include "tests/support/sql_rows.h"

namespace caunoi::reports {
std::span<const pg::Migration> Migrations();  // generated from migrations/*.sql
}  // namespace caunoi::reports

namespace caunoi::testing {

// A test of a reports migration that keeps an aggregate, fed with random
// reporting duties: what the aggregate keeps is then compared with a
// recomputation after random writes.
class RandomDutiesTest : public MigrationTest {
 protected:
  void SetUpBefore(int version) {
    MigrationTest::SetUpBefore("reports", reports::Migrations(), version);
  }

  void Run(const std::string& sql) {
    EXPECT_THAT(connection_->ExecuteScript(sql).status(), IsOk()) << sql;
  }

  // `count` new duties with random terms, places and communes, in one
  // statement.
  void InsertObligations(std::mt19937& random, int count) {
    auto pick = [&](int n) { return static_cast<int>(random() % n); };
    // Today's Hanoi and Ho Chi Minh City, a province replaced in 2025
    // (Hà Giang, now in Tuyên Quang), none.
    const char* kLocalities[] = {"'01'", "'79'", "'02'", "NULL"};
    const char* kCommunes[] = {"NULL", "'00004'", "'00008'"};
    const char* kTerms[] = {"'2024-01', '2024-01-01', NULL, NULL",
                            "'2025-07', '2025-07-01', NULL, NULL",
                            "'2024-01', '2024-01-01', '2025-06', '2025-06-30'"};
    std::vector<std::string> rows;
    for (int i = 0; i < count; ++i) {
      rows.push_back(absl::StrCat("(", 1 + pick(3), ", ", ++units_, ", ", kLocalities[pick(4)],
                                  ", ", kCommunes[pick(3)], ", 'MONTHLY', ", 10 + 5 * pick(2), ", ",
                                  kTerms[pick(3)], ")"));
    }
    Run(absl::StrCat(
        "INSERT INTO reports.obligations (document_id, unit_id, locality_id, commune_code,"
        " cadence, timely_days, first_period, first_day, last_period, last_day) VALUES ",
        absl::StrJoin(rows, ", ")));
  }

  // The migration under test and those after it applied: what it filled
  // (`kept`) is not empty and equals `recomputed`.
  void MigrateAndExpectFilled(const char* kept, const char* recomputed) {
    ASSERT_THAT(pg::Migrate(*connection_, "reports", reports::Migrations()).status(), IsOk());
    const std::vector<std::string> filled = SqlRows(*connection_, kept);
    EXPECT_THAT(filled, ::testing::Not(::testing::IsEmpty()));
    EXPECT_EQ(filled, SqlRows(*connection_, recomputed)) << "as the migration filled them";
  }

  // Duty `id` (an SQL expression) moved to another place, or within it to
  // another commune.
  void MoveDuty(std::mt19937& random, const std::string& id) {
    const char* locality = random() % 2 == 0 ? "'01'" : "'79'";
    const char* commune = random() % 2 == 0 ? "NULL" : "'00004'";
    Run(absl::StrCat("UPDATE reports.obligations SET locality_id = ", locality,
                     ", commune_code = ", commune, " WHERE id = ", id));
  }

  // The 2025 merger: Hà Giang's duties (of one parity of id, so some stay
  // for a later merger) now Tuyên Quang's.
  void MergeHaGiang(std::mt19937& random) {
    Run(absl::StrCat(
        "UPDATE reports.obligations SET locality_id = '08' WHERE locality_id = '02' AND id % 2 = ",
        random() % 2));
  }

  int units_ = 0;  // duties inserted so far
};

}  // namespace caunoi::testing

#endif  // CAUNOI_TESTS_SUPPORT_RANDOM_DUTIES_TEST_H_
