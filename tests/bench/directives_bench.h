#ifndef CAUNOI_TESTS_BENCH_DIRECTIVES_BENCH_H_
#define CAUNOI_TESTS_BENCH_DIRECTIVES_BENCH_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "tests/bench/load_loop.h"

namespace caunoi::bench {

// Starts directives_server against `dsn` and `organizations_address` and
// measures: document creates; GetCascade of a root with 34 children of 50
// children each; the task aggregates over 1,000,000 tasks (not with
// `creates_only`). Empty on a set-up failure (printed).
std::vector<LoadResult> MeasureDirectives(const std::string& dsn,
                                          const std::string& organizations_address, int concurrency,
                                          absl::Duration duration, bool creates_only = false);

}  // namespace caunoi::bench

#endif  // CAUNOI_TESTS_BENCH_DIRECTIVES_BENCH_H_
