#ifndef CAUNOI_TESTS_BENCH_GATEWAY_BENCH_H_
#define CAUNOI_TESTS_BENCH_GATEWAY_BENCH_H_

#include <functional>
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
// Which parts to measure: `bulk` (the compliance aggregate and the
// rollout) needs MeasureDirectives' tasks and loads 1,000,000 reports; the
// filing and forwarding ratios need neither.
struct ReportsAndGatewayParts {
  bool filing = true;
  bool forwarding = true;
  bool bulk = true;
  // The grpc_insert floor (WriteFloor::Insert), measured in turns with
  // filing under the name kFloorInTurnsWithFiling.
  std::function<bool(int)> floor;
};

inline constexpr char kFloorInTurnsWithFiling[] = "grpc_insert (in turns with filing)";

std::vector<LoadResult> MeasureReportsAndGateway(const std::string& dsn,
                                                 const std::string& organizations_address,
                                                 int concurrency, absl::Duration duration,
                                                 const ReportsAndGatewayParts& parts);

}  // namespace caunoi::bench

#endif  // CAUNOI_TESTS_BENCH_GATEWAY_BENCH_H_
