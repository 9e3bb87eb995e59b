#ifndef CAUNOI_COMMON_LOGGING_LOG_H_
#define CAUNOI_COMMON_LOGGING_LOG_H_

#include <initializer_list>
#include <utility>

#include "absl/strings/string_view.h"

// One JSON object per line on stderr, so log collectors need no parser:
// {"ts":"2026-11-23T05:10:00.123Z","level":"info","service":"organizations",
//  "event":"server.started","listen":"127.0.0.1:50052"}
namespace caunoi::log {

using Fields = std::initializer_list<std::pair<absl::string_view, absl::string_view>>;

enum class Level { kInfo, kWarning, kError };

// Names the process in every line; set once at start.
void SetService(absl::string_view service);

void Write(Level level, absl::string_view event, Fields fields);

// From now on, lines this thread writes are held until FlushHeldLines,
// then written together: an event loop that logs a line per call makes one
// system call a turn rather than one a line. Lines stay whole and in order.
void HoldLinesOnThisThread();
void FlushHeldLines();

inline void Info(absl::string_view event, Fields fields = {}) {
  Write(Level::kInfo, event, fields);
}
inline void Warning(absl::string_view event, Fields fields = {}) {
  Write(Level::kWarning, event, fields);
}
inline void Error(absl::string_view event, Fields fields = {}) {
  Write(Level::kError, event, fields);
}

}  // namespace caunoi::log

#endif  // CAUNOI_COMMON_LOGGING_LOG_H_
