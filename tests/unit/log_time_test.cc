// A log line's time reads as absl::FormatTime would write it, whether the
// second it falls in was formatted just before or not.
#include "common/logging/log_time.h"

#include <string>
#include <thread>
#include <vector>

#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace caunoi::log {
namespace {

std::string AsAbslFormats(absl::Time time) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", time, absl::UTCTimeZone());
}

absl::Time At(int64_t year, int month, int day, int hour, int minute, int second) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, second),
                         absl::UTCTimeZone());
}

TEST(LogTimeTest, ReadsAsFormatTimeAcrossSecondsDaysAndYears) {
  const absl::Time last_second_of_2026 = At(2026, 12, 31, 23, 59, 59);
  // In this order: within one second, then across it, backwards (a clock
  // stepped back), and across a day, a leap day and a year.
  const std::vector<absl::Time> times = {
      At(2026, 12, 7, 10, 30, 5),
      At(2026, 12, 7, 10, 30, 5) + absl::Milliseconds(7),
      At(2026, 12, 7, 10, 30, 5) + absl::Milliseconds(123) + absl::Microseconds(999),
      At(2026, 12, 7, 10, 30, 5) + absl::Milliseconds(999) + absl::Nanoseconds(999'999),
      At(2026, 12, 7, 10, 30, 6),
      At(2026, 12, 7, 10, 30, 5) + absl::Milliseconds(500),
      last_second_of_2026 + absl::Milliseconds(999),
      last_second_of_2026 + absl::Seconds(1),
      At(2028, 2, 29, 0, 0, 0) + absl::Milliseconds(40),
      absl::UnixEpoch(),
      absl::UnixEpoch() + absl::Milliseconds(1),
  };
  for (const absl::Time time : times) {
    EXPECT_EQ(FormatLogTime(time), AsAbslFormats(time)) << absl::FormatTime(time);
  }
  EXPECT_EQ(FormatLogTime(At(2026, 12, 7, 10, 30, 5) + absl::Milliseconds(42)),
            "2026-12-07T10:30:05.042Z");
}

// Each thread keeps its own second: two threads writing different seconds
// at once each get theirs.
TEST(LogTimeTest, ThreadsFormattingDifferentSecondsEachGetTheirOwn) {
  const absl::Time base = At(2026, 12, 7, 10, 30, 5);
  std::vector<std::string> mismatches[2];
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        const absl::Time time = base + absl::Seconds(t * 100 + i % 3) + absl::Milliseconds(i);
        if (FormatLogTime(time) != AsAbslFormats(time))
          mismatches[t].push_back(AsAbslFormats(time));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(mismatches[0], std::vector<std::string>{});
  EXPECT_EQ(mismatches[1], std::vector<std::string>{});
}

}  // namespace
}  // namespace caunoi::log
