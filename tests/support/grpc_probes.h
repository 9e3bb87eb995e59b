#ifndef CAUNOI_TESTS_SUPPORT_GRPC_PROBES_H_
#define CAUNOI_TESTS_SUPPORT_GRPC_PROBES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "grpcpp/channel.h"

// What grpcurl and Kubernetes ask a server: grpc.health.v1 and
// grpc.reflection.v1alpha, spoken with the protocols' own messages.
namespace caunoi::testing {

enum class HealthState { kUnreachable, kUnknown, kServing, kNotServing, kServiceUnknown };

HealthState HealthStatus(const std::shared_ptr<grpc::Channel>& channel, const std::string& service,
                         absl::Duration timeout = absl::Seconds(2));

// Full names of the services the server lists through reflection.
absl::StatusOr<std::vector<std::string>> ReflectionListServices(
    const std::shared_ptr<grpc::Channel>& channel);

// Whether reflection can describe `symbol` (a service or message name),
// as `grpcurl describe` does.
absl::Status ReflectionDescribe(const std::shared_ptr<grpc::Channel>& channel,
                                const std::string& symbol);

}  // namespace caunoi::testing

#endif  // CAUNOI_TESTS_SUPPORT_GRPC_PROBES_H_
