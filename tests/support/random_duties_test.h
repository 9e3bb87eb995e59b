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

  // Up to `count` reports on random duties and months, some submitted.
  void InsertReports(std::mt19937& random, int count) {
    auto pick = [&](int n) { return static_cast<int>(random() % n); };
    std::vector<std::string> rows;
    for (int i = 0; i < count; ++i) {
      const int month = 1 + pick(6);
      const bool submitted = pick(3) != 0;
      rows.push_back(
          absl::StrCat("((SELECT id FROM reports.obligations ORDER BY id OFFSET ", pick(units_),
                       " LIMIT 1), '2025-0", month, "', date '2025-0", month, "-01', (date '2025-0",
                       month, "-01' + interval '1 month - 1 day')::date, ",
                       submitted ? "'SUBMITTED', date '2025-08-01'" : "'DRAFT', NULL", ")"));
    }
    Run(absl::StrCat(
        "INSERT INTO reports.reports (obligation_id, period, period_first, period_last, state,"
        " submitted_date) VALUES ",
        absl::StrJoin(rows, ", "), " ON CONFLICT DO NOTHING"));
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

  // One random write: new duties or reports, a draft submitted, a report
  // withdrawn or deleted, a duty moved, the merger.
  void RandomWrite(std::mt19937& random) {
    auto pick = [&](int n) { return static_cast<int>(random() % n); };
    const std::string duty = absl::StrCat("(SELECT id FROM reports.obligations ORDER BY id OFFSET ",
                                          pick(units_), " LIMIT 1)");
    const std::string report =
        absl::StrCat("(SELECT id FROM reports.reports ORDER BY id OFFSET ", pick(40), " LIMIT 1)");
    switch (pick(8)) {
      case 0:
        InsertObligations(random, 1 + pick(3));
        break;
      case 1:
      case 2:
        InsertReports(random, 1 + pick(6));
        break;
      case 3:  // a draft submitted
        Run(absl::StrCat(
            "UPDATE reports.reports SET state = 'SUBMITTED', submitted_date = '2025-08-02'"
            " WHERE state = 'DRAFT' AND id = ",
            report));
        break;
      case 4:  // returned to its unit, no longer submitted
        Run(absl::StrCat(
            "UPDATE reports.reports SET state = 'DRAFT', submitted_date = NULL WHERE id = ",
            report));
        break;
      case 5:
        Run(absl::StrCat("DELETE FROM reports.reports WHERE id = ", report));
        break;
      case 6:
        MoveDuty(random, duty);
        break;
      case 7:
        MergeHaGiang(random);
        break;
    }
  }

  int units_ = 0;  // duties inserted so far
};

}  // namespace caunoi::testing

#endif  // CAUNOI_TESTS_SUPPORT_RANDOM_DUTIES_TEST_H_
