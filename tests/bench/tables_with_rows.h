#ifndef CAUNOI_TESTS_BENCH_TABLES_WITH_ROWS_H_
#define CAUNOI_TESTS_BENCH_TABLES_WITH_ROWS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/pg/connection.h"

// Which tables a bench's loaded data is analyzed and vacuumed in: those
// that hold rows. ANALYZE and VACUUM both record an empty table (a
// service's request log before its first write) as empty; each connection
// then plans it so, scans included, and keeps that plan while writes fill
// it, until autovacuum looks again (tests/bench/RESULTS.md, "filing after
// the bulk load"). A table never analyzed nor vacuumed is planned as at
// least ten pages.
namespace caunoi::bench {

// The user tables that hold a row, sorted and joined by ", " as a
// statement's list of tables takes them; empty when none does.
absl::StatusOr<std::string> TablesWithRows(pg::Connection& connection);

// Runs `command` ("ANALYZE", "VACUUM (ANALYZE)") on the tables that hold
// rows, and nothing when none does.
absl::Status OnTablesWithRows(pg::Connection& connection, absl::string_view command);

}  // namespace caunoi::bench

#endif  // CAUNOI_TESTS_BENCH_TABLES_WITH_ROWS_H_
