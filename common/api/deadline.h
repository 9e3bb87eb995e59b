#ifndef CAUNOI_COMMON_API_DEADLINE_H_
#define CAUNOI_COMMON_API_DEADLINE_H_

#include "absl/time/time.h"
#include "grpcpp/server_context.h"

namespace caunoi::api {

// The caller's deadline, capped so a call without one cannot hold a
// database connection forever.
absl::Time RequestDeadline(const grpc::ServerContextBase& context,
                           absl::Duration cap = absl::Seconds(30));

}  // namespace caunoi::api

#endif  // CAUNOI_COMMON_API_DEADLINE_H_
