#include "common/client/directives_client.h"

#include "common/api/resource_name.h"
#include "common/client/dependency_call.h"
#include "common/status/status_macros.h"
#include "grpcpp/channel.h"

namespace caunoi {

DirectivesClient::DirectivesClient(std::shared_ptr<grpc::Channel> channel)
    : stub_(v1::DirectiveService::NewStub(std::move(channel))) {}

absl::StatusOr<v1::Document> DirectivesClient::GetDocument(absl::string_view name,
                                                           absl::string_view field,
                                                           absl::Time deadline) {
  CAUNOI_RETURN_IF_ERROR(api::ParseResourceName(name, "directives/{}", field).status());
  grpc::ClientContext context;
  BoundDependencyCall(context, deadline);
  v1::GetDocumentRequest request;
  request.set_name(std::string(name));
  v1::Document document;
  CAUNOI_RETURN_IF_ERROR(ExplainDependencyAnswer(stub_->GetDocument(&context, request, &document),
                                                 "directives", field, name));
  return document;
}

}  // namespace caunoi
