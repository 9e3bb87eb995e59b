#ifndef CAUNOI_COMMON_METRICS_METRICS_H_
#define CAUNOI_COMMON_METRICS_METRICS_H_

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/support/client_interceptor.h"
#include "grpcpp/support/server_interceptor.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

// Prometheus metrics of a server, named as the gRPC ecosystem names them
// (grpc_server_started_total, grpc_server_handled_total{grpc_service,
// grpc_method, grpc_code}, grpc_server_handling_seconds, and their
// grpc_client_* twins for calls between services; grpc_code is the code's
// canonical name, "NOT_FOUND"), plus the suite's own.
namespace caunoi::metrics {

// The process's registry.
prometheus::Registry& Registry();

// Serves the registry as /metrics over HTTP on `address` ("host:port";
// port 0: any free one) until the process ends. Returns the bound port.
absl::StatusOr<int> Serve(const std::string& address);

// Count and time every call a server serves, and every call a client makes.
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> ServerCalls();
std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface> ClientCalls();

namespace internal {
class CallFamilies;
struct MethodSeries;
}  // namespace internal

// One call counted as ServerCalls and ClientCalls count theirs: started
// when made, handled with its code when finished (CANCELLED if it never
// is). For calls no gRPC interceptor sees: the gateway's frame relay
// counts each call it serves, and the call it makes for it, so.
class CountedCall {
 public:
  enum class Side { kServed, kMade };
  // `type` names the kind of call when the descriptors linked in do not.
  CountedCall(Side side, absl::string_view full_method, const char* type = "unary");
  CountedCall(const CountedCall&) = delete;
  CountedCall& operator=(const CountedCall&) = delete;
  ~CountedCall();

  void Finish(grpc::StatusCode code);

 private:
  internal::CallFamilies& families_;
  internal::MethodSeries& series_;
  const std::chrono::steady_clock::time_point start_;
  bool finished_ = false;
};

// A counter or gauge of the suite's own, created once and kept for the
// process: Counter("caunoi_rate_limit_refusals_total", "help").
prometheus::Counter& Counter(const std::string& name, const std::string& help,
                             const prometheus::Labels& labels = {});
prometheus::Gauge& Gauge(const std::string& name, const std::string& help,
                         const prometheus::Labels& labels = {});
prometheus::Histogram& Histogram(const std::string& name, const std::string& help,
                                 const std::vector<double>& buckets);

// A gauge's series, each with its labels and value.
using GaugeSeries = std::vector<std::pair<prometheus::Labels, double>>;

// A gauge read from state kept elsewhere each time /metrics is served,
// rather than set as the state changes: the gateway's frame relay counts
// its callers in its own loops, which should not write metrics on every
// connection. Read until the handle is destroyed.
class ScrapedGauge {
 public:
  ScrapedGauge(std::string name, std::string help, std::function<GaugeSeries()> read);
  ScrapedGauge(const ScrapedGauge&) = delete;
  ScrapedGauge& operator=(const ScrapedGauge&) = delete;
  ~ScrapedGauge();
};

}  // namespace caunoi::metrics

#endif  // CAUNOI_COMMON_METRICS_METRICS_H_
