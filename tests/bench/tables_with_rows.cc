#include "tests/bench/tables_with_rows.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status/status_macros.h"

namespace caunoi::bench {
namespace {

// A statement naming each user table that holds a row, one per result
// row: whether a table holds one takes a statement per table.
constexpr char kFindTablesWithRows[] =
    "SELECT coalesce(string_agg(format('SELECT %L WHERE EXISTS (SELECT FROM %s)', t, t),"
    "                           ' UNION ALL '), 'SELECT NULL WHERE false')"
    " FROM (SELECT c.oid::regclass::text FROM pg_class c"
    "       JOIN pg_namespace n ON n.oid = c.relnamespace"
    "       WHERE c.relkind IN ('r', 'm')"
    "         AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
    "         AND n.nspname NOT LIKE 'pg_toast%') AS tables (t)";

}  // namespace

absl::StatusOr<std::string> TablesWithRows(pg::Connection& connection) {
  CAUNOI_ASSIGN_OR_RETURN(pg::Result finder, connection.ExecuteScript(kFindTablesWithRows));
  CAUNOI_ASSIGN_OR_RETURN(pg::Result tables, connection.ExecuteScript(finder.Text(0, 0)));
  std::vector<std::string> names;
  for (int row = 0; row < tables.rows(); ++row) names.emplace_back(tables.Text(row, 0));
  std::sort(names.begin(), names.end());  // the same list for the same tables
  return absl::StrJoin(names, ", ");
}

absl::Status OnTablesWithRows(pg::Connection& connection, absl::string_view command) {
  CAUNOI_ASSIGN_OR_RETURN(const std::string tables, TablesWithRows(connection));
  if (tables.empty()) return absl::OkStatus();
  return connection.ExecuteScript(absl::StrCat(command, " ", tables)).status();
}

}  // namespace caunoi::bench
