#ifndef CAUNOI_COMMON_CALLS_SERVED_TRACE_H_
#define CAUNOI_COMMON_CALLS_SERVED_TRACE_H_

#include "common/calls/trace.h"
#include "grpcpp/server_context.h"

namespace caunoi::calls {

// The trace a served call arrived with, as the call log's interceptor left
// it in the call's metadata.
Trace TraceOf(const grpc::ServerContextBase& context);

// While it lives, the current thread serves `context`'s call: log lines,
// audit records and calls to other services carry its trace. Synchronous
// handlers get this from gRPC's hooks around each call
// (common/server/caller_watch.cc); a callback handler, or work it hands
// to a thread of the service's own, opens one itself.
class ServedTraceScope {
 public:
  explicit ServedTraceScope(const grpc::ServerContextBase& context);
  ~ServedTraceScope();
  ServedTraceScope(const ServedTraceScope&) = delete;
  ServedTraceScope& operator=(const ServedTraceScope&) = delete;

 private:
  const Trace* saved_;
  Trace trace_;
};

}  // namespace caunoi::calls

#endif  // CAUNOI_COMMON_CALLS_SERVED_TRACE_H_
