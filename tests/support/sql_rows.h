#ifndef CAUNOI_TESTS_SUPPORT_SQL_ROWS_H_
#define CAUNOI_TESTS_SUPPORT_SQL_ROWS_H_

#include <string>
#include <vector>

#include "common/pg/connection.h"

namespace caunoi::testing {

// The rows `sql` returns as "a|b|c" lines, for comparing a kept aggregate
// with its recomputation; a failing query fails the test and returns none.
std::vector<std::string> SqlRows(pg::Connection& connection, const std::string& sql);

}  // namespace caunoi::testing

#endif  // CAUNOI_TESTS_SUPPORT_SQL_ROWS_H_
