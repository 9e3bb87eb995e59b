#ifndef CAUNOI_COMMON_CHANGES_CHANGE_WATCH_H_
#define CAUNOI_COMMON_CHANGES_CHANGE_WATCH_H_

#include <string>

#include "caunoi/v1/common.pb.h"
#include "common/changes/backfill_pool.h"
#include "common/changes/change_feed.h"
#include "common/changes/change_stream.h"
#include "common/status/grpc_status.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"

namespace caunoi::changes {

// What a service's ListChanges and WatchChanges (and WatchAlerts) do, over
// its change feed.
class ChangeWatch {
 public:
  ChangeWatch(ChangeFeed& feed, int backfill_threads = 2)
      : feed_(feed), backfills_(backfill_threads) {}

  grpc::Status List(grpc::ServerContext& context, const v1::ListChangesRequest& request,
                    v1::ListChangesResponse& response);
  grpc::ServerWriteReactor<v1::Change>* Watch(const v1::WatchChangesRequest& request);

  // A stream of `Out` from `cursor` ("" from now on), each change rendered
  // by `render` or skipped.
  template <typename Out>
  grpc::ServerWriteReactor<Out>* Open(const std::string& cursor,
                                      typename ChangeStream<Out>::Render render) {
    absl::StatusOr<int64_t> start = StartingPosition(cursor);
    if (!start.ok()) return new RefusedStream<Out>(ToGrpcStatus(start.status()));
    return ChangeStream<Out>::Open(
        {{&feed_.hub(), *start}}, std::move(render),
        [](std::span<const int64_t> positions) { return std::to_string(positions[0]); },
        backfills_);
  }

 private:
  absl::StatusOr<int64_t> StartingPosition(const std::string& cursor);

  ChangeFeed& feed_;
  BackfillPool backfills_;
};

}  // namespace caunoi::changes

// Declares a service's ListChanges and WatchChanges over `watch`, a
// ChangeWatch& member. The service derives from
// WithCallbackMethod_WatchChanges so that a watcher holds no thread.
#define CAUNOI_CHANGE_METHODS(watch)                                                            \
  grpc::Status ListChanges(grpc::ServerContext* context, const v1::ListChangesRequest* request, \
                           v1::ListChangesResponse* response) override {                        \
    return watch.List(*context, *request, *response);                                           \
  }                                                                                             \
  grpc::ServerWriteReactor<v1::Change>* WatchChanges(                                           \
      grpc::CallbackServerContext*, const v1::WatchChangesRequest* request) override {          \
    return watch.Watch(*request);                                                               \
  }

#endif  // CAUNOI_COMMON_CHANGES_CHANGE_WATCH_H_
