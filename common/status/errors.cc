#include "common/status/errors.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "common/status/quoted.h"
#include "google/protobuf/message.h"

namespace caunoi {
namespace {

std::string TypeUrl(const google::protobuf::Message& message) {
  return absl::StrCat("type.googleapis.com/", message.GetDescriptor()->full_name());
}

void SetDetail(absl::Status& status, const google::protobuf::Message& detail) {
  status.SetPayload(TypeUrl(detail), absl::Cord(detail.SerializeAsString()));
}

template <typename Detail>
std::optional<Detail> GetDetail(const absl::Status& status) {
  Detail detail;
  absl::optional<absl::Cord> payload = status.GetPayload(TypeUrl(detail));
  if (!payload.has_value() || !detail.ParseFromString(std::string(*payload))) {
    return std::nullopt;
  }
  return detail;
}

google::rpc::ErrorInfo MakeErrorInfo(absl::string_view reason,
                                     const std::map<std::string, std::string>& metadata) {
  google::rpc::ErrorInfo info;
  info.set_reason(std::string(reason));
  info.set_domain(std::string(kErrorDomain));
  for (const auto& [key, value] : metadata) {
    (*info.mutable_metadata())[key] = Shortened(value, kMaxErrorDetailBytes);
  }
  return info;
}

}  // namespace

std::string Shortened(absl::string_view text, size_t max_bytes) {
  static constexpr absl::string_view kEllipsis = "…";
  if (text.size() <= max_bytes) return std::string(text);
  const size_t room = max_bytes > kEllipsis.size() ? max_bytes - kEllipsis.size() : 0;
  return absl::StrCat(CutAtCharBoundary(text, room), kEllipsis);
}

absl::Status InvalidFieldError(absl::string_view field, absl::string_view description) {
  return InvalidFieldError(field, description, "INVALID_FIELD", {});
}

absl::Status InvalidFieldError(absl::string_view field, absl::string_view description,
                               absl::string_view reason,
                               std::map<std::string, std::string> metadata) {
  const std::string short_field = Shortened(field, kMaxErrorDetailBytes);
  const std::string short_description = Shortened(description, kMaxErrorMessageBytes / 2);
  absl::Status status =
      absl::InvalidArgumentError(absl::StrCat(short_field, ": ", short_description));
  google::rpc::BadRequest bad_request;
  google::rpc::BadRequest::FieldViolation* violation = bad_request.add_field_violations();
  violation->set_field(short_field);
  violation->set_description(short_description);
  SetDetail(status, bad_request);
  metadata["field"] = short_field;
  SetDetail(status, MakeErrorInfo(reason, metadata));
  return status;
}

absl::Status ErrorWithReason(absl::StatusCode code, absl::string_view message,
                             absl::string_view reason,
                             const std::map<std::string, std::string>& metadata) {
  absl::Status status(code, Shortened(message, kMaxErrorMessageBytes));
  SetDetail(status, MakeErrorInfo(reason, metadata));
  return status;
}

void SetRetryDelay(absl::Status& status, absl::Duration delay) {
  google::rpc::RetryInfo retry;
  const int64_t nanos = absl::ToInt64Nanoseconds(delay);
  retry.mutable_retry_delay()->set_seconds(nanos / 1'000'000'000);
  retry.mutable_retry_delay()->set_nanos(static_cast<int32_t>(nanos % 1'000'000'000));
  SetDetail(status, retry);
}

std::optional<google::rpc::BadRequest> GetBadRequest(const absl::Status& status) {
  return GetDetail<google::rpc::BadRequest>(status);
}
std::optional<google::rpc::ErrorInfo> GetErrorInfo(const absl::Status& status) {
  return GetDetail<google::rpc::ErrorInfo>(status);
}
std::optional<google::rpc::RetryInfo> GetRetryInfo(const absl::Status& status) {
  return GetDetail<google::rpc::RetryInfo>(status);
}

}  // namespace caunoi
