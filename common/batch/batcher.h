#ifndef CAUNOI_COMMON_BATCH_BATCHER_H_
#define CAUNOI_COMMON_BATCH_BATCHER_H_

#include <deque>
#include <functional>
#include <span>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace caunoi::batch {

// Lets concurrent callers share one unit of work, as group commit does: a
// caller that finds a free slot runs the jobs queued so far (its own among
// them) in one batch; the others wait, and the jobs that queue up while a
// batch runs go together into the next one. No thread of its own: the
// batches run on the callers' threads, and a lone caller runs its job at
// once, as a batch of one.
//
// `run` must complete every job it is given (record a result in it) and
// must not throw. A job belongs to its caller again when Submit returns.
template <typename Job>
class Batcher {
 public:
  using Run = std::function<void(std::span<Job* const> jobs)>;

  // At most `max_concurrent` batches run at a time, each of at most
  // `max_batch` jobs.
  Batcher(int max_batch, int max_concurrent, Run run)
      : max_batch_(max_batch), max_concurrent_(max_concurrent), run_(std::move(run)) {}

  Batcher(const Batcher&) = delete;
  Batcher& operator=(const Batcher&) = delete;

  // Returns once `job` has been run, by this thread or by another.
  void Submit(Job& job) {
    Waiter self{.job = &job};
    absl::MutexLock lock(&mutex_);
    queue_.push_back(&self);
    if (running_ < max_concurrent_) {
      ++running_;
      self.leads = true;
    } else {
      mutex_.Await(absl::Condition(&Waiter::Woken, &self));
    }
    if (!self.leads) return;  // another thread ran it
    // Leading: run batches from the head of the queue until ours is done.
    while (!self.done) {
      std::vector<Waiter*> taken;
      std::vector<Job*> jobs;
      while (!queue_.empty() && static_cast<int>(taken.size()) < max_batch_) {
        taken.push_back(queue_.front());
        jobs.push_back(queue_.front()->job);
        queue_.pop_front();
      }
      mutex_.Unlock();
      run_(std::span<Job* const>(jobs));
      mutex_.Lock();
      for (Waiter* waiter : taken) waiter->done = true;
    }
    // Our slot passes to the oldest waiter, so a job never waits for a
    // caller that arrives after it.
    if (queue_.empty()) {
      --running_;
    } else {
      queue_.front()->leads = true;
    }
  }

 private:
  struct Waiter {
    Job* job;
    bool done = false;
    bool leads = false;
    static bool Woken(Waiter* waiter) { return waiter->done || waiter->leads; }
  };

  const int max_batch_;
  const int max_concurrent_;
  const Run run_;
  absl::Mutex mutex_;
  std::deque<Waiter*> queue_ ABSL_GUARDED_BY(mutex_);
  int running_ ABSL_GUARDED_BY(mutex_) = 0;
};

}  // namespace caunoi::batch

#endif  // CAUNOI_COMMON_BATCH_BATCHER_H_
