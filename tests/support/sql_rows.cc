#include "tests/support/sql_rows.h"

#include "absl/strings/str_join.h"
#include "gtest/gtest.h"

namespace caunoi::testing {

std::vector<std::string> SqlRows(pg::Connection& connection, const std::string& sql) {
  absl::StatusOr<pg::Result> result = connection.ExecuteScript(sql);
  EXPECT_TRUE(result.ok()) << sql << ": " << result.status();
  std::vector<std::string> rows;
  if (!result.ok()) return rows;
  for (int i = 0; i < result->rows(); ++i) {
    std::vector<std::string> cells;
    for (int j = 0; j < result->columns(); ++j) cells.emplace_back(result->Text(i, j));
    rows.push_back(absl::StrJoin(cells, "|"));
  }
  return rows;
}

}  // namespace caunoi::testing
