#ifndef CAUNOI_TESTS_BENCH_GATEWAY_BENCH_H_
#define CAUNOI_TESTS_BENCH_GATEWAY_BENCH_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "tests/bench/load_loop.h"

namespace caunoi::bench {

// After MeasureDirectives has loaded 1,000,000 tasks under directives/1000000:
// starts directives, reports and gateway servers against `dsn` and
// measures report filing (durable), the compliance aggregate over
// 1,000,000 reports of 34 localities, the same unary read direct and
// through the gateway, and GetDirectiveRollout through the gateway.
// Empty on a set-up failure (printed).
std::vector<LoadResult> MeasureReportsAndGateway(const std::string& dsn,
                                                 const std::string& organizations_address,
                                                 int concurrency, absl::Duration duration);

}  // namespace caunoi::bench

#endif  // CAUNOI_TESTS_BENCH_GATEWAY_BENCH_H_
