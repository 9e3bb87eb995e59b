#ifndef CAUNOI_COMMON_STATUS_GRPC_STATUS_H_
#define CAUNOI_COMMON_STATUS_GRPC_STATUS_H_

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace caunoi {

// The one mapping from absl::Status to what a client receives. Every
// google.rpc detail payload goes into grpc-status-details-bin as a
// google.rpc.Status; UNAVAILABLE, ABORTED and RESOURCE_EXHAUSTED get a
// RetryInfo when the error has none. Handlers call it once, at their end.
grpc::Status ToGrpcStatus(const absl::Status& status);

// The inverse, for clients of our services (details restored as payloads).
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace caunoi

#endif  // CAUNOI_COMMON_STATUS_GRPC_STATUS_H_
