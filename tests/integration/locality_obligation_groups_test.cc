// The obligation groups kept per locality, against a recomputation from the
// obligations themselves: filled by their migration from the groups per
// commune, then kept by the trigger through a random mix of writes.
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/random_duties_test.h"
#include "tests/support/sql_rows.h"

namespace caunoi {
namespace {

using ::caunoi::testing::SqlRows;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr int kLocalityObligationGroups = 20;

// Obligations per document, locality and reporting terms, as a national
// summary counts them.
constexpr char kRecomputed[] =
    "SELECT document_id, coalesce(locality_id, ''), first_period, coalesce(last_period, ''),"
    " timely_days, count(*) FROM reports.obligations GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5";
constexpr char kKept[] =
    "SELECT document_id, locality_id, first_period, last_period, timely_days, obligations"
    " FROM reports.locality_obligation_groups WHERE obligations <> 0 ORDER BY 1, 2, 3, 4, 5";

class LocalityObligationGroupsTest : public caunoi::testing::RandomDutiesTest {
 protected:
  void SetUp() override { SetUpBefore(kLocalityObligationGroups); }
};

// Inserts of several at once, moves between places and communes, the 2025
// merger moving a replaced province's duties to its successor, timely days
// and ends changed, and deletes.
TEST_F(LocalityObligationGroupsTest, KeptGroupsEqualARecomputationAfterRandomWrites) {
  std::mt19937 random(20261204);
  auto pick = [&](int n) { return static_cast<int>(random() % n); };
  InsertObligations(random, 30);
  ASSERT_NO_FATAL_FAILURE(MigrateAndExpectFilled(kKept, kRecomputed));

  const std::string some = "(SELECT id FROM reports.obligations ORDER BY id OFFSET ";
  for (int step = 0; step < 300; ++step) {
    const std::string one = absl::StrCat(some, pick(40), " LIMIT 1)");
    switch (pick(7)) {
      case 0:
      case 1:
        InsertObligations(random, 1 + pick(5));
        break;
      case 2:
        MoveDuty(random, one);
        break;
      case 3:
        MergeHaGiang(random);
        break;
      case 4:  // another timely days for a few at once
        Run(absl::StrCat("UPDATE reports.obligations SET timely_days = ", 5 * (1 + pick(4)),
                         " WHERE id % 7 = ", pick(7)));
        break;
      case 5:  // ended, or lasting again
        if (pick(2) == 0) {
          Run(
              absl::StrCat("UPDATE reports.obligations SET last_period = '2026-06',"
                           " last_day = '2026-06-30' WHERE id = ",
                           one));
        } else {
          Run(
              absl::StrCat("UPDATE reports.obligations SET last_period = NULL, last_day = NULL"
                           " WHERE id = ",
                           one));
        }
        break;
      case 6:
        Run(absl::StrCat("DELETE FROM reports.obligations WHERE id = ", one));
        break;
    }
  }
  const std::vector<std::string> recomputed = SqlRows(*connection_, kRecomputed);
  EXPECT_THAT(recomputed, Not(IsEmpty()));
  EXPECT_EQ(SqlRows(*connection_, kKept), recomputed);
  EXPECT_THAT(SqlRows(*connection_,
                      "SELECT 1 FROM reports.locality_obligation_groups WHERE obligations < 0"),
              IsEmpty());
  // The groups per commune add up to the same.
  EXPECT_EQ(SqlRows(*connection_,
                    "SELECT document_id, locality_id, first_period, last_period, timely_days,"
                    " sum(obligations) FROM reports.obligation_groups GROUP BY 1, 2, 3, 4, 5"
                    " HAVING sum(obligations) <> 0 ORDER BY 1, 2, 3, 4, 5"),
            recomputed);
  // Every kind of write took part: the merger moved some, some ended.
  EXPECT_THAT(SqlRows(*connection_, "SELECT 1 FROM reports.obligations WHERE locality_id = '08'"),
              Not(IsEmpty()));
  EXPECT_THAT(
      SqlRows(*connection_, "SELECT 1 FROM reports.obligations WHERE last_period = '2026-06'"),
      Not(IsEmpty()));
}

}  // namespace
}  // namespace caunoi
