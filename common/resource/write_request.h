#ifndef CAUNOI_COMMON_RESOURCE_WRITE_REQUEST_H_
#define CAUNOI_COMMON_RESOURCE_WRITE_REQUEST_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/resource/write_log.h"
#include "google/protobuf/message.h"
#include "grpcpp/server_context.h"

namespace caunoi::resource {

// Who is writing and why, from the call. INVALID_ARGUMENT on "request_id"
// (at most 128 printable ASCII characters) or "reason" (text, at most 4000
// characters).
absl::StatusOr<WriteRequest> WriteRequestFrom(const grpc::ServerContextBase& context,
                                              absl::string_view method,
                                              const google::protobuf::Message& request,
                                              absl::string_view request_id,
                                              absl::string_view reason);

}  // namespace caunoi::resource

#endif  // CAUNOI_COMMON_RESOURCE_WRITE_REQUEST_H_
