#ifndef CAUNOI_COMMON_LOGGING_LOG_TIME_H_
#define CAUNOI_COMMON_LOGGING_LOG_TIME_H_

#include <string>

#include "absl/time/time.h"

namespace caunoi::log {

// The time a log line carries, "2026-12-07T10:30:05.123Z": what
// absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", time, absl::UTCTimeZone())
// gives. The part up to the second is formatted once a second on each
// thread, since a busy server writes thousands of lines a second.
std::string FormatLogTime(absl::Time time);

}  // namespace caunoi::log

#endif  // CAUNOI_COMMON_LOGGING_LOG_TIME_H_
