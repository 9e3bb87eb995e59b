#include "common/server/call_log.h"

#include <chrono>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/auth/principal.h"
#include "common/calls/trace.h"
#include "common/logging/log.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/server_context.h"

namespace caunoi {
namespace {

using grpc::experimental::InterceptionHookPoints;

absl::string_view View(const grpc::string_ref& ref) { return {ref.data(), ref.size()}; }

CallerNamer& Namer() {
  static auto* namer = new CallerNamer;
  return *namer;
}

// The principal's name from the gateway's header ("name;locality;role;org"),
// for the log only: services check it against the secret before trusting it.
std::string PrincipalName(const std::multimap<grpc::string_ref, grpc::string_ref>& metadata) {
  auto found = metadata.find(
      grpc::string_ref(auth::kPrincipalMetadata.data(), auth::kPrincipalMetadata.size()));
  if (found == metadata.end()) return "";
  const absl::string_view value = View(found->second);
  return std::string(value.substr(0, value.find(';')));
}

class CallLog final : public grpc::experimental::Interceptor {
 public:
  CallLog(grpc::experimental::ServerRpcInfo* info, CallLogLevel level)
      : info_(info), level_(level), start_(std::chrono::steady_clock::now()) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      ContinueTrace(*methods->GetRecvInitialMetadata());
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      if (!status.ok()) methods->ModifySendStatus(WithRequestInfo(status, trace_));
      Log(status.error_code());
    }
    methods->Proceed();
  }

 private:
  // This server's span replaces the caller's in the metadata handlers and
  // forwarded calls read; a call without a trace or request id gets one.
  void ContinueTrace(std::multimap<grpc::string_ref, grpc::string_ref>& metadata) {
    auto find = [&](absl::string_view key) {
      return metadata.find(grpc::string_ref(key.data(), key.size()));
    };
    auto traceparent = find(calls::kTraceparentMetadata);
    auto request_id = find(calls::kRequestIdMetadata);
    trace_ = calls::Continue(traceparent == metadata.end() ? "" : View(traceparent->second),
                             request_id == metadata.end() ? "" : View(request_id->second));
    principal_ = Namer() ? Namer()(metadata) : PrincipalName(metadata);
    header_ = calls::Traceparent(trace_);
    if (traceparent != metadata.end()) metadata.erase(traceparent);
    metadata.emplace(
        grpc::string_ref(calls::kTraceparentMetadata.data(), calls::kTraceparentMetadata.size()),
        grpc::string_ref(header_));
    if (request_id == metadata.end()) {
      metadata.emplace(
          grpc::string_ref(calls::kRequestIdMetadata.data(), calls::kRequestIdMetadata.size()),
          grpc::string_ref(trace_.request_id));
    }
  }

  void Log(grpc::StatusCode code) {
    if (level_ == CallLogLevel::kNone) return;
    const std::string peer =
        info_->server_context() == nullptr ? "" : info_->server_context()->peer();
    LogCall(level_, info_->method(), code,
            absl::FromChrono(std::chrono::steady_clock::now() - start_), principal_, peer, trace_);
  }

  grpc::experimental::ServerRpcInfo* info_;
  const CallLogLevel level_;
  const std::chrono::steady_clock::time_point start_;
  calls::Trace trace_;
  std::string principal_;
  std::string header_;  // the traceparent the metadata points into
};

class CallLogFactory final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit CallLogFactory(CallLogLevel level) : level_(level) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new CallLog(info, level_);
  }

 private:
  const CallLogLevel level_;
};

class TracePropagation final : public grpc::experimental::Interceptor {
 public:
  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      if (const calls::Trace* trace = calls::CurrentTrace()) {
        std::multimap<std::string, std::string>* metadata = methods->GetSendInitialMetadata();
        metadata->emplace(std::string(calls::kTraceparentMetadata), calls::Traceparent(*trace));
        metadata->emplace(std::string(calls::kRequestIdMetadata), trace->request_id);
      }
    }
    methods->Proceed();
  }
};

class TracePropagationFactory final : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateClientInterceptor(
      grpc::experimental::ClientRpcInfo*) override {
    return new TracePropagation;
  }
};

}  // namespace

grpc::Status WithRequestInfo(const grpc::Status& status, const calls::Trace& trace) {
  google::rpc::Status details;
  if (!status.error_details().empty() && !details.ParseFromString(status.error_details())) {
    return status;
  }
  // A forwarded error already names the request.
  for (const google::protobuf::Any& detail : details.details()) {
    if (detail.Is<google::rpc::RequestInfo>()) return status;
  }
  details.set_code(status.error_code());
  details.set_message(status.error_message());
  google::rpc::RequestInfo info;
  info.set_request_id(trace.request_id);
  info.set_serving_data(absl::StrCat("trace ", trace.trace_id));
  details.add_details()->PackFrom(info);
  return grpc::Status(status.error_code(), status.error_message(), details.SerializeAsString());
}

void LogCall(CallLogLevel level, absl::string_view method, grpc::StatusCode code,
             absl::Duration latency, absl::string_view principal, absl::string_view peer,
             const calls::Trace& trace) {
  if (level == CallLogLevel::kNone || (level == CallLogLevel::kErrors && code == grpc::OK)) {
    return;
  }
  log::Write(code == grpc::OK ? log::Level::kInfo : log::Level::kWarning, "rpc",
             {{"method", std::string(method)},
              {"code", absl::StatusCodeToString(static_cast<absl::StatusCode>(code))},
              {"latency_ms", absl::StrFormat("%.3f", absl::ToDoubleMilliseconds(latency))},
              {"principal", std::string(principal)},
              {"peer", std::string(peer)},
              {"trace_id", trace.trace_id},
              {"request_id", trace.request_id}});
}

void SetCallerNamer(CallerNamer namer) { Namer() = std::move(namer); }

std::optional<CallLogLevel> ParseCallLogLevel(absl::string_view text) {
  if (text == "all") return CallLogLevel::kAll;
  if (text == "errors") return CallLogLevel::kErrors;
  if (text == "none") return CallLogLevel::kNone;
  return std::nullopt;
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
MakeCallLogInterceptorFactory(CallLogLevel level) {
  return std::make_unique<CallLogFactory>(level);
}

std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface> MakeTracePropagation() {
  return std::make_unique<TracePropagationFactory>();
}

}  // namespace caunoi
