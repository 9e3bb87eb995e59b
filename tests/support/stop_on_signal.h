#ifndef CAUNOI_TESTS_SUPPORT_STOP_ON_SIGNAL_H_
#define CAUNOI_TESTS_SUPPORT_STOP_ON_SIGNAL_H_

#include <functional>

namespace caunoi::testing {

// A program run by hand (`make bench`) and stopped by SIGINT, SIGTERM or
// SIGHUP must still stop what it started. Its servers die with it
// (Spawn's PR_SET_PDEATHSIG), but a PostgreSQL, which pg_ctl detaches into
// a session of its own, and the scratch directories under /tmp would stay.
// After this call such a signal runs every cleanup still registered,
// newest first, removes the scratch directories, and ends the program by
// the same signal. Test binaries leave signals alone: ctest ends them.
void StopOnSignal();

// Registers what to run on such a signal; returns a handle for
// CancelAtSignal. Harmless in a program that never calls StopOnSignal.
int AtSignal(std::function<void()> cleanup);
void CancelAtSignal(int handle);

}  // namespace caunoi::testing

#endif  // CAUNOI_TESTS_SUPPORT_STOP_ON_SIGNAL_H_
