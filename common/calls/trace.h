#ifndef CAUNOI_COMMON_CALLS_TRACE_H_
#define CAUNOI_COMMON_CALLS_TRACE_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"

// W3C Trace Context for the suite's calls: a trace id taken from the
// caller's `traceparent` or started by the first server it reaches (the
// gateway), passed on to every call made for it, and written on log lines
// and audit records.
namespace caunoi::calls {

inline constexpr absl::string_view kTraceparentMetadata = "traceparent";
inline constexpr absl::string_view kRequestIdMetadata = "x-request-id";

struct Trace {
  std::string trace_id;    // 32 lowercase hex digits
  std::string span_id;     // 16: this server's part of the trace
  std::string request_id;  // the caller's x-request-id, or one made up
  bool sampled = true;
};

// "00-<trace-id>-<parent-id>-<flags>"; nullopt when malformed or all zero.
std::optional<Trace> ParseTraceparent(absl::string_view header);
// The header that names `trace` with its span as the parent.
std::string Traceparent(const Trace& trace);
// This server's part of the trace a call arrived with (`header` may be
// empty or malformed: a new trace starts).
Trace Continue(absl::string_view header, absl::string_view request_id);
std::string NewSpanId();

// The trace of the call the current thread serves; null when none.
void SetCurrentTrace(const Trace* trace);
const Trace* CurrentTrace();

}  // namespace caunoi::calls

#endif  // CAUNOI_COMMON_CALLS_TRACE_H_
