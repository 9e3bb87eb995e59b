#ifndef CAUNOI_TESTS_SUPPORT_RPC_H_
#define CAUNOI_TESTS_SUPPORT_RPC_H_

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "common/status/grpc_status.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"

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

// The same call, expected to succeed (a failure is reported with the
// request); returns the response, empty on failure.
template <typename Stub, typename Request, typename Response>
Response MustCallRpc(Stub& stub,
                     grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                     const Request& request) {
  Response response;
  const absl::Status status = CallRpc(stub, method, request, &response);
  EXPECT_TRUE(status.ok()) << status << "\n" << request.DebugString();
  return response;
}

}  // namespace caunoi::testing

#endif  // CAUNOI_TESTS_SUPPORT_RPC_H_
