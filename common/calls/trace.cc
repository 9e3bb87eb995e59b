#include "common/calls/trace.h"

#include <random>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace caunoi::calls {
namespace {

thread_local const Trace* current_trace = nullptr;

bool IsHex(absl::string_view text, size_t size) {
  if (text.size() != size) return false;
  bool nonzero = false;
  for (char c : text) {
    if (!absl::ascii_isxdigit(c) || absl::ascii_isupper(c)) return false;
    nonzero = nonzero || c != '0';
  }
  return nonzero;
}

std::string RandomHex(size_t digits) {
  thread_local std::mt19937_64 random{std::random_device{}()};
  std::string out;
  while (out.size() < digits) absl::StrAppend(&out, absl::Hex(random(), absl::kZeroPad16));
  return out.substr(0, digits);
}

}  // namespace

std::optional<Trace> ParseTraceparent(absl::string_view header) {
  std::vector<absl::string_view> parts = absl::StrSplit(header, '-');
  if (parts.size() != 4 || parts[0].size() != 2 || parts[0] == "ff" || !IsHex(parts[1], 32) ||
      !IsHex(parts[2], 16) || parts[3].size() != 2) {
    return std::nullopt;
  }
  return Trace{.trace_id = std::string(parts[1]),
               .span_id = std::string(parts[2]),
               .request_id = "",
               .sampled = parts[3] == "01"};
}

std::string Traceparent(const Trace& trace) {
  return absl::StrCat("00-", trace.trace_id, "-", trace.span_id, trace.sampled ? "-01" : "-00");
}

std::string NewSpanId() { return RandomHex(16); }

Trace Continue(absl::string_view header, absl::string_view request_id) {
  Trace trace = ParseTraceparent(header).value_or(
      Trace{.trace_id = RandomHex(32), .span_id = "", .request_id = "", .sampled = true});
  trace.span_id = NewSpanId();
  // A request id is the caller's to choose; printable and short, or ours.
  const bool usable = !request_id.empty() && request_id.size() <= 128 &&
                      std::all_of(request_id.begin(), request_id.end(),
                                  [](char c) { return c > ' ' && c < 127 && c != '"'; });
  trace.request_id = usable ? std::string(request_id) : trace.trace_id.substr(0, 16);
  return trace;
}

void SetCurrentTrace(const Trace* trace) { current_trace = trace; }

const Trace* CurrentTrace() { return current_trace; }

}  // namespace caunoi::calls
