#include "common/calls/served_trace.h"

namespace caunoi::calls {

Trace TraceOf(const grpc::ServerContextBase& context) {
  const auto& metadata = context.client_metadata();
  auto header = [&](absl::string_view key) -> absl::string_view {
    auto found = metadata.find(grpc::string_ref(key.data(), key.size()));
    return found == metadata.end() ? ""
                                   : absl::string_view(found->second.data(), found->second.size());
  };
  Trace trace = ParseTraceparent(header(kTraceparentMetadata)).value_or(Trace{});
  trace.request_id = std::string(header(kRequestIdMetadata));
  return trace;
}

ServedTraceScope::ServedTraceScope(const grpc::ServerContextBase& context)
    : saved_(CurrentTrace()), trace_(TraceOf(context)) {
  SetCurrentTrace(trace_.trace_id.empty() ? nullptr : &trace_);
}

ServedTraceScope::~ServedTraceScope() { SetCurrentTrace(saved_); }

}  // namespace caunoi::calls
