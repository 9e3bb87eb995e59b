#ifndef CAUNOI_SERVICES_GATEWAY_MERGED_CHANGES_H_
#define CAUNOI_SERVICES_GATEWAY_MERGED_CHANGES_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "caunoi/v1/common.pb.h"
#include "common/changes/backfill_pool.h"
#include "common/changes/change_hub.h"
#include "grpcpp/client_context.h"
#include "grpcpp/impl/codegen/proto_utils.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/server_callback.h"
#include "grpcpp/support/sync_stream.h"

namespace caunoi::gateway {

// A service's ListChanges and WatchChanges, whichever stub serves them.
struct ChangeCalls {
  std::function<grpc::Status(grpc::ClientContext*, const v1::ListChangesRequest&,
                             v1::ListChangesResponse*)>
      list;
  std::function<std::unique_ptr<grpc::ClientReader<v1::Change>>(grpc::ClientContext*,
                                                                const v1::WatchChangesRequest&)>
      watch;
};

template <typename Stub>
ChangeCalls ChangeCallsOf(std::shared_ptr<Stub> stub) {
  return {[stub](grpc::ClientContext* context, const v1::ListChangesRequest& request,
                 v1::ListChangesResponse* response) {
            return stub->ListChanges(context, request, response);
          },
          [stub](grpc::ClientContext* context, const v1::WatchChangesRequest& request) {
            return stub->WatchChanges(context, request);
          }};
}

// One service's changes as the gateway holds them: one stream from the
// service for the whole gateway, published to a hub every watcher reads;
// older changes are asked of the service's ListChanges.
class UpstreamChanges final : public changes::ChangeSource {
 public:
  UpstreamChanges(std::string service, ChangeCalls calls, size_t capacity);
  ~UpstreamChanges() override;

  absl::StatusOr<std::vector<changes::EventPtr>> ReadAfter(int64_t position, int limit,
                                                           absl::Time deadline) override;
  changes::ChangeHub& hub() { return hub_; }
  const std::string& service() const { return service_; }

 private:
  void Follow();
  absl::Status FollowOnce();

  const std::string service_;
  const ChangeCalls calls_;
  changes::ChangeHub hub_;
  absl::Mutex mutex_;
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  grpc::ClientContext* stream_ ABSL_GUARDED_BY(mutex_) = nullptr;
  std::thread thread_;
};

// The gateway's WatchChanges: the three services' changes in one stream,
// with a cursor holding a position per service ("d12.o40.r7").
class MergedChanges {
 public:
  // In the order of the cursor's letters: directives, organizations,
  // reports.
  explicit MergedChanges(std::vector<UpstreamChanges*> upstreams);

  // Written as bytes: each change is serialized once for every watcher.
  grpc::ServerWriteReactor<grpc::ByteBuffer>* Watch(const v1::WatchChangesRequest& request,
                                                    std::shared_ptr<const void> admission);

 private:
  std::vector<UpstreamChanges*> upstreams_;
  changes::BackfillPool backfills_;
};

}  // namespace caunoi::gateway

#endif  // CAUNOI_SERVICES_GATEWAY_MERGED_CHANGES_H_
