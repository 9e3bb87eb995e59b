#include "common/status/grpc_status.h"

#include <string>

#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "common/logging/log.h"
#include "common/status/errors.h"
#include "google/rpc/status.pb.h"

namespace caunoi {
namespace {

constexpr absl::string_view kGoogleRpcTypePrefix = "type.googleapis.com/google.rpc.";
constexpr absl::Duration kDefaultRetryDelay = absl::Seconds(1);

bool RetryMayHelp(absl::StatusCode code) {
  return code == absl::StatusCode::kUnavailable || code == absl::StatusCode::kAborted ||
         code == absl::StatusCode::kResourceExhausted;
}

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  absl::Status with_defaults = status;
  if (RetryMayHelp(status.code()) && !GetRetryInfo(status).has_value()) {
    SetRetryDelay(with_defaults, kDefaultRetryDelay);
  }
  if (status.code() == absl::StatusCode::kInternal || status.code() == absl::StatusCode::kUnknown) {
    log::Error("rpc.internal_error", {{"message", status.message()}});
  }

  const std::string message = Shortened(status.message(), kMaxErrorMessageBytes);
  google::rpc::Status details;
  details.set_code(static_cast<int>(status.code()));
  details.set_message(message);
  with_defaults.ForEachPayload([&details](absl::string_view type_url, const absl::Cord& payload) {
    if (!absl::StartsWith(type_url, kGoogleRpcTypePrefix)) return;
    google::protobuf::Any* any = details.add_details();
    any->set_type_url(std::string(type_url));
    any->set_value(std::string(payload));
  });
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), message,
                      details.SerializeAsString());
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  absl::Status result(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
  google::rpc::Status details;
  if (!status.error_details().empty() && details.ParseFromString(status.error_details())) {
    for (const google::protobuf::Any& any : details.details()) {
      result.SetPayload(any.type_url(), absl::Cord(any.value()));
    }
  }
  return result;
}

}  // namespace caunoi
