#ifndef CAUNOI_TESTS_SUPPORT_RPC_H_
#define CAUNOI_TESTS_SUPPORT_RPC_H_

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "common/status/grpc_status.h"
#include "grpcpp/client_context.h"

namespace caunoi::testing {

// One unary call on any stub with a 10 s deadline, as an absl::Status that
// keeps the error details.
template <typename Stub, typename Request, typename Response>
absl::Status CallRpc(Stub& stub,
                     grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                     const Request& request, Response* response) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  return FromGrpcStatus((stub.*method)(&context, request, response));
}

}  // namespace caunoi::testing

#endif  // CAUNOI_TESTS_SUPPORT_RPC_H_
