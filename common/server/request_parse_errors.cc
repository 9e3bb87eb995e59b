#include "common/server/request_parse_errors.h"

#include <deque>
#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "common/logging/log.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/stubs/logging.h"

namespace caunoi {
namespace {

// Set by the log handler on the thread that parsed the request, which is
// the thread that then runs this call's interceptors.
thread_local std::string last_invalid_utf8_field;

void HandleProtobufLog(google::protobuf::LogLevel level, const char* filename, int line,
                       const std::string& message) {
  // "String field 'caunoi.v1.Organization.display_name' contains invalid
  // UTF-8 data when parsing a protocol buffer. ..."
  constexpr absl::string_view kPrefix = "String field '";
  absl::string_view text = message;
  if (absl::ConsumePrefix(&text, kPrefix) && absl::StrContains(text, "when parsing")) {
    last_invalid_utf8_field = std::string(text.substr(0, text.find('\'')));
    return;  // the caller's mistake, reported to the caller, not logged
  }
  const std::string source = absl::StrCat(filename, ":", line);
  if (level >= google::protobuf::LOGLEVEL_ERROR) {
    log::Error("protobuf.log", {{"message", message}, {"source", source}});
  } else {
    log::Warning("protobuf.log", {{"message", message}, {"source", source}});
  }
}

// The request path ("organization.display_name") of the field whose full
// name is `full_name` within `root`, breadth first; empty when not found.
std::string RequestPath(const google::protobuf::Descriptor* root, absl::string_view full_name) {
  std::deque<std::pair<const google::protobuf::Descriptor*, std::string>> queue = {{root, ""}};
  for (int visited = 0; !queue.empty() && visited < 200; ++visited) {
    auto [message, prefix] = queue.front();
    queue.pop_front();
    for (int i = 0; i < message->field_count(); ++i) {
      const google::protobuf::FieldDescriptor* field = message->field(i);
      const std::string path =
          prefix.empty() ? field->name() : absl::StrCat(prefix, ".", field->name());
      if (field->full_name() == full_name) return path;
      if (field->message_type() != nullptr) queue.emplace_back(field->message_type(), path);
    }
  }
  return "";
}

const google::protobuf::Descriptor* RequestType(absl::string_view method) {
  // "/caunoi.v1.OrganizationService/CreateOrganization"
  absl::ConsumePrefix(&method, "/");
  std::string dotted(method);
  const size_t slash = dotted.rfind('/');
  if (slash == std::string::npos) return nullptr;
  dotted[slash] = '.';
  const auto* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(dotted);
  return descriptor ? descriptor->input_type() : nullptr;
}

class ParseErrorInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit ParseErrorInterceptor(grpc::experimental::ServerRpcInfo* info) : info_(info) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    using grpc::experimental::InterceptionHookPoints;
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE) &&
        methods->GetRecvMessage() == nullptr) {
      unparsed_ = true;
      field_ = std::exchange(last_invalid_utf8_field, "");
    }
    if (unparsed_ && methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS) &&
        methods->GetSendStatus().error_code() == grpc::StatusCode::INTERNAL) {
      methods->ModifySendStatus(ToGrpcStatus(Explain()));
    }
    methods->Proceed();
  }

 private:
  absl::Status Explain() const {
    const std::string path =
        field_.empty() ? "" : RequestPath(RequestType(info_->method()), field_);
    if (!path.empty()) return InvalidFieldError(path, "is not valid UTF-8");
    return ErrorWithReason(absl::StatusCode::kInvalidArgument,
                           "the request could not be parsed: a string field holds invalid UTF-8"
                           " or the bytes are not this method's request message",
                           "MALFORMED_REQUEST");
  }

  grpc::experimental::ServerRpcInfo* info_;
  bool unparsed_ = false;
  std::string field_;
};

class ParseErrorInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new ParseErrorInterceptor(info);
  }
};

}  // namespace

void InstallProtobufLogHandler() { google::protobuf::SetLogHandler(&HandleProtobufLog); }

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
MakeParseErrorInterceptorFactory() {
  return std::make_unique<ParseErrorInterceptorFactory>();
}

}  // namespace caunoi
