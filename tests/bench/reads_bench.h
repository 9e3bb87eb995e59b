#ifndef CAUNOI_TESTS_BENCH_READS_BENCH_H_
#define CAUNOI_TESTS_BENCH_READS_BENCH_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "tests/bench/load_loop.h"

namespace caunoi::bench {

// One read measured with one caller and with many.
struct ReadFigures {
  LoadResult alone;
  LoadResult busy;
};

struct ReadsResult {
  std::vector<ReadFigures> reads;
  // Read methods of our services that no measurement calls: a slow read
  // cannot hide by being left out.
  std::vector<std::string> unmeasured;
  bool complete = false;  // set up, and every call answered OK
};

// Every unary read RPC of every service (Get*, List*, Summarize*, Compare*,
// Resolve*, Parse*), at national scale on a database and servers of its
// own: the demo's records, then 100,000 organizations, 1,000,000 tasks and
// 1,000,000 reports beside them (the 3,321 communes are reference data).
// Each is called through the gateway with a central token, first by one
// caller, then by `concurrency`, every rollout computed on the call.
// `only`: the reads whose label holds it, or one of its '|'-separated parts
// (all when empty). `hold`: how long
// to keep the database and servers up afterwards, to look into plans.
ReadsResult MeasureReads(int concurrency, absl::Duration duration, const std::string& only = "",
                         absl::Duration hold = absl::ZeroDuration());

// Each read is printed against its targets (p99 under 50 ms with one
// caller, 150 ms with many) as it is measured; this prints the reads that
// missed and any left out. False when incomplete or a read went unmeasured.
bool PrintReads(const ReadsResult& result);

}  // namespace caunoi::bench

#endif  // CAUNOI_TESTS_BENCH_READS_BENCH_H_
