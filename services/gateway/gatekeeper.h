#ifndef CAUNOI_SERVICES_GATEWAY_GATEKEEPER_H_
#define CAUNOI_SERVICES_GATEWAY_GATEKEEPER_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/auth/principal.h"
#include "grpcpp/server_context.h"
#include "services/gateway/rate_limiter.h"
#include "services/gateway/token_table.h"

namespace caunoi::gateway {

// Every call through the gateway passes here first: who is calling
// (UNAUTHENTICATED), whether their role may call the method
// (PERMISSION_DENIED), and whether they are within their rate
// (RESOURCE_EXHAUSTED with RetryInfo). Which locality a write touches is
// checked again by the service that owns the record.
class Gatekeeper {
 public:
  Gatekeeper(const TokenTable& tokens, RateLimiter& limiter) : tokens_(tokens), limiter_(limiter) {}

  absl::StatusOr<auth::Principal> Admit(const grpc::ServerContextBase& context,
                                        absl::string_view method_name);

 private:
  const TokenTable& tokens_;
  RateLimiter& limiter_;
};

}  // namespace caunoi::gateway

#endif  // CAUNOI_SERVICES_GATEWAY_GATEKEEPER_H_
