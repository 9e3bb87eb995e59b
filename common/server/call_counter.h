#ifndef CAUNOI_COMMON_SERVER_CALL_COUNTER_H_
#define CAUNOI_COMMON_SERVER_CALL_COUNTER_H_

#include <cstdint>
#include <memory>

#include "absl/strings/string_view.h"
#include "grpcpp/support/server_interceptor.h"

// Counts the calls a server process answers on the suite's own API, so
// operators (and the scale-out test) can see how load spreads over
// replicas. Health, reflection and ServerInfo itself are not counted.
namespace caunoi {

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
MakeCallCounterInterceptorFactory();

int64_t CallsServed();

// Counts a call no interceptor sees (the gateway's frame relay), by the
// same rule.
void CountCallServed(absl::string_view method);

}  // namespace caunoi

#endif  // CAUNOI_COMMON_SERVER_CALL_COUNTER_H_
