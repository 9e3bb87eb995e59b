#ifndef CAUNOI_TESTS_BENCH_CPU_TIME_H_
#define CAUNOI_TESTS_BENCH_CPU_TIME_H_

#include <cstdint>
#include <optional>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

// The bench runs on the machine whose servers and PostgreSQL it measures:
// its callers decoding large answers take cores the servers would
// otherwise have. Each figure says what share of the CPU time the machine
// spent meanwhile was the bench's own, so that a miss can be told apart
// from the bench weighing on it.
namespace caunoi::bench {

// CPU time so far, in seconds: this process's (user and system, all its
// threads), and the whole machine's busy time (every CPU, idle and I/O
// wait left out).
struct CpuClock {
  double own = 0;
  double busy = 0;
};

CpuClock ReadCpuClock();

// The busy clock ticks in the text of /proc/stat (its first line, "cpu"
// followed by user, nice, system, idle, iowait, irq, softirq, steal...):
// user, nice, system, irq and softirq. Time a hypervisor gave to other
// machines (steal) was nobody's here. Empty when the line is not there.
std::optional<int64_t> BusyTicks(absl::string_view proc_stat);

// Accumulates the stretches a figure was measured in.
class CpuShare {
 public:
  void Add(const CpuClock& start, const CpuClock& end);
  // The bench's share of the busy time, from 0 to 1; empty when nothing
  // was measured.
  std::optional<double> Share() const;
  // The machine's busy time shared out over `calls`: what each cost the
  // bench, the servers and PostgreSQL together. Empty when nothing was
  // measured.
  std::optional<absl::Duration> BusyPerCall(int64_t calls) const;

 private:
  double own_ = 0;
  double busy_ = 0;
};

}  // namespace caunoi::bench

#endif  // CAUNOI_TESTS_BENCH_CPU_TIME_H_
