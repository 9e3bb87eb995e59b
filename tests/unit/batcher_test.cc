#include "common/batch/batcher.h"

#include <atomic>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"

namespace caunoi::batch {
namespace {

struct Job {
  int input = 0;
  int output = -1;
  int batch_size = 0;
};

TEST(BatcherTest, ALoneCallerRunsItsJobAtOnceAsABatchOfOne) {
  int batches = 0;
  Batcher<Job> batcher(8, 1, [&](std::span<Job* const> jobs) {
    ++batches;
    for (Job* job : jobs) job->output = job->input * 2;
  });
  Job job{.input = 21};
  batcher.Submit(job);
  EXPECT_EQ(job.output, 42);
  EXPECT_EQ(batches, 1);
}

// While one batch runs, the callers that arrive queue up and go together
// into the next one; every job is run exactly once, whoever leads.
TEST(BatcherTest, JobsQueuedBehindARunningBatchShareTheNextOne) {
  constexpr int kWaiting = 10;
  absl::Notification first_running, release_first;
  std::atomic<int> runs{0};
  std::vector<int> sizes;
  std::mutex sizes_mutex;
  Batcher<Job> batcher(64, 1, [&](std::span<Job* const> jobs) {
    if (runs++ == 0) {
      first_running.Notify();
      release_first.WaitForNotification();
    }
    {
      std::lock_guard<std::mutex> lock(sizes_mutex);
      sizes.push_back(static_cast<int>(jobs.size()));
    }
    for (Job* job : jobs) {
      ++job->output;  // from -1: 0 when run once
      job->batch_size = static_cast<int>(jobs.size());
    }
  });
  Job first;
  std::thread leader([&] { batcher.Submit(first); });
  first_running.WaitForNotification();
  std::vector<Job> jobs(kWaiting);
  std::vector<std::thread> callers;
  for (Job& job : jobs) callers.emplace_back([&] { batcher.Submit(job); });
  // Let every caller queue before the first batch finishes.
  absl::SleepFor(absl::Milliseconds(200));
  release_first.Notify();
  leader.join();
  for (std::thread& caller : callers) caller.join();

  EXPECT_EQ(first.output, 0);
  EXPECT_EQ(first.batch_size, 1);
  for (const Job& job : jobs) {
    EXPECT_EQ(job.output, 0) << "each job runs exactly once";
    EXPECT_EQ(job.batch_size, kWaiting);
  }
  EXPECT_EQ(runs.load(), 2);
}

TEST(BatcherTest, NoBatchExceedsItsBoundAndNoRunsAtOnceBeyondTheSlots) {
  constexpr int kMaxBatch = 4, kSlots = 2, kThreads = 12, kJobsEach = 200;
  std::atomic<int> running{0}, most_running{0}, largest{0};
  std::atomic<int64_t> total{0};
  Batcher<Job> batcher(kMaxBatch, kSlots, [&](std::span<Job* const> jobs) {
    const int now = ++running;
    int seen = most_running.load();
    while (now > seen && !most_running.compare_exchange_weak(seen, now)) {
    }
    int size = largest.load();
    const int this_size = static_cast<int>(jobs.size());
    while (this_size > size && !largest.compare_exchange_weak(size, this_size)) {
    }
    for (Job* job : jobs) job->output = job->input + 1;
    std::this_thread::yield();
    --running;
  });
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kJobsEach; ++i) {
        Job job{.input = t * 1000 + i};
        batcher.Submit(job);
        EXPECT_EQ(job.output, job.input + 1);
        total += job.output - job.input;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(total.load(), kThreads * kJobsEach);
  EXPECT_LE(largest.load(), kMaxBatch);
  EXPECT_LE(most_running.load(), kSlots);
}

}  // namespace
}  // namespace caunoi::batch
