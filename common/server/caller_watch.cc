#include "common/server/caller_watch.h"

#include <mutex>

#include "common/calls/caller_watch.h"
#include "grpcpp/server.h"
#include "grpcpp/server_context.h"

namespace caunoi {
namespace {

bool CallGone(const void* call) {
  return static_cast<const grpc::ServerContext*>(call)->IsCancelled();
}

// gRPC runs these on the handler's own thread, right around the handler.
class CallerWatchCallbacks final : public grpc::Server::GlobalCallbacks {
 public:
  void PreSynchronousRequest(grpc::ServerContext* context) override {
    calls::WatchCaller(&CallGone, context);
  }
  void PostSynchronousRequest(grpc::ServerContext*) override { calls::StopWatchingCaller(); }
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
