#ifndef CAUNOI_TESTS_BENCH_LOAD_LOOP_H_
#define CAUNOI_TESTS_BENCH_LOAD_LOOP_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"

namespace caunoi::bench {

struct LoadResult {
  std::string name;
  int64_t calls = 0;
  int64_t errors = 0;
  double per_second = 0;
  absl::Duration p50;
  absl::Duration p99;
  // The bench's own share of the CPU time the machine was busy for
  // meanwhile (cpu_time.h), from 0 to 1.
  std::optional<double> bench_cpu_share;
  // The whole machine's busy time per call (cpu_time.h): where a figure
  // falls short of its peer, whether each call costs more or the machine
  // sat idle.
  std::optional<absl::Duration> busy_cpu_per_call;
};

// ", bench 41 % of busy CPU, 442 µs CPU a call", each part for a result
// that knows it.
std::string BenchShareNote(const LoadResult& result);

// `result` without its share, for a figure whose server runs inside the
// bench (the baselines'): the bench's own time is then the server's too.
LoadResult ServedByTheBench(LoadResult result);

// Calls `call(thread_index)` from `concurrency` threads, each in a closed
// loop, for `duration` (bounded in time, whatever the speed), after as
// many calls unmeasured for a quarter of that (a second at most). `call`
// returns false on an error.
LoadResult RunLoad(const std::string& name, int concurrency, absl::Duration duration,
                   const std::function<bool(int)>& call);

// One way to make a call, by name, for RunInTurns.
struct NamedCall {
  std::string name;
  std::function<bool(int)> call;
};

// Calls measured in turns, `slices` slices of duration / slices each, so
// whatever else the machine does in the meantime weighs on all alike; each
// result sums its slices. For comparing ways to do one thing.
std::vector<LoadResult> RunInTurns(const std::vector<NamedCall>& calls, int concurrency,
                                   absl::Duration duration, int slices,
                                   absl::Duration pace = absl::ZeroDuration());

// Two calls measured in turns, `slices` slices of duration / slices each,
// so whatever else the machine does in the meantime weighs on both alike;
// each result sums its slices. For ratios of two ways to do one thing.
// With a `pace`, each thread starts a call every `pace` (an open loop, as
// a caller keeping within its rate), untimed while it waits.
std::pair<LoadResult, LoadResult> RunAlternating(
    const std::string& name_a, const std::function<bool(int)>& call_a, const std::string& name_b,
    const std::function<bool(int)>& call_b, int concurrency, absl::Duration duration, int slices,
    absl::Duration pace = absl::ZeroDuration());

}  // namespace caunoi::bench

#endif  // CAUNOI_TESTS_BENCH_LOAD_LOOP_H_
