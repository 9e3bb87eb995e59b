// The process-wide gpr_sleep_until (common/server/callback_poller_pause.cc):
// gRPC's nexting threads do not pause; every other caller sleeps until
// its deadline, as libgpr's would.
#include <pthread.h>

#include <thread>

#include "grpc/support/time.h"
#include "gtest/gtest.h"

namespace caunoi {
namespace {

gpr_timespec InMillis(int millis) {
  return gpr_time_add(gpr_now(GPR_CLOCK_MONOTONIC), gpr_time_from_millis(millis, GPR_TIMESPAN));
}

TEST(CallbackPollerPauseTest, OtherThreadsSleepUntilTheirDeadline) {
  const gpr_timespec until = InMillis(30);
  gpr_sleep_until(until);
  EXPECT_GE(gpr_time_cmp(gpr_now(GPR_CLOCK_MONOTONIC), until), 0);
  // A deadline on another clock is honoured on that clock.
  const gpr_timespec realtime =
      gpr_time_add(gpr_now(GPR_CLOCK_REALTIME), gpr_time_from_millis(20, GPR_TIMESPAN));
  gpr_sleep_until(realtime);
  EXPECT_GE(gpr_time_cmp(gpr_now(GPR_CLOCK_REALTIME), realtime), 0);
}

TEST(CallbackPollerPauseTest, NextingThreadsGoBackToPollingAtOnce) {
  bool returned_early = false;
  std::thread nexting([&] {
    pthread_setname_np(pthread_self(), "nexting_thread");
    const gpr_timespec until = InMillis(60'000);
    gpr_sleep_until(until);
    returned_early = gpr_time_cmp(gpr_now(GPR_CLOCK_MONOTONIC), until) < 0;
  });
  nexting.join();
  EXPECT_TRUE(returned_early);
}

}  // namespace
}  // namespace caunoi
