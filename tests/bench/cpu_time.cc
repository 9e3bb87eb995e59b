#include "tests/bench/cpu_time.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"

namespace caunoi::bench {
namespace {

double Seconds(const timeval& time) {
  return static_cast<double>(time.tv_sec) + static_cast<double>(time.tv_usec) / 1e6;
}

}  // namespace

std::optional<int64_t> BusyTicks(absl::string_view proc_stat) {
  const absl::string_view line = proc_stat.substr(0, proc_stat.find('\n'));
  const std::vector<absl::string_view> fields = absl::StrSplit(line, ' ', absl::SkipWhitespace());
  // "cpu", then user, nice, system, idle, iowait, irq, softirq.
  if (fields.size() < 8 || fields[0] != "cpu") return std::nullopt;
  int64_t busy = 0;
  for (const int field : {1, 2, 3, 6, 7}) {
    int64_t ticks = 0;
    if (!absl::SimpleAtoi(fields[field], &ticks)) return std::nullopt;
    busy += ticks;
  }
  return busy;
}

CpuClock ReadCpuClock() {
  CpuClock clock;
  rusage usage{};
  if (getrusage(RUSAGE_SELF, &usage) == 0) {
    clock.own = Seconds(usage.ru_utime) + Seconds(usage.ru_stime);
  }
  std::ifstream stat("/proc/stat");
  const std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  if (std::optional<int64_t> ticks = BusyTicks(text); ticks.has_value()) {
    clock.busy = static_cast<double>(*ticks) / static_cast<double>(sysconf(_SC_CLK_TCK));
  }
  return clock;
}

void CpuShare::Add(const CpuClock& start, const CpuClock& end) {
  own_ += end.own - start.own;
  busy_ += end.busy - start.busy;
}

std::optional<double> CpuShare::Share() const {
  if (busy_ <= 0) return std::nullopt;
  // /proc/stat counts in ticks of a hundredth of a second, getrusage
  // finer: over a short stretch the own time can come out a little above
  // the busy time.
  return std::clamp(own_ / busy_, 0.0, 1.0);
}

std::optional<absl::Duration> CpuShare::BusyPerCall(int64_t calls) const {
  if (calls <= 0 || busy_ <= 0) return std::nullopt;
  return absl::Seconds(busy_ / static_cast<double>(calls));
}

}  // namespace caunoi::bench
