#ifndef CAUNOI_COMMON_METRICS_METRICS_H_
#define CAUNOI_COMMON_METRICS_METRICS_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
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

// A counter or gauge of the suite's own, created once and kept for the
// process: Counter("caunoi_rate_limit_refusals_total", "help").
prometheus::Counter& Counter(const std::string& name, const std::string& help,
                             const prometheus::Labels& labels = {});
prometheus::Gauge& Gauge(const std::string& name, const std::string& help,
                         const prometheus::Labels& labels = {});
prometheus::Histogram& Histogram(const std::string& name, const std::string& help,
                                 const std::vector<double>& buckets);

}  // namespace caunoi::metrics

#endif  // CAUNOI_COMMON_METRICS_METRICS_H_
