#ifndef CAUNOI_DEPLOY_LOCAL_DEMO_INVOKE_H_
#define CAUNOI_DEPLOY_LOCAL_DEMO_INVOKE_H_

#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "common/status/grpc_status.h"
#include "grpcpp/client_context.h"

namespace caunoi::demo {

// One call as the demo loader: a 10 s deadline, audited as "demo-loader".
template <typename Stub, typename Request, typename Response>
absl::StatusOr<Response> Invoke(Stub& stub,
                                grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                                             Response*),
                                const Request& request) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  context.AddMetadata("caunoi-actor", "demo-loader");
  Response response;
  absl::Status status = FromGrpcStatus((stub.*method)(&context, request, &response));
  if (!status.ok()) return status;
  return response;
}

}  // namespace caunoi::demo

#endif  // CAUNOI_DEPLOY_LOCAL_DEMO_INVOKE_H_
