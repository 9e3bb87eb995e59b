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
  return RefuseDeleted(ReadDocument(name, field, deadline), field);
}

absl::StatusOr<v1::Document> DirectivesClient::ReadDocument(absl::string_view name,
                                                            absl::string_view field,
                                                            absl::Time deadline) {
  return GetFromDependency(*stub_, &v1::DirectiveService::Stub::GetDocument, "directives",
                           "directives/{}", name, field, deadline);
}

absl::StatusOr<std::vector<v1::Task>> DirectivesClient::ListTasks(absl::string_view name,
                                                                  absl::string_view field,
                                                                  absl::Time deadline) {
  constexpr int kPageSize = 500;
  constexpr int kMaxPages = 200;
  CAUNOI_RETURN_IF_ERROR(api::ParseResourceName(name, "directives/{}", field).status());
  v1::ListTasksRequest request;
  request.set_parent(std::string(name));
  request.set_page_size(kPageSize);
  std::vector<v1::Task> tasks;
  for (int page = 0; page < kMaxPages; ++page) {
    grpc::ClientContext context;
    BoundDependencyCall(context, deadline);
    v1::ListTasksResponse response;
    CAUNOI_RETURN_IF_ERROR(ExplainDependencyAnswer(stub_->ListTasks(&context, request, &response),
                                                   "directives", field, name));
    for (v1::Task& task : *response.mutable_tasks()) tasks.push_back(std::move(task));
    if (response.next_page_token().empty()) return tasks;
    request.set_page_token(response.next_page_token());
  }
  return tasks;
}

absl::StatusOr<std::vector<v1::TaskFallingDue>> DirectivesClient::ListTasksFallingDue(
    const v1::Date& from, const v1::Date& to, absl::Time deadline) {
  constexpr int kPageSize = 5000;
  v1::ListTasksFallingDueRequest request;
  *request.mutable_due_from() = from;
  *request.mutable_due_to() = to;
  request.set_page_size(kPageSize);
  std::vector<v1::TaskFallingDue> tasks;
  while (true) {
    grpc::ClientContext context;
    BoundDependencyCall(context, deadline);
    v1::ListTasksFallingDueResponse response;
    CAUNOI_RETURN_IF_ERROR(
        ExplainDependencyAnswer(stub_->ListTasksFallingDue(&context, request, &response),
                                "directives", "due_from", "tasks falling due"));
    for (v1::TaskFallingDue& task : *response.mutable_tasks()) tasks.push_back(std::move(task));
    if (response.next_page_token().empty()) return tasks;
    request.set_page_token(response.next_page_token());
  }
}

}  // namespace caunoi
