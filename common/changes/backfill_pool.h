#ifndef CAUNOI_COMMON_CHANGES_BACKFILL_POOL_H_
#define CAUNOI_COMMON_CHANGES_BACKFILL_POOL_H_

#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace caunoi::changes {

// A few threads that read older changes for watchers catching up, so a
// watcher never blocks a gRPC callback thread on the database and a
// thousand resuming at once queue instead of each holding a thread.
class BackfillPool {
 public:
  explicit BackfillPool(int threads);
  ~BackfillPool();
  void Run(std::function<void()> task);

 private:
  void Work();
  bool HasWork() const ABSL_SHARED_LOCKS_REQUIRED(mutex_);

  absl::Mutex mutex_;
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  std::deque<std::function<void()>> tasks_ ABSL_GUARDED_BY(mutex_);
  std::vector<std::thread> threads_;
};

}  // namespace caunoi::changes

#endif  // CAUNOI_COMMON_CHANGES_BACKFILL_POOL_H_
