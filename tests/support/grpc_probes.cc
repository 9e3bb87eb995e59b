#include "tests/support/grpc_probes.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/status/grpc_status.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "grpcpp/client_context.h"

namespace caunoi::testing {
namespace {

namespace reflection = grpc::reflection::v1alpha;

absl::StatusOr<reflection::ServerReflectionResponse> AskReflection(
    const std::shared_ptr<grpc::Channel>& channel,
    const reflection::ServerReflectionRequest& request) {
  auto stub = reflection::ServerReflection::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  auto stream = stub->ServerReflectionInfo(&context);
  reflection::ServerReflectionResponse response;
  const bool exchanged = stream->Write(request) && stream->WritesDone() && stream->Read(&response);
  const grpc::Status status = stream->Finish();
  if (!status.ok()) return FromGrpcStatus(status);
  if (!exchanged) return absl::UnavailableError("reflection stream ended early");
  if (response.has_error_response()) {
    return absl::Status(static_cast<absl::StatusCode>(response.error_response().error_code()),
                        response.error_response().error_message());
  }
  return response;
}

}  // namespace

HealthState HealthStatus(const std::shared_ptr<grpc::Channel>& channel, const std::string& service,
                         absl::Duration timeout) {
  auto stub = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(service);
  grpc::health::v1::HealthCheckResponse response;
  const grpc::Status status = stub->Check(&context, request, &response);
  if (status.error_code() == grpc::StatusCode::NOT_FOUND) return HealthState::kServiceUnknown;
  if (!status.ok()) return HealthState::kUnreachable;
  switch (response.status()) {
    case grpc::health::v1::HealthCheckResponse::SERVING:
      return HealthState::kServing;
    case grpc::health::v1::HealthCheckResponse::NOT_SERVING:
      return HealthState::kNotServing;
    case grpc::health::v1::HealthCheckResponse::SERVICE_UNKNOWN:
      return HealthState::kServiceUnknown;
    default:
      return HealthState::kUnknown;
  }
}

absl::StatusOr<std::vector<std::string>> ReflectionListServices(
    const std::shared_ptr<grpc::Channel>& channel) {
  reflection::ServerReflectionRequest request;
  request.set_list_services("");
  absl::StatusOr<reflection::ServerReflectionResponse> response = AskReflection(channel, request);
  if (!response.ok()) return response.status();
  std::vector<std::string> names;
  for (const auto& service : response->list_services_response().service()) {
    names.push_back(service.name());
  }
  return names;
}

absl::Status ReflectionDescribe(const std::shared_ptr<grpc::Channel>& channel,
                                const std::string& symbol) {
  reflection::ServerReflectionRequest request;
  request.set_file_containing_symbol(symbol);
  absl::StatusOr<reflection::ServerReflectionResponse> response = AskReflection(channel, request);
  if (!response.ok()) return response.status();
  if (response->file_descriptor_response().file_descriptor_proto_size() == 0) {
    return absl::NotFoundError(absl::StrCat("no descriptor for ", symbol));
  }
  return absl::OkStatus();
}

}  // namespace caunoi::testing
