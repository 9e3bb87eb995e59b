#ifndef CAUNOI_COMMON_BATCH_BATCHER_H_
#define CAUNOI_COMMON_BATCH_BATCHER_H_

#include <deque>
#include <functional>
#include <memory>
#include <span>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/synchronization/mutex.h"

namespace caunoi::batch {

// Lets concurrent callers share one unit of work, as group commit does:
// jobs queue, and each of `workers` threads of its own takes what has
// queued (at most `max_batch` jobs) and runs it as one batch, so the jobs
// that arrive while batches run go together into the next one. A caller
// does not wait for its job: `run` completes each job on the worker's
// thread (records its result and tells its caller, e.g. finishes its RPC),
// so no thread sleeps per job, as a blocking handler would.
//
// One batch is taken at a time: the next is taken once the running one
// calls `let_next_begin` (e.g. when only its commit is left) or returns.
// Batches then stay as large as the callers make them, while up to
// `workers` of them overlap their ends with the next one's start.
//
// At most `max_queued` jobs wait at a time: a flood of jobs is refused
// instead of growing the queue without bound.
//
// `run` must complete every job it is given and must not throw; the
// batcher destroys the jobs once it returns.
template <typename Job>
class Batcher {
 public:
  using Run =
      std::function<void(std::span<Job* const> jobs, absl::FunctionRef<void()> let_next_begin)>;

  Batcher(int max_batch, int max_queued, int workers, Run run)
      : max_batch_(max_batch), max_queued_(max_queued), run_(std::move(run)) {
    for (int i = 0; i < workers; ++i) threads_.emplace_back([this] { Work(); });
  }

  Batcher(const Batcher&) = delete;
  Batcher& operator=(const Batcher&) = delete;

  // Runs what is still queued, then stops the workers.
  ~Batcher() {
    {
      absl::MutexLock lock(&mutex_);
      stopping_ = true;
    }
    for (std::thread& thread : threads_) thread.join();
  }

  // Queues `job` for the next batch and returns at once; false, leaving
  // `job` with its caller, when `max_queued` jobs wait already.
  bool Submit(std::unique_ptr<Job>& job) {
    absl::MutexLock lock(&mutex_);
    if (static_cast<int>(queue_.size()) >= max_queued_) return false;
    queue_.push_back(std::move(job));
    return true;
  }

 private:
  bool MayTakeOrIsStopping() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
    return (!queue_.empty() && !leading_) || stopping_;
  }

  void Work() {
    while (true) {
      std::vector<std::unique_ptr<Job>> taken;
      {
        absl::MutexLock lock(&mutex_);
        mutex_.Await(absl::Condition(this, &Batcher::MayTakeOrIsStopping));
        if (queue_.empty()) return;  // stopping, with nothing left to run
        leading_ = true;
        while (!queue_.empty() && static_cast<int>(taken.size()) < max_batch_) {
          taken.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
      }
      std::vector<Job*> jobs;
      jobs.reserve(taken.size());
      for (const std::unique_ptr<Job>& job : taken) jobs.push_back(job.get());
      bool let = false;
      auto let_next_begin = [&] {
        if (std::exchange(let, true)) return;
        absl::MutexLock lock(&mutex_);
        leading_ = false;
      };
      run_(std::span<Job* const>(jobs), let_next_begin);
      let_next_begin();
    }
  }

  const int max_batch_;
  const int max_queued_;
  const Run run_;
  absl::Mutex mutex_;
  std::deque<std::unique_ptr<Job>> queue_ ABSL_GUARDED_BY(mutex_);
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  bool leading_ ABSL_GUARDED_BY(mutex_) = false;  // a batch has not yet let the next begin
  std::vector<std::thread> threads_;              // last: they start once the rest is built
};

}  // namespace caunoi::batch

#endif  // CAUNOI_COMMON_BATCH_BATCHER_H_
