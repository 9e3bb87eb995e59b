#include "common/logging/log.h"

#include <cstdio>
#include <string>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/calls/trace.h"
#include "common/json/json_string.h"
#include "common/logging/log_time.h"

namespace caunoi::log {
namespace {

absl::Mutex service_mutex;
std::string& ServiceName() {
  static auto* name = new std::string("caunoi");
  return *name;
}

void AppendField(std::string& out, absl::string_view key, absl::string_view value) {
  out.push_back(',');
  json::AppendString(out, key);
  out.push_back(':');
  json::AppendString(out, value);
}

// What a holding thread has written since its last flush.
struct HeldLines {
  bool holding = false;
  std::string lines;
};
thread_local HeldLines held;

// Past this, held lines go out before the turn ends.
constexpr size_t kHeldBytes = 64 * 1024;

absl::string_view LevelName(Level level) {
  constexpr absl::string_view kNames[] = {"info", "warning", "error"};  // in Level's order
  return kNames[static_cast<int>(level)];
}

}  // namespace

void SetService(absl::string_view service) {
  absl::MutexLock lock(&service_mutex);
  ServiceName() = std::string(service);
}

void Write(Level level, absl::string_view event, Fields fields) {
  std::string line = "{\"ts\":";
  json::AppendString(line, FormatLogTime(absl::Now()));
  AppendField(line, "level", LevelName(level));
  {
    absl::MutexLock lock(&service_mutex);
    AppendField(line, "service", ServiceName());
  }
  AppendField(line, "event", event);
  bool traced = false;
  for (const auto& [key, value] : fields) {
    AppendField(line, key, value);
    traced = traced || key == "trace_id";
  }
  // Every line written while serving a call names the call's trace.
  if (const calls::Trace* trace = calls::CurrentTrace(); trace != nullptr && !traced) {
    AppendField(line, "trace_id", trace->trace_id);
  }
  line += "}\n";
  if (held.holding) {
    held.lines += line;
    if (held.lines.size() >= kHeldBytes) FlushHeldLines();
    return;
  }
  // One fwrite per line keeps concurrent lines whole.
  std::fwrite(line.data(), 1, line.size(), stderr);
}

void HoldLinesOnThisThread() { held.holding = true; }

void FlushHeldLines() {
  if (held.lines.empty()) return;
  std::fwrite(held.lines.data(), 1, held.lines.size(), stderr);
  held.lines.clear();
}

}  // namespace caunoi::log
