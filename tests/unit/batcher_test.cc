#include "common/batch/batcher.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/synchronization/blocking_counter.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"

namespace caunoi::batch {
namespace {

// What a job leaves behind, outliving the job the batcher destroys.
struct Outcome {
  std::atomic<int> runs{0};
  std::atomic<int> batch_size{0};
  std::atomic<int> output{0};
};

struct Job {
  int input = 0;
  Outcome* outcome = nullptr;
  absl::BlockingCounter* done = nullptr;
};

void Complete(std::span<Job* const> jobs) {
  for (Job* job : jobs) {
    ++job->outcome->runs;
    job->outcome->batch_size = static_cast<int>(jobs.size());
    job->outcome->output = job->input * 2;
    if (job->done != nullptr) job->done->DecrementCount();
  }
}

// A Run that completes its jobs and lets the next batch begin only when done.
void CompleteBatch(std::span<Job* const> jobs, absl::FunctionRef<void()>) { Complete(jobs); }

void Submit(Batcher<Job>& batcher, std::unique_ptr<Job> job) {
  ASSERT_TRUE(batcher.Submit(job));
  EXPECT_EQ(job, nullptr) << "the batcher owns a queued job";
}

// Submits a job, waits until its batch runs (`running`), then queues a job
// for each of `waiting` (job i with input i).
void SubmitBehindARunningBatch(Batcher<Job>& batcher, Outcome& first, std::vector<Outcome>& waiting,
                               absl::Notification& running, absl::BlockingCounter& done) {
  Submit(batcher, std::make_unique<Job>(Job{.outcome = &first, .done = &done}));
  running.WaitForNotification();
  for (size_t i = 0; i < waiting.size(); ++i) {
    Submit(batcher, std::make_unique<Job>(
                        Job{.input = static_cast<int>(i), .outcome = &waiting[i], .done = &done}));
  }
}

TEST(BatcherTest, ALoneJobRunsAsABatchOfOneWithoutItsCallerWaiting) {
  absl::BlockingCounter done(1);
  Batcher<Job> batcher(8, 100, 1, CompleteBatch);
  Outcome outcome;
  Submit(batcher, std::make_unique<Job>(Job{.input = 21, .outcome = &outcome, .done = &done}));
  done.Wait();
  EXPECT_EQ(outcome.output.load(), 42);
  EXPECT_EQ(outcome.runs.load(), 1);
  EXPECT_EQ(outcome.batch_size.load(), 1);
}

// While a batch runs, the jobs that arrive queue up and go together into
// the next one; every job is run exactly once.
TEST(BatcherTest, JobsQueuedBehindARunningBatchShareTheNextOne) {
  constexpr int kWaiting = 10;
  absl::Notification first_running, release_first;
  std::atomic<int> batches{0};
  absl::BlockingCounter done(kWaiting + 1);
  Batcher<Job> batcher(64, 100, 1, [&](std::span<Job* const> jobs, absl::FunctionRef<void()>) {
    if (batches++ == 0) {
      first_running.Notify();
      release_first.WaitForNotification();
    }
    Complete(jobs);
  });
  Outcome first;
  std::vector<Outcome> outcomes(kWaiting);
  SubmitBehindARunningBatch(batcher, first, outcomes, first_running, done);
  release_first.Notify();
  done.Wait();

  EXPECT_EQ(first.runs.load(), 1);
  EXPECT_EQ(first.batch_size.load(), 1);
  for (int i = 0; i < kWaiting; ++i) {
    EXPECT_EQ(outcomes[i].runs.load(), 1) << "each job runs exactly once";
    EXPECT_EQ(outcomes[i].output.load(), 2 * i);
    EXPECT_EQ(outcomes[i].batch_size.load(), kWaiting);
  }
  EXPECT_EQ(batches.load(), 2);
}

TEST(BatcherTest, NoBatchExceedsItsBoundAndNoMoreRunAtOnceThanWorkers) {
  constexpr int kMaxBatch = 4, kWorkers = 2, kThreads = 12, kJobsEach = 200;
  std::atomic<int> running{0}, most_running{0}, largest{0};
  absl::BlockingCounter done(kThreads * kJobsEach);
  Batcher<Job> batcher(
      kMaxBatch, kThreads * kJobsEach, kWorkers,
      [&](std::span<Job* const> jobs, absl::FunctionRef<void()> let_next_begin) {
        let_next_begin();  // so that batches overlap as much as the workers allow
        const int now = ++running;
        int seen = most_running.load();
        while (now > seen && !most_running.compare_exchange_weak(seen, now)) {
        }
        int size = largest.load();
        const int this_size = static_cast<int>(jobs.size());
        while (this_size > size && !largest.compare_exchange_weak(size, this_size)) {
        }
        std::this_thread::yield();
        --running;
        Complete(jobs);
      });
  std::vector<Outcome> outcomes(kThreads * kJobsEach);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kJobsEach; ++i) {
        const int index = t * kJobsEach + i;
        Submit(batcher, std::make_unique<Job>(
                            Job{.input = index, .outcome = &outcomes[index], .done = &done}));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  done.Wait();
  for (size_t i = 0; i < outcomes.size(); ++i) {
    ASSERT_EQ(outcomes[i].runs.load(), 1) << i;
    ASSERT_EQ(outcomes[i].output.load(), 2 * static_cast<int>(i)) << i;
  }
  EXPECT_LE(largest.load(), kMaxBatch);
  EXPECT_LE(most_running.load(), kWorkers);
}

// The jobs queued while a batch runs wait for it to let the next batch
// begin, and then run beside it, as one batch, while it is still running.
TEST(BatcherTest, TheNextBatchBeginsWhenTheRunningOneLetsIt) {
  constexpr int kWaiting = 5;
  absl::Notification first_running, all_queued, second_running;
  std::atomic<bool> let{false};
  std::atomic<bool> began_before_let{false};
  std::atomic<int> batches{0};
  absl::BlockingCounter done(kWaiting + 1);
  Batcher<Job> batcher(
      64, 100, 2, [&](std::span<Job* const> jobs, absl::FunctionRef<void()> let_next_begin) {
        if (batches++ == 0) {
          first_running.Notify();
          all_queued.WaitForNotification();
          // A second worker is free; a batcher that did not wait would start the
          // queued jobs within this bounded wait.
          if (second_running.WaitForNotificationWithTimeout(absl::Milliseconds(500))) {
            began_before_let = true;
          }
          let = true;
          let_next_begin();
          EXPECT_TRUE(second_running.WaitForNotificationWithTimeout(absl::Seconds(20)))
              << "the next batch runs while this one has not returned";
        } else {
          if (!let) began_before_let = true;
          second_running.Notify();
        }
        Complete(jobs);
      });
  Outcome first;
  std::vector<Outcome> outcomes(kWaiting);
  SubmitBehindARunningBatch(batcher, first, outcomes, first_running, done);
  all_queued.Notify();
  done.Wait();

  EXPECT_FALSE(began_before_let.load());
  EXPECT_EQ(batches.load(), 2);
  for (int i = 0; i < kWaiting; ++i) {
    EXPECT_EQ(outcomes[i].runs.load(), 1);
    EXPECT_EQ(outcomes[i].batch_size.load(), kWaiting) << "one batch holds all that queued";
  }
}

TEST(BatcherTest, AFullQueueRefusesAJobAndLeavesItWithItsCaller) {
  constexpr int kMaxQueued = 5;
  absl::Notification first_running, release_first;
  absl::BlockingCounter done(kMaxQueued + 1);
  Batcher<Job> batcher(64, kMaxQueued, 1,
                       [&](std::span<Job* const> jobs, absl::FunctionRef<void()>) {
                         if (!first_running.HasBeenNotified()) {
                           first_running.Notify();
                           release_first.WaitForNotification();
                         }
                         Complete(jobs);
                       });
  Outcome first;
  Submit(batcher, std::make_unique<Job>(Job{.outcome = &first, .done = &done}));
  first_running.WaitForNotification();  // taken: the queue is empty again
  std::vector<Outcome> queued(kMaxQueued);
  for (Outcome& outcome : queued) {
    Submit(batcher, std::make_unique<Job>(Job{.outcome = &outcome, .done = &done}));
  }
  Outcome refused;
  auto job = std::make_unique<Job>(Job{.input = 7, .outcome = &refused, .done = &done});
  EXPECT_FALSE(batcher.Submit(job));
  ASSERT_NE(job, nullptr);
  EXPECT_EQ(job->input, 7);
  release_first.Notify();
  done.Wait();
  for (const Outcome& outcome : queued) EXPECT_EQ(outcome.runs.load(), 1);
  EXPECT_EQ(refused.runs.load(), 0);
}

// A server stopping must not drop filings it accepted.
TEST(BatcherTest, StoppingRunsEveryQueuedJobFirst) {
  constexpr int kJobs = 100;
  std::vector<Outcome> outcomes(kJobs);
  {
    absl::Notification release;
    Batcher<Job> batcher(8, kJobs, 1, [&](std::span<Job* const> jobs, absl::FunctionRef<void()>) {
      release.WaitForNotification();
      Complete(jobs);
    });
    for (int i = 0; i < kJobs; ++i) {
      Submit(batcher, std::make_unique<Job>(Job{.input = i, .outcome = &outcomes[i]}));
    }
    release.Notify();
  }
  for (int i = 0; i < kJobs; ++i) EXPECT_EQ(outcomes[i].runs.load(), 1) << i;
}

}  // namespace
}  // namespace caunoi::batch
