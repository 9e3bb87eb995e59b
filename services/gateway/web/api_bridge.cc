#include "services/gateway/web/api_bridge.h"

#include <array>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/synchronization/notification.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/byte_buffer.h"

namespace caunoi::gateway::web {
namespace {

namespace protobuf = google::protobuf;

// What the dashboard reads; everything else stays gRPC-only.
constexpr std::array<absl::string_view, 7> kOpenMethods = {
    "caunoi.v1.GatewayService/GetDirectiveRollout", "caunoi.v1.GatewayService/GetLocalityDashboard",
    "caunoi.v1.GatewayService/ListOverdue",         "caunoi.v1.GatewayService/CompareLocalities",
    "caunoi.v1.DirectiveService/ListDocuments",     "caunoi.v1.OrganizationService/ListLocalities",
    "caunoi.v1.ReportService/ListIndicators",
};

std::string ErrorJson(const absl::Status& status) {
  std::string json = "{";
  absl::StrAppend(&json, "\"code\":\"", absl::StatusCodeToString(status.code()), "\"");
  std::string message;
  // JSON-escapes through protobuf's own writer, which knows UTF-8.
  protobuf::Value value;
  value.set_string_value(std::string(status.message()));
  (void)protobuf::util::MessageToJsonString(value, &message);
  absl::StrAppend(&json, ",\"message\":", message);
  if (std::optional<google::rpc::ErrorInfo> info = GetErrorInfo(status); info.has_value()) {
    absl::StrAppend(&json, ",\"reason\":\"", info->reason(), "\"");
  }
  absl::StrAppend(&json, "}");
  return json;
}

ApiReply Refused(const absl::Status& status) {
  ApiReply reply{.http_status = HttpStatusOf(status.code()), .json = ErrorJson(status)};
  if (std::optional<google::rpc::RetryInfo> retry = GetRetryInfo(status); retry.has_value()) {
    const int64_t millis = protobuf::util::TimeUtil::DurationToMilliseconds(retry->retry_delay());
    reply.retry_after_seconds = static_cast<int>(std::max<int64_t>(1, (millis + 999) / 1000));
  }
  return reply;
}

std::string Flatten(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  (void)buffer.Dump(&slices);
  std::string bytes;
  bytes.reserve(buffer.Length());
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return bytes;
}

}  // namespace

int HttpStatusOf(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
      return 200;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
    case absl::StatusCode::kFailedPrecondition:
      return 400;
    case absl::StatusCode::kUnauthenticated:
      return 401;
    case absl::StatusCode::kPermissionDenied:
      return 403;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kAborted:
      return 409;
    case absl::StatusCode::kResourceExhausted:
      return 429;
    case absl::StatusCode::kUnimplemented:
      return 501;
    case absl::StatusCode::kUnavailable:
      return 503;
    case absl::StatusCode::kDeadlineExceeded:
      return 504;
    default:
      return 500;
  }
}

bool ApiBridge::IsOpen(absl::string_view method) {
  for (absl::string_view open : kOpenMethods) {
    if (open == method) return true;
  }
  return false;
}

ApiBridge::ApiBridge(std::shared_ptr<grpc::Channel> channel, absl::Duration deadline)
    : stub_(std::move(channel)), deadline_(deadline) {}

ApiReply ApiBridge::Call(absl::string_view method, absl::string_view json_body,
                         const ApiCaller& caller) const {
  if (!IsOpen(method)) {
    return Refused(absl::NotFoundError(absl::StrCat("no dashboard call ", method)));
  }
  const std::string full_name = absl::StrReplaceAll(method, {{"/", "."}});
  const protobuf::MethodDescriptor* descriptor =
      protobuf::DescriptorPool::generated_pool()->FindMethodByName(full_name);
  if (descriptor == nullptr) {
    return Refused(absl::InternalError(absl::StrCat("not linked in: ", method)));
  }
  protobuf::MessageFactory* factory = protobuf::MessageFactory::generated_factory();
  std::unique_ptr<protobuf::Message> request(
      factory->GetPrototype(descriptor->input_type())->New());
  if (!json_body.empty()) {
    if (const auto parsed = protobuf::util::JsonStringToMessage(
            protobuf::StringPiece(json_body.data(), json_body.size()), request.get());
        !parsed.ok()) {
      return Refused(InvalidFieldError("body", std::string(parsed.message())));
    }
  }

  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + deadline_));
  if (!caller.authorization.empty()) context.AddMetadata("authorization", caller.authorization);
  if (!caller.request_id.empty()) context.AddMetadata("x-request-id", caller.request_id);
  if (!caller.traceparent.empty()) context.AddMetadata("traceparent", caller.traceparent);
  const std::string request_bytes = request->SerializeAsString();
  grpc::Slice slice(request_bytes);
  const grpc::ByteBuffer request_buffer(&slice, 1);
  grpc::ByteBuffer response_buffer;
  grpc::Status status;
  absl::Notification done;
  stub_.UnaryCall(&context, absl::StrCat("/", method), grpc::StubOptions(), &request_buffer,
                  &response_buffer, [&](grpc::Status result) {
                    status = std::move(result);
                    done.Notify();
                  });
  done.WaitForNotification();
  if (!status.ok()) return Refused(FromGrpcStatus(status));

  std::unique_ptr<protobuf::Message> response(
      factory->GetPrototype(descriptor->output_type())->New());
  if (!response->ParseFromString(Flatten(response_buffer))) {
    return Refused(absl::InternalError("the gateway's answer could not be read"));
  }
  protobuf::util::JsonPrintOptions options;
  // Zeros printed too, so the page reads every figure without defaults.
  options.always_print_primitive_fields = true;
  ApiReply reply;
  if (const auto printed = protobuf::util::MessageToJsonString(*response, &reply.json, options);
      !printed.ok()) {
    return Refused(absl::InternalError(std::string(printed.message())));
  }
  return reply;
}

}  // namespace caunoi::gateway::web
