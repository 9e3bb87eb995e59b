#include <cmath>
#include <cstdint>

#include "gtest/gtest.h"
#include "tests/bench/cpu_time.h"

namespace caunoi::bench {
namespace {

TEST(BenchCpuTimeTest, BusyTicksAddUpTheFirstLineLeavingOutIdleWaitAndSteal) {
  // user nice system idle iowait irq softirq steal guest guest_nice
  EXPECT_EQ(BusyTicks("cpu  100 20 30 400 50 6 7 8 0 0\n"
                      "cpu0 50 10 15 200 25 3 4 4 0 0\n"),
            100 + 20 + 30 + 6 + 7);
}

TEST(BenchCpuTimeTest, BusyTicksOfSomethingElseAreUnknown) {
  EXPECT_FALSE(BusyTicks("").has_value());
  EXPECT_FALSE(BusyTicks("intr 1 2 3 4 5 6 7 8\n").has_value());
  EXPECT_FALSE(BusyTicks("cpu  100 20 30\n").has_value());
  EXPECT_FALSE(BusyTicks("cpu  100 x 30 400 50 6 7 8\n").has_value());
}

TEST(BenchCpuTimeTest, AShareAddsUpItsStretches) {
  CpuShare share;
  EXPECT_FALSE(share.Share().has_value());
  share.Add({.own = 1, .busy = 10}, {.own = 2, .busy = 14});
  share.Add({.own = 5, .busy = 20}, {.own = 6, .busy = 21});
  ASSERT_TRUE(share.Share().has_value());
  EXPECT_DOUBLE_EQ(*share.Share(), 2.0 / 5.0);
}

TEST(BenchCpuTimeTest, TheBusyTimeIsSharedOutOverTheCalls) {
  CpuShare share;
  EXPECT_FALSE(share.BusyPerCall(10).has_value());
  share.Add({.own = 1, .busy = 10}, {.own = 2, .busy = 14});
  share.Add({.own = 5, .busy = 20}, {.own = 6, .busy = 21});
  EXPECT_EQ(share.BusyPerCall(10), absl::Milliseconds(500));
  EXPECT_FALSE(share.BusyPerCall(0).has_value());
}

TEST(BenchCpuTimeTest, AShareNeverExceedsTheWhole) {
  CpuShare share;
  share.Add({.own = 0, .busy = 0}, {.own = 0.012, .busy = 0.01});
  EXPECT_EQ(share.Share(), 1.0);
}

TEST(BenchCpuTimeTest, WorkDoneHereShowsInBothClocks) {
  const CpuClock start = ReadCpuClock();
  // Work until this process has used a tenth of a second (bounded in count
  // too, should the clock not move).
  volatile uint64_t sink = 0;
  for (int64_t i = 0; i < 100'000 && ReadCpuClock().own < start.own + 0.1; ++i) {
    for (int j = 0; j < 100'000; ++j) sink = sink + static_cast<uint64_t>(std::sqrt(j + 1.0));
  }
  const CpuClock end = ReadCpuClock();
  EXPECT_GE(end.own - start.own, 0.1);
  EXPECT_GT(end.busy, start.busy);
}

}  // namespace
}  // namespace caunoi::bench
