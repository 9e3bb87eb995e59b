// Composite answers take turns: a few at once, the rest in arrival order,
// and a waiter whose deadline passes leaves the line without a turn.
#include "services/gateway/turns.h"

#include <optional>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace caunoi::gateway {
namespace {

using ::caunoi::testing::IsOk;
using ::caunoi::testing::StatusIs;
using ::testing::ElementsAre;

TEST(TurnsTest, AFewAtOnceAndTheRestInArrivalOrder) {
  Turns turns(2);
  std::optional<absl::StatusOr<Turns::Turn>> first(turns.Take(absl::InfiniteFuture()));
  std::optional<absl::StatusOr<Turns::Turn>> second(turns.Take(absl::InfiniteFuture()));
  ASSERT_THAT(first->status(), IsOk());
  ASSERT_THAT(second->status(), IsOk());

  // Three more arrive one after another and wait; each, once in, records
  // itself and gives its turn back.
  absl::Mutex mutex;
  std::vector<int> served;
  std::vector<std::thread> waiters;
  for (int i = 0; i < 3; ++i) {
    absl::Notification queued;
    waiters.emplace_back([&, i] {
      queued.Notify();
      absl::StatusOr<Turns::Turn> turn = turns.Take(absl::InfiniteFuture());
      ASSERT_THAT(turn.status(), IsOk());
      absl::MutexLock lock(&mutex);
      served.push_back(i);
    });
    queued.WaitForNotification();
    absl::SleepFor(absl::Milliseconds(100));  // in line before the next one comes
  }
  {
    absl::MutexLock lock(&mutex);
    EXPECT_TRUE(served.empty());  // both turns are held
  }
  first.reset();  // one turn ends: the waiters go one at a time, oldest first
  for (std::thread& waiter : waiters) waiter.join();
  EXPECT_THAT(served, ElementsAre(0, 1, 2));
}

TEST(TurnsTest, AWaiterWhoseDeadlinePassesLeavesTheLine) {
  Turns turns(1);
  absl::StatusOr<Turns::Turn> held = turns.Take(absl::InfiniteFuture());
  ASSERT_THAT(held.status(), IsOk());
  EXPECT_THAT(turns.Take(absl::Now() + absl::Milliseconds(50)).status(),
              StatusIs(absl::StatusCode::kDeadlineExceeded));
  // It took nothing with it: when the turn ends the next caller goes at once.
  held = absl::UnknownError("released");
  EXPECT_THAT(turns.Take(absl::Now()).status(), IsOk());
}

}  // namespace
}  // namespace caunoi::gateway
