#ifndef CAUNOI_COMMON_RESOURCE_REPLY_H_
#define CAUNOI_COMMON_RESOURCE_REPLY_H_

#include <vector>

#include "absl/status/statusor.h"
#include "common/status/grpc_status.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "grpcpp/support/status.h"

// The end of every standard handler: the result into the response, the
// status mapped once.
namespace caunoi::resource {

template <typename M>
grpc::Status Reply(absl::StatusOr<M> result, M* response) {
  if (!result.ok()) return ToGrpcStatus(result.status());
  *response = *std::move(result);
  return grpc::Status::OK;
}

template <typename M>
grpc::Status ReplyList(absl::StatusOr<std::vector<M>> result,
                       google::protobuf::RepeatedPtrField<M>* response) {
  if (!result.ok()) return ToGrpcStatus(result.status());
  for (M& item : *result) *response->Add() = std::move(item);
  return grpc::Status::OK;
}

}  // namespace caunoi::resource

#endif  // CAUNOI_COMMON_RESOURCE_REPLY_H_
