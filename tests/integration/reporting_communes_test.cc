// Each document's communes with a report submitted, per locality, kept by
// triggers, against a recomputation from the reports themselves: filled by
// their migration, then kept through a random mix of filings, withdrawals,
// deletes and duties moved between places, the 2025 merger among them.
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/random_duties_test.h"
#include "tests/support/sql_rows.h"

namespace caunoi {
namespace {

using ::caunoi::testing::SqlRows;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr int kReportingCommunes = 21;

// Document, locality and its communes with a report submitted, in order.
constexpr char kRecomputed[] =
    "SELECT o.document_id, coalesce(o.locality_id, ''),"
    " string_agg(DISTINCT o.commune_code, ',' ORDER BY o.commune_code)"
    " FROM reports.reports r JOIN reports.obligations o ON o.id = r.obligation_id"
    " WHERE r.submitted_date IS NOT NULL AND o.commune_code IS NOT NULL"
    " GROUP BY 1, 2 ORDER BY 1, 2";
constexpr char kKept[] =
    "SELECT document_id, locality_id,"
    " array_to_string(ARRAY(SELECT unnest(communes) ORDER BY 1), ',')"
    " FROM reports.reporting_communes WHERE cardinality(communes) > 0 ORDER BY 1, 2";

class ReportingCommunesTest : public caunoi::testing::RandomDutiesTest {
 protected:
  void SetUp() override { SetUpBefore(kReportingCommunes); }

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
};

TEST_F(ReportingCommunesTest, KeptCommunesEqualARecomputationAfterRandomWrites) {
  std::mt19937 random(20261205);
  auto pick = [&](int n) { return static_cast<int>(random() % n); };
  InsertObligations(random, 20);
  InsertReports(random, 30);
  ASSERT_NO_FATAL_FAILURE(MigrateAndExpectFilled(kKept, kRecomputed));

  const std::string some_duty = "(SELECT id FROM reports.obligations ORDER BY id OFFSET ";
  const std::string some_report = "(SELECT id FROM reports.reports ORDER BY id OFFSET ";
  for (int step = 0; step < 300; ++step) {
    const std::string duty = absl::StrCat(some_duty, pick(units_), " LIMIT 1)");
    const std::string report = absl::StrCat(some_report, pick(40), " LIMIT 1)");
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
    if (step % 50 == 49) {
      SCOPED_TRACE(step);
      EXPECT_EQ(SqlRows(*connection_, kKept), SqlRows(*connection_, kRecomputed));
    }
  }
  const std::vector<std::string> recomputed = SqlRows(*connection_, kRecomputed);
  EXPECT_THAT(recomputed, Not(IsEmpty()));
  EXPECT_EQ(SqlRows(*connection_, kKept), recomputed);
  // Every kind of write took part: the merger moved some reporting duties,
  // some reports were withdrawn.
  EXPECT_THAT(SqlRows(*connection_,
                      "SELECT 1 FROM reports.reporting_communes WHERE locality_id = '08'"
                      " AND cardinality(communes) > 0"),
              Not(IsEmpty()));
  EXPECT_THAT(SqlRows(*connection_, "SELECT 1 FROM reports.reports WHERE state = 'DRAFT'"),
              Not(IsEmpty()));

  // Every report of a commune withdrawn: it has no longer reported.
  Run("UPDATE reports.reports SET state = 'DRAFT', submitted_date = NULL"
      " WHERE obligation_id IN (SELECT id FROM reports.obligations WHERE commune_code = '00004')");
  EXPECT_EQ(SqlRows(*connection_, kKept), SqlRows(*connection_, kRecomputed));
  EXPECT_THAT(SqlRows(*connection_,
                      "SELECT 1 FROM reports.reporting_communes WHERE '00004' = ANY(communes)"),
              IsEmpty());
}

}  // namespace
}  // namespace caunoi
