#ifndef CAUNOI_TESTS_BENCH_DASHBOARD_BENCH_H_
#define CAUNOI_TESTS_BENCH_DASHBOARD_BENCH_H_

#include "tests/bench/load_loop.h"

namespace caunoi::bench {

struct DashboardResult {
  // From navigation to the 34-province table drawn, in a new browser
  // context each time (no cache), the rollout computed on every call.
  LoadResult first_view;
  // The same rollout alone over the page's API: the view's floor.
  LoadResult data_alone;
  bool complete = false;
};

// On a database and servers of its own with the demo data: `views` cold
// first views of the dashboard in Debian's chromium (tests/web).
DashboardResult MeasureDashboard(int views);

// The figures against the target (first view p99 under 1 s); false when
// the measurement is incomplete.
bool PrintDashboard(const DashboardResult& result);

}  // namespace caunoi::bench

#endif  // CAUNOI_TESTS_BENCH_DASHBOARD_BENCH_H_
