// The dashboard's data: a JSON request on /api/{service}/{method} becomes
// the same gRPC call a provincial system would make to the gateway, with
// the caller's bearer token, so the page gets the same answers, the same
// refusals and the same rate limits. Only the read-only status calls the
// page needs are open.
#ifndef CAUNOI_SERVICES_GATEWAY_WEB_API_BRIDGE_H_
#define CAUNOI_SERVICES_GATEWAY_WEB_API_BRIDGE_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "grpcpp/generic/generic_stub.h"

namespace caunoi::gateway::web {

struct ApiReply {
  int http_status = 200;
  // The response message as protojson, or {"code","message","reason"}.
  std::string json;
  // For 429 and 503: when a retry may succeed (Retry-After), 0 when unknown.
  int retry_after_seconds = 0;
};

// What the bridge copies from the HTTP request onto the call.
struct ApiCaller {
  std::string authorization;  // "Bearer <token>", never logged
  std::string request_id;
  std::string traceparent;
};

class ApiBridge {
 public:
  // `channel` reaches the gateway itself (in-process), so the call passes
  // its authentication, rate limits, metrics and logs.
  explicit ApiBridge(std::shared_ptr<grpc::Channel> channel, absl::Duration deadline);

  // `method` is "caunoi.v1.GatewayService/GetDirectiveRollout".
  ApiReply Call(absl::string_view method, absl::string_view json_body,
                const ApiCaller& caller) const;

  // Whether the page may call `method`.
  static bool IsOpen(absl::string_view method);

 private:
  mutable grpc::GenericStub stub_;
  const absl::Duration deadline_;
};

// The HTTP status a gRPC code answers with (UNAUTHENTICATED 401, ...).
int HttpStatusOf(absl::StatusCode code);

}  // namespace caunoi::gateway::web

#endif  // CAUNOI_SERVICES_GATEWAY_WEB_API_BRIDGE_H_
