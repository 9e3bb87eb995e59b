// How many callers a busy relay loop asks to leave at once, and when it
// asks none: the decision alone, with the times given rather than waited
// for.
#include "services/gateway/relay/caller_moves.h"

#include "gtest/gtest.h"

namespace caunoi::gateway::relay {
namespace {

constexpr absl::Duration kWindow = absl::Milliseconds(250);
constexpr absl::Duration kLongAgo = absl::InfiniteDuration();

TEST(CallerMovesTest, ABusyLoopBesideAnIdleOneMovesHalfItsCallers) {
  EXPECT_EQ(
      CallersToMove({.movable_callers = 4, .share = 0.9, .quiet_share = 0}, kLongAgo, kWindow), 2u);
  EXPECT_EQ(
      CallersToMove({.movable_callers = 1000, .share = 0.95, .quiet_share = 0}, kLongAgo, kWindow),
      500u);
}

TEST(CallerMovesTest, FewerMoveTheBusierTheOtherLoopAlreadyIs) {
  // Half of the difference in shares, as a part of this loop's: (0.8 -
  // 0.4) / (2 x 0.8) of 100 callers.
  EXPECT_EQ(
      CallersToMove({.movable_callers = 100, .share = 0.8, .quiet_share = 0.4}, kLongAgo, kWindow),
      25u);
}

TEST(CallerMovesTest, AtLeastOneMovesAndNeverTheLast) {
  // Evening the shares would move none of 3, or all of 2 (a quiet share
  // read as below zero); one moves either way.
  EXPECT_EQ(
      CallersToMove({.movable_callers = 3, .share = 0.8, .quiet_share = 0.7}, kLongAgo, kWindow),
      1u);
  EXPECT_EQ(
      CallersToMove({.movable_callers = 2, .share = 0.8, .quiet_share = -1}, kLongAgo, kWindow),
      1u);
  EXPECT_EQ(CallersToMove({.movable_callers = 1, .share = 1, .quiet_share = 0}, kLongAgo, kWindow),
            0u);
  EXPECT_EQ(CallersToMove({.movable_callers = 0, .share = 1, .quiet_share = 0}, kLongAgo, kWindow),
            0u);
}

TEST(CallerMovesTest, NoneMoveWithinOneAndAHalfWindowsOfTheLastBatch) {
  const LoopLoad busy{.movable_callers = 8, .share = 0.9, .quiet_share = 0.1};
  EXPECT_EQ(CallersToMove(busy, absl::ZeroDuration(), kWindow), 0u);
  EXPECT_EQ(CallersToMove(busy, kWindow, kWindow), 0u);
  EXPECT_EQ(CallersToMove(busy, 1.5 * kWindow - absl::Nanoseconds(1), kWindow), 0u);
  EXPECT_EQ(CallersToMove(busy, 1.5 * kWindow, kWindow), 4u);
  EXPECT_EQ(CallersToMove(busy, 2 * kWindow, kWindow), 4u);
}

}  // namespace
}  // namespace caunoi::gateway::relay
