#include "services/gateway/backend.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/auth/principal.h"
#include "common/client/channel.h"
#include "common/metrics/metrics.h"
#include "common/status/errors.h"
#include "grpcpp/create_channel.h"

namespace caunoi::gateway {

std::string BackendServiceConfig(const google::protobuf::ServiceDescriptor& service) {
  std::vector<std::string> reads;
  for (int i = 0; i < service.method_count(); ++i) {
    const google::protobuf::MethodDescriptor& method = *service.method(i);
    if (auth::IsReadMethod(method.name())) {
      reads.push_back(absl::StrCat(R"({"service":")", service.full_name(), R"(","method":")",
                                   method.name(), R"("})"));
    }
  }
  // A replica that is down answers UNAVAILABLE before any byte of the
  // request is processed, so reads (and only reads) are retried elsewhere.
  return absl::StrCat(
      R"({"loadBalancingConfig":[{"round_robin":{}}],"methodConfig":[{"name":[)",
      absl::StrJoin(reads, ","),
      R"(],"retryPolicy":{"maxAttempts":4,"initialBackoff":"0.02s","maxBackoff":"0.5s",)",
      R"("backoffMultiplier":2,"retryableStatusCodes":["UNAVAILABLE"]}}]})");
}

Backend::Backend(std::string name, const std::string& target,
                 const google::protobuf::ServiceDescriptor& service,
                 std::shared_ptr<grpc::ChannelCredentials> credentials, int max_in_flight)
    : name_(std::move(name)),
      channel_([&] {
        grpc::ChannelArguments arguments = ClientChannelArguments();
        arguments.SetServiceConfigJSON(BackendServiceConfig(service));
        arguments.SetInt(GRPC_ARG_ENABLE_RETRIES, 1);
        // Each backend gets its own connections, not a shared subchannel
        // pool, so the replicas of one service are counted apart.
        arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
        // Re-resolve a headless service's name soon after replicas change.
        arguments.SetInt(GRPC_ARG_DNS_MIN_TIME_BETWEEN_RESOLUTIONS_MS, 1000);
        std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>> counted;
        counted.push_back(metrics::ClientCalls());
        return grpc::experimental::CreateCustomChannelWithInterceptors(
            target, credentials, arguments, std::move(counted));
      }()),
      stub_(channel_),
      max_in_flight_(max_in_flight) {}

absl::Status Backend::BusyError() const {
  absl::Status status = ErrorWithReason(
      absl::StatusCode::kResourceExhausted,
      absl::StrCat("the ", name_, " service has too many calls in flight; retry shortly"),
      "BACKEND_BUSY", {{"backend", name_}});
  SetRetryDelay(status, absl::Milliseconds(200));
  return status;
}

bool Backend::TryAcquire() {
  if (in_flight_.fetch_add(1, std::memory_order_relaxed) >= max_in_flight_) {
    in_flight_.fetch_sub(1, std::memory_order_relaxed);
    return false;
  }
  return true;
}

}  // namespace caunoi::gateway
