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
};

TEST_F(ReportingCommunesTest, KeptCommunesEqualARecomputationAfterRandomWrites) {
  std::mt19937 random(20261205);
  InsertObligations(random, 20);
  InsertReports(random, 30);
  ASSERT_NO_FATAL_FAILURE(MigrateAndExpectFilled(kKept, kRecomputed));

  for (int step = 0; step < 300; ++step) {
    RandomWrite(random);
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
