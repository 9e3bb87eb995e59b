#ifndef CAUNOI_COMMON_SERVER_CALL_LOG_H_
#define CAUNOI_COMMON_SERVER_CALL_LOG_H_

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/calls/trace.h"
#include "grpcpp/support/client_interceptor.h"
#include "grpcpp/support/server_interceptor.h"
#include "grpcpp/support/string_ref.h"

// One JSON line per call (method, code, latency, principal, peer, trace id,
// request id), the call's W3C trace carried on, and google.rpc.RequestInfo
// on every error so a caller can quote the request to an operator.
namespace caunoi {

enum class CallLogLevel { kAll, kErrors, kNone };

// "all", "errors" or "none"; nullopt otherwise.
std::optional<CallLogLevel> ParseCallLogLevel(absl::string_view text);

// Continues the caller's trace (or starts one) in the call's metadata, so
// handlers and forwarded calls see this server's span, and logs the call.
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
MakeCallLogInterceptorFactory(CallLogLevel level);

// Names the caller on its log line from the call's metadata, for a server
// that knows callers otherwise than by the gateway's principal header (the
// gateway itself, by their tokens). Set once, before serving.
using CallerNamer =
    std::function<std::string(const std::multimap<grpc::string_ref, grpc::string_ref>& metadata)>;
void SetCallerNamer(CallerNamer namer);

// For calls no interceptor sees (the gateway's frame relay): the line the
// call log writes for a call, and the google.rpc.RequestInfo it adds to an
// error so the caller can quote it.
void LogCall(CallLogLevel level, absl::string_view method, grpc::StatusCode code,
             absl::Duration latency, absl::string_view principal, absl::string_view peer,
             const calls::Trace& trace);
grpc::Status WithRequestInfo(const grpc::Status& status, const calls::Trace& trace);

// Carries the trace of the call being served (calls::CurrentTrace) on the
// calls a server makes to the others.
std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface> MakeTracePropagation();

}  // namespace caunoi

#endif  // CAUNOI_COMMON_SERVER_CALL_LOG_H_
