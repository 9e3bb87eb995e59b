#include "common/server/caller_watch.h"

#include <mutex>

#include "common/calls/caller_watch.h"
#include "common/calls/served_trace.h"
#include "common/calls/trace.h"
#include "grpcpp/server.h"
#include "grpcpp/server_context.h"

namespace caunoi {
namespace {

bool CallGone(const void* call) {
  return static_cast<const grpc::ServerContext*>(call)->IsCancelled();
}

thread_local calls::Trace served_trace;

// gRPC runs these on the handler's own thread, right around the handler:
// statements watch the caller, and log lines and calls to other services
// carry its trace.
class CallerWatchCallbacks final : public grpc::Server::GlobalCallbacks {
 public:
  void PreSynchronousRequest(grpc::ServerContext* context) override {
    calls::WatchCaller(&CallGone, context);
    served_trace = calls::TraceOf(*context);
    calls::SetCurrentTrace(served_trace.trace_id.empty() ? nullptr : &served_trace);
  }
  void PostSynchronousRequest(grpc::ServerContext*) override {
    calls::StopWatchingCaller();
    calls::SetCurrentTrace(nullptr);
  }
};

}  // namespace

void WatchCallersOfSyncHandlers() {
  static std::once_flag once;
  std::call_once(once, [] {
    // Lives as long as the process: gRPC keeps the pointer.
    grpc::Server::SetGlobalCallbacks(new CallerWatchCallbacks);
  });
}

}  // namespace caunoi
