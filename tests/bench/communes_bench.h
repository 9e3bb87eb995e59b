#ifndef CAUNOI_TESTS_BENCH_COMMUNES_BENCH_H_
#define CAUNOI_TESTS_BENCH_COMMUNES_BENCH_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "tests/bench/load_loop.h"

namespace caunoi::bench {

// With the 3,321 communes in force: a central directive concretized by
// every province and by a third of the communes, 332,100 tasks placed in
// communes and 5,000,000 monthly reports of 50,000 commune units, then
// the compliance summary (national and one province per commune), the
// implementation status per commune and the rollout, national and drilled
// down (again while Hanoi's units submit reports), computed on every call.
// Empty on a set-up failure (printed). With a `hold`, the data and the
// servers stay up that long after.
std::vector<LoadResult> MeasureCommunes(const std::string& dsn,
                                        const std::string& organizations_address, int concurrency,
                                        absl::Duration duration,
                                        absl::Duration hold = absl::ZeroDuration());

}  // namespace caunoi::bench

#endif  // CAUNOI_TESTS_BENCH_COMMUNES_BENCH_H_
