#ifndef CAUNOI_TESTS_BENCH_INDICATORS_BENCH_H_
#define CAUNOI_TESTS_BENCH_INDICATORS_BENCH_H_

#include <vector>

#include "absl/time/time.h"
#include "tests/bench/load_loop.h"

namespace caunoi::bench {

struct IndicatorsResult {
  // SummarizeIndicators over 1,000,000 reports, one caller each.
  std::vector<LoadResult> summaries;
  // ImportReports of 10,000 rows, each a call of its own.
  LoadResult import;
  bool complete = false;
};

// On a database and servers of its own: 10,000 units reporting monthly on
// one document for 100 months, seven indicators each (1,000,000 reports,
// half accepted), then the national totals, the trend and the per-locality
// totals, and spreadsheets of 10,000 rows imported. With a `hold`, the
// data and the reports server stay up that long after the summaries.
IndicatorsResult MeasureIndicators(absl::Duration duration,
                                   absl::Duration hold = absl::ZeroDuration());

// The figures against the targets (p99 < 50 ms; an import under 5 s).
bool PrintIndicators(const IndicatorsResult& result);

}  // namespace caunoi::bench

#endif  // CAUNOI_TESTS_BENCH_INDICATORS_BENCH_H_
