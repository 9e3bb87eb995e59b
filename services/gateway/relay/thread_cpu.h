#ifndef CAUNOI_SERVICES_GATEWAY_RELAY_THREAD_CPU_H_
#define CAUNOI_SERVICES_GATEWAY_RELAY_THREAD_CPU_H_

#include <time.h>

#include "absl/time/time.h"

namespace caunoi::gateway::relay {

// The CPU time the calling thread has run: a relay loop's busy share is
// its thread's, not the machine's, however crowded the machine.
inline absl::Duration ThisThreadsCpu() {
  timespec spent{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spent);
  return absl::DurationFromTimespec(spent);
}

}  // namespace caunoi::gateway::relay

#endif  // CAUNOI_SERVICES_GATEWAY_RELAY_THREAD_CPU_H_
