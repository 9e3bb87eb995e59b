#ifndef CAUNOI_SERVICES_GATEWAY_BACKEND_H_
#define CAUNOI_SERVICES_GATEWAY_BACKEND_H_

#include <atomic>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "google/protobuf/descriptor.h"
#include "grpcpp/channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"

namespace caunoi::gateway {

// One service behind the gateway: a channel that may reach several
// replicas, and a cap on calls in flight so one slow service cannot hold
// every gateway thread.
class Backend {
 public:
  // `target` is host:port, "dns:///name:port" (every address of the name is
  // a replica) or "ipv4:127.0.0.1:5001,127.0.0.1:5002". Calls are spread
  // round-robin; reads of `service` are retried on another replica when
  // one is unavailable.
  Backend(std::string name, const std::string& target,
          const google::protobuf::ServiceDescriptor& service,
          std::shared_ptr<grpc::ChannelCredentials> credentials, int max_in_flight);

  const std::string& name() const { return name_; }
  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }
  grpc::GenericStub& stub() { return stub_; }

  // False when max_in_flight calls are already under way; otherwise the
  // caller must Release() once the call is done.
  bool TryAcquire();
  void Release() { in_flight_.fetch_sub(1, std::memory_order_relaxed); }
  // What a caller hears when TryAcquire refused: RESOURCE_EXHAUSTED,
  // BACKEND_BUSY, retry shortly.
  absl::Status BusyError() const;

 private:
  const std::string name_;
  const std::shared_ptr<grpc::Channel> channel_;
  grpc::GenericStub stub_;
  const int max_in_flight_;
  std::atomic<int> in_flight_{0};
};

// The channel's service config: round-robin over every resolved address,
// and retries of the service's read methods on UNAVAILABLE.
std::string BackendServiceConfig(const google::protobuf::ServiceDescriptor& service);

}  // namespace caunoi::gateway

#endif  // CAUNOI_SERVICES_GATEWAY_BACKEND_H_
