#ifndef CAUNOI_SERVICES_GATEWAY_FORWARDING_SERVICE_H_
#define CAUNOI_SERVICES_GATEWAY_FORWARDING_SERVICE_H_

#include <deque>
#include <memory>
#include <string>

#include "google/protobuf/descriptor.h"
#include "grpcpp/impl/service_type.h"
#include "services/gateway/backend.h"
#include "services/gateway/gatekeeper.h"

namespace caunoi::gateway {

// Serves every method of a backend's service by forwarding the request's
// bytes to the backend and its answer's bytes back, never decoding them.
// The caller's deadline, cancellation and metadata travel with the call;
// the backend's metadata and status (with its error details) travel back.
// Registered like any service, so reflection on the gateway lists and
// describes it.
class ForwardingService final : public grpc::Service {
 public:
  ForwardingService(const google::protobuf::ServiceDescriptor& service, Backend& backend,
                    Gatekeeper& gatekeeper, std::string secret);
  ~ForwardingService() override;

  struct Route;

 private:
  const std::string secret_;
  // One per method, referred to by its handler and by the calls under way.
  std::deque<std::unique_ptr<Route>> routes_;
};

}  // namespace caunoi::gateway

#endif  // CAUNOI_SERVICES_GATEWAY_FORWARDING_SERVICE_H_
