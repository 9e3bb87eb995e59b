#include "services/directives/directives_service.h"

// Tasks beyond their standard methods: lists across every document, and the
// national overdue summary.
#include "common/api/deadline.h"
#include "common/api/resource_name.h"
#include "common/resource/reply.h"
#include "common/status/grpc_status.h"
#include "services/directives/resources/resources.h"

namespace caunoi::directives {

grpc::Status DirectivesService::ListTasks(grpc::ServerContext* context,
                                          const v1::ListTasksRequest* request,
                                          v1::ListTasksResponse* response) {
  absl::StatusOr<std::vector<std::string>> parent =
      api::ParseParentOrEvery(request->parent(), kDocumentPattern);
  if (!parent.ok()) return ToGrpcStatus(parent.status());
  absl::StatusOr<std::optional<std::string>> current_locality =
      organizations_.CurrentLocalityInFilter(request->filter(), kTaskList.filter_fields,
                                             api::RequestDeadline(*context));
  if (!current_locality.ok()) return ToGrpcStatus(current_locality.status());
  return resource::ReplyList(
      resource::ListResources(store_.resources(), kTaskList, kTaskSpec.table.from_row, *context,
                              "ListTasks",
                              {request->filter(),
                               request->page_size(),
                               request->page_token(),
                               *parent,
                               {*current_locality}},
                              response->mutable_next_page_token()),
      response->mutable_tasks());
}

grpc::Status DirectivesService::SummarizeOverdueTasks(grpc::ServerContext* context,
                                                      const v1::SummarizeOverdueTasksRequest*,
                                                      v1::SummarizeOverdueTasksResponse* response) {
  return resource::Reply(store_.SummarizeOverdueTasks(api::RequestDeadline(*context)), response);
}

}  // namespace caunoi::directives
