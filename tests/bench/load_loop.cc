#include "tests/bench/load_loop.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "absl/time/clock.h"

namespace caunoi::bench {

LoadResult RunLoad(const std::string& name, int concurrency, absl::Duration duration,
                   const std::function<bool(int)>& call) {
  std::vector<std::vector<absl::Duration>> latencies(concurrency);
  std::atomic<int64_t> errors = 0;
  const absl::Time start = absl::Now();
  const absl::Time stop = start + duration;
  std::vector<std::thread> threads;
  for (int t = 0; t < concurrency; ++t) {
    threads.emplace_back([&, t] {
      latencies[t].reserve(1 << 16);
      while (true) {
        const absl::Time begin = absl::Now();
        if (begin >= stop) break;
        if (!call(t)) errors.fetch_add(1);
        latencies[t].push_back(absl::Now() - begin);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  const absl::Duration elapsed = absl::Now() - start;

  std::vector<absl::Duration> all;
  for (const auto& per_thread : latencies)
    all.insert(all.end(), per_thread.begin(), per_thread.end());
  std::sort(all.begin(), all.end());
  LoadResult result;
  result.name = name;
  result.calls = static_cast<int64_t>(all.size());
  result.errors = errors.load();
  result.per_second = static_cast<double>(all.size()) / absl::ToDoubleSeconds(elapsed);
  if (!all.empty()) {
    result.p50 = all[all.size() / 2];
    result.p99 = all[std::min(all.size() - 1, all.size() * 99 / 100)];
  }
  return result;
}

}  // namespace caunoi::bench
