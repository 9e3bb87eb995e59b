#ifndef CAUNOI_TESTS_BENCH_FLOOD_BENCH_H_
#define CAUNOI_TESTS_BENCH_FLOOD_BENCH_H_

#include <string>

#include "absl/time/time.h"
#include "tests/bench/load_loop.h"

namespace caunoi::bench {

struct FloodResult {
  // The same valid calls of one principal, without and during the flood.
  LoadResult alone;
  LoadResult flooded;
  // The flood's calls: sent, and refused (too big, over the rate) or
  // given up by the flooder (its expensive calls' short deadline).
  int64_t flood_calls = 0;
  int64_t flood_refused = 0;
  // From the flood's end until no statement of ours runs in PostgreSQL.
  absl::Duration idle_after;
  bool complete = false;
};

// After the registry holds its 100,000 organizations: a gateway with the
// default rate limits in front of the servers; one principal floods it at
// its rate limit with oversized requests and expensive aggregates it
// abandons after 100 ms, in turns with quiet slices, while another
// principal keeps making valid calls within its own rate. Each side gets
// four times `duration`.
FloodResult MeasureFlood(const std::string& dsn, const std::string& organizations_address,
                         absl::Duration duration);

}  // namespace caunoi::bench

#endif  // CAUNOI_TESTS_BENCH_FLOOD_BENCH_H_
