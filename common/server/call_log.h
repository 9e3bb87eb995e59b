#ifndef CAUNOI_COMMON_SERVER_CALL_LOG_H_
#define CAUNOI_COMMON_SERVER_CALL_LOG_H_

#include <memory>
#include <optional>

#include "absl/strings/string_view.h"
#include "grpcpp/support/client_interceptor.h"
#include "grpcpp/support/server_interceptor.h"

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

// Carries the trace of the call being served (calls::CurrentTrace) on the
// calls a server makes to the others.
std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface> MakeTracePropagation();

}  // namespace caunoi

#endif  // CAUNOI_COMMON_SERVER_CALL_LOG_H_
