#include "common/logging/log_time.h"

#include <cstdint>
#include <limits>

namespace caunoi::log {

std::string FormatLogTime(absl::Time time) {
  struct FormattedSecond {
    int64_t unix_seconds = std::numeric_limits<int64_t>::min();
    std::string text;  // up to the seconds, "2026-12-07T10:30:05"
  };
  thread_local FormattedSecond second;
  // Both round toward the past, as %E3S truncates.
  const int64_t unix_seconds = absl::ToUnixSeconds(time);
  const int64_t millis = absl::ToUnixMillis(time) - unix_seconds * 1000;
  if (unix_seconds != second.unix_seconds) {
    second.unix_seconds = unix_seconds;
    second.text = absl::FormatTime("%Y-%m-%dT%H:%M:%S", absl::FromUnixSeconds(unix_seconds),
                                   absl::UTCTimeZone());
  }
  std::string formatted;
  formatted.reserve(second.text.size() + 5);
  formatted.append(second.text).push_back('.');
  formatted.push_back(static_cast<char>('0' + millis / 100));
  formatted.push_back(static_cast<char>('0' + millis / 10 % 10));
  formatted.push_back(static_cast<char>('0' + millis % 10));
  formatted.push_back('Z');
  return formatted;
}

}  // namespace caunoi::log
