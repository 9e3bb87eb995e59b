// gRPC 1.51 (Debian 12's) runs the callback API's completions on two
// "nexting_thread"s that, after a second with none, sleep 100 ms before
// polling again (src/cpp/common/completion_queue_cc.cc). While they sleep,
// no thread of the process polls its connections: a lone client of a sync
// method then waits up to 100 ms once every 1.1 s, which set the p99 of
// every read and write in `make bench` (tests/bench/RESULTS.md, with the
// trace). Every server has such threads: gRPC's health service uses the
// callback API.
//
// This definition takes the place of libgpr's in every binary that links
// the server runner (the executable comes first in symbol lookup): the
// nexting threads go straight back to polling, and every other caller
// sleeps exactly as libgpr would make it.
#include <pthread.h>
#include <time.h>

#include <cstring>

#include "grpc/support/time.h"

extern "C" void gpr_sleep_until(gpr_timespec until) {
  char thread_name[16] = {};
  if (pthread_getname_np(pthread_self(), thread_name, sizeof(thread_name)) == 0 &&
      std::strcmp(thread_name, "nexting_thread") == 0) {
    return;
  }
  while (true) {
    const gpr_timespec now = gpr_now(until.clock_type);
    if (gpr_time_cmp(until, now) <= 0) return;
    const gpr_timespec left = gpr_time_sub(until, now);
    const timespec delay{.tv_sec = static_cast<time_t>(left.tv_sec), .tv_nsec = left.tv_nsec};
    if (nanosleep(&delay, nullptr) == 0) return;
  }
}
