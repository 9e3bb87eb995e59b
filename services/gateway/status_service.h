#ifndef CAUNOI_SERVICES_GATEWAY_STATUS_SERVICE_H_
#define CAUNOI_SERVICES_GATEWAY_STATUS_SERVICE_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "caunoi/v1/directives.grpc.pb.h"
#include "caunoi/v1/gateway.grpc.pb.h"
#include "caunoi/v1/organizations.grpc.pb.h"
#include "caunoi/v1/reports.grpc.pb.h"
#include "common/client/organizations_client.h"
#include "grpcpp/support/byte_buffer.h"
#include "services/gateway/backend.h"
#include "services/gateway/below_hints.h"
#include "services/gateway/gatekeeper.h"
#include "services/gateway/merged_changes.h"
#include "services/gateway/turns.h"
#include "services/gateway/work_queue.h"

namespace caunoi::gateway {

struct StatusOptions {
  // Each backend call's own deadline, within the caller's.
  absl::Duration section_timeout = absl::Seconds(2);
  // How long a complete rollout is served again without recomputing (0:
  // never cached). While one caller recomputes an expired answer, the others
  // get the expired one, so an answer is at most this plus one computation
  // old; callers with no answer at all share one computation.
  absl::Duration rollout_cache_ttl = absl::Seconds(5);
  // Composite answers computed at once; the others wait their turn.
  int aggregates_at_once = 4;
};

// Cross-locality status from the three services, asked in parallel.
// GetDirectiveRollout is served as bytes: a cached rollout is serialized
// once and handed to every caller, since the answer is large and asked for
// often.
class StatusService final : public v1::GatewayService::WithRawCallbackMethod_WatchChanges<
                                v1::GatewayService::WithRawCallbackMethod_GetDirectiveRollout<
                                    v1::GatewayService::Service>> {
 public:
  StatusService(Backend& directives, Backend& organizations, Backend& reports,
                Gatekeeper& gatekeeper, MergedChanges& changes, StatusOptions options);

  // The services' change streams merged (merged_changes.h).
  grpc::ServerWriteReactor<grpc::ByteBuffer>* WatchChanges(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request) override;

  grpc::ServerUnaryReactor* GetDirectiveRollout(grpc::CallbackServerContext* context,
                                                const grpc::ByteBuffer* request,
                                                grpc::ByteBuffer* response) override;
  grpc::Status GetLocalityDashboard(grpc::ServerContext* context,
                                    const v1::GetLocalityDashboardRequest* request,
                                    v1::LocalityDashboard* response) override;
  grpc::Status ListOverdue(grpc::ServerContext* context, const v1::ListOverdueRequest* request,
                           v1::ListOverdueResponse* response) override;
  grpc::Status CompareLocalities(grpc::ServerContext* context,
                                 const v1::CompareLocalitiesRequest* request,
                                 v1::CompareLocalitiesResponse* response) override;

 private:
  // Into `rollout`: computed on its arena, when it has one, with the
  // backends' answers it is made of.
  absl::Status Rollout(const v1::GetDirectiveRolloutRequest& request, absl::Time deadline,
                       v1::DirectiveRollout& rollout);
  absl::Status CachedRollout(const v1::GetDirectiveRolloutRequest& request, absl::Time deadline,
                             v1::DirectiveRollout& rollout);
  // The serialized rollout for `key` when the cache may serve it now: fresh,
  // or expired while another caller recomputes it.
  std::optional<grpc::ByteBuffer> ServedBytes(const std::string& key);
  // The deadline of backend calls made now for a caller due at `deadline`.
  absl::Time SectionDeadline(absl::Time deadline) const;

  std::unique_ptr<v1::DirectiveService::Stub> directives_;
  std::unique_ptr<v1::OrganizationService::Stub> organizations_;
  // A locality's names and unit of today, kept between calls.
  OrganizationsClient localities_;
  std::unique_ptr<v1::ReportService::Stub> reports_;
  Gatekeeper& gatekeeper_;
  MergedChanges& changes_;
  const StatusOptions options_;
  BelowHints below_hints_;

  struct CachedAnswer {
    absl::Time computed;
    v1::DirectiveRollout rollout;
    grpc::Slice bytes;  // `rollout` serialized, without cache_age_ms
  };
  // One computation of a rollout under way; callers with no cached answer
  // wait for it instead of starting their own.
  struct Flight {
    absl::Notification done;
    absl::StatusOr<v1::DirectiveRollout> result;
  };
  absl::Mutex cache_mutex_;
  absl::flat_hash_map<std::string, CachedAnswer> cache_ ABSL_GUARDED_BY(cache_mutex_);
  absl::flat_hash_map<std::string, std::shared_ptr<Flight>> flights_ ABSL_GUARDED_BY(cache_mutex_);
  // Computes rollouts the cache cannot serve, off gRPC's threads. Declared
  // last: destroyed first, finishing its work while the rest still stands.
  Turns turns_;
  WorkQueue work_;
};

}  // namespace caunoi::gateway

#endif  // CAUNOI_SERVICES_GATEWAY_STATUS_SERVICE_H_
