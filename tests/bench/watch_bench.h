#ifndef CAUNOI_TESTS_BENCH_WATCH_BENCH_H_
#define CAUNOI_TESTS_BENCH_WATCH_BENCH_H_

#include <cstdint>
#include <string>

#include "absl/time/time.h"

namespace caunoi::bench {

struct WatchResult {
  int subscribers = 0;
  // Streams that were open, and that saw every change.
  int open = 0;
  int saw_all = 0;
  int changes = 0;
  // The gateway's resident memory before the watchers came and with all
  // of them listening.
  int64_t idle_rss_bytes = 0;
  int64_t watched_rss_bytes = 0;
  // From a write's answer to each watcher's receipt of its change.
  absl::Duration p50;
  absl::Duration p99;
  absl::Duration max;
  bool complete = false;
};

// `subscribers` callers of the gateway's merged WatchChanges over 100
// connections, each held by no thread of the bench; then `changes` writes
// to the organizations service, a second apart, each timed to every
// watcher.
WatchResult MeasureWatchers(const std::string& dsn, const std::string& organizations_address,
                            int subscribers, int changes);

// Prints the figures against the targets (under 1 GiB, p99 under 1 s);
// false when the measurement did not complete.
bool PrintWatchers(const WatchResult& result);

}  // namespace caunoi::bench

#endif  // CAUNOI_TESTS_BENCH_WATCH_BENCH_H_
