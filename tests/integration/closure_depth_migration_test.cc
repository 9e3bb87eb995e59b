// The migration that keeps each closure pair's shortest depth gives the
// pairs kept before it the length of their shortest path.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/pg/connection.h"
#include "common/pg/migrator.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/migration_test.h"
#include "tests/support/sql_rows.h"

namespace caunoi::directives {
std::span<const pg::Migration> Migrations();  // generated from migrations/*.sql
}  // namespace caunoi::directives

namespace caunoi {
namespace {

using ::caunoi::testing::IsOk;

constexpr int kClosureDepth = 20;

class ClosureDepthMigrationTest : public caunoi::testing::MigrationTest {
 protected:
  void SetUp() override { SetUpBefore("directives", directives::Migrations(), kClosureDepth); }

  std::vector<std::string> Rows(const std::string& sql) {
    return caunoi::testing::SqlRows(*connection_, sql);
  }

  // "1>5:3@2": from 1 to 5, three paths, the shortest of length 2.
  std::vector<std::string> PairsBelow(absl::string_view ancestors) {
    return Rows(
        absl::StrCat("SELECT ancestor_id || '>' || descendant_id || ':' || paths || '@' || depth"
                     " FROM directives.document_closure WHERE ancestor_id IN (",
                     ancestors, ") ORDER BY 1"));
  }
};

TEST_F(ClosureDepthMigrationTest, PairsKeptBeforeItGetTheirShortestDepth) {
  // A root, two plans below it, and documents reached by paths of several
  // lengths: 5 by 1→2→5 and 1→2→4→5, 4 by 1→4 and 1→2→4.
  Rows(
      "INSERT INTO directives.documents (id, type, symbol, number, type_code, issuer_code,"
      " normalized_symbol, level, issuing_body, locality_id, current_locality_id, issue_date,"
      " title, status) SELECT n, 'PLAN', n || '-KH/TU', n, 'KH', 'TU', n || '-KH/TU',"
      " 'PROVINCIAL', 'Tỉnh ủy', '01', '01', date '2022-01-01' + n, 'Kế hoạch', 'ISSUED'"
      " FROM generate_series(1, 6) n");
  Rows(
      "INSERT INTO directives.document_links (parent_id, child_id) VALUES"
      " (1, 2), (2, 5), (2, 4), (4, 5), (1, 4), (1, 3), (5, 6)");
  ASSERT_THAT(pg::Migrate(*connection_, "directives", directives::Migrations()).status(), IsOk());
  EXPECT_THAT(PairsBelow("1, 2"),
              ::testing::ElementsAre("1>2:1@1", "1>3:1@1", "1>4:2@1", "1>5:3@2", "1>6:3@3",
                                     "2>4:1@1", "2>5:2@1", "2>6:2@2"));
  // And they are kept from then on: the short way to 5 and 6 removed.
  Rows("DELETE FROM directives.document_links WHERE (parent_id, child_id) = (2, 5)");
  EXPECT_THAT(PairsBelow("1"),
              ::testing::ElementsAre("1>2:1@1", "1>3:1@1", "1>4:2@1", "1>5:2@2", "1>6:2@3"));
  Rows("DELETE FROM directives.document_links WHERE (parent_id, child_id) = (1, 4)");
  EXPECT_THAT(PairsBelow("1"),
              ::testing::ElementsAre("1>2:1@1", "1>3:1@1", "1>4:1@2", "1>5:1@3", "1>6:1@4"));
}

}  // namespace
}  // namespace caunoi
