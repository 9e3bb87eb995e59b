#include "common/server/call_counter.h"

#include <atomic>

#include "absl/strings/match.h"

namespace caunoi {
namespace {

std::atomic<int64_t> calls_served{0};

class CallCounterFactory final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    CountCallServed(info->method());
    return nullptr;  // counting needs no hook on the call itself
  }
};

}  // namespace

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
MakeCallCounterInterceptorFactory() {
  return std::make_unique<CallCounterFactory>();
}

void CountCallServed(absl::string_view method) {
  if (absl::StartsWith(method, "/caunoi.v1.") &&
      !absl::StartsWith(method, "/caunoi.v1.ServerInfoService/")) {
    calls_served.fetch_add(1, std::memory_order_relaxed);
  }
}

int64_t CallsServed() { return calls_served.load(std::memory_order_relaxed); }

}  // namespace caunoi
