#include "tests/bench/tables_with_rows.h"

#include <string>

#include "common/pg/connection.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/postgres_test.h"

namespace caunoi::bench {
namespace {

using ::caunoi::testing::IsOk;

// A table with a row, one never written, one emptied, one whose name needs
// quoting, and a view (no table).
constexpr char kTables[] =
    "CREATE SCHEMA s;"
    "CREATE TABLE s.filled (v int); INSERT INTO s.filled VALUES (1), (2);"
    "CREATE TABLE s.never_written (v int);"
    "CREATE TABLE s.emptied (v int); INSERT INTO s.emptied VALUES (1); DELETE FROM s.emptied;"
    "CREATE TABLE s.\"Báo cáo\" (v int); INSERT INTO s.\"Báo cáo\" VALUES (1);"
    "CREATE VIEW s.filled_view AS SELECT * FROM s.filled;";

// pg_class.reltuples: -1 until the table is first analyzed or vacuumed.
constexpr char kRowEstimates[] =
    "SELECT string_agg(c.relname || '=' || c.reltuples::bigint, ' ' ORDER BY c.relname)"
    " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE n.nspname = 's' AND c.relkind = 'r'";

class TablesWithRowsTest : public caunoi::testing::PostgresTest {
 protected:
  void SetUp() override {
    PostgresTest::SetUp();
    if (HasFatalFailure()) return;
    connection_ = Connect();
    ASSERT_NE(connection_, nullptr);
    ASSERT_THAT(connection_->ExecuteScript(kTables).status(), IsOk());
  }

  std::string Tables() {
    absl::StatusOr<std::string> tables = TablesWithRows(*connection_);
    EXPECT_THAT(tables.status(), IsOk());
    return tables.value_or("(failed)");
  }

  std::string RowEstimates() {
    auto result = connection_->ExecuteScript(kRowEstimates);
    EXPECT_THAT(result.status(), IsOk());
    return result.ok() ? std::string(result->Text(0, 0)) : "";
  }

  std::unique_ptr<pg::Connection> connection_;
};

TEST_F(TablesWithRowsTest, NamesTheTablesThatHoldARowAsAStatementTakesThem) {
  EXPECT_EQ(Tables(), "s.\"Báo cáo\", s.filled");
}

TEST_F(TablesWithRowsTest, AnalyzesOnlyTheTablesWithRows) {
  ASSERT_THAT(OnTablesWithRows(*connection_, "ANALYZE"), IsOk());
  EXPECT_EQ(RowEstimates(), "Báo cáo=1 emptied=-1 filled=2 never_written=-1");
}

TEST_F(TablesWithRowsTest, VacuumsOnlyTheTablesWithRowsOutsideATransactionBlock) {
  ASSERT_THAT(OnTablesWithRows(*connection_, "VACUUM (ANALYZE)"), IsOk());
  EXPECT_EQ(RowEstimates(), "Báo cáo=1 emptied=-1 filled=2 never_written=-1");
}

TEST_F(TablesWithRowsTest, DoesNothingWhenNoTableHoldsARow) {
  ASSERT_THAT(
      connection_->ExecuteScript("DELETE FROM s.filled; DELETE FROM s.\"Báo cáo\"").status(),
      IsOk());
  EXPECT_EQ(Tables(), "");
  EXPECT_THAT(OnTablesWithRows(*connection_, "ANALYZE"), IsOk());
  EXPECT_EQ(RowEstimates(), "Báo cáo=-1 emptied=-1 filled=-1 never_written=-1");
}

}  // namespace
}  // namespace caunoi::bench
