#include "services/directives/directives_service.h"

// Tasks beyond their standard methods: lists across every document, and the
// national overdue summary.
#include "common/api/deadline.h"
#include "common/api/resource_name.h"
#include "common/resource/current_locality_list.h"
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
  return resource::ReplyList(
      resource::ListInCurrentLocality(organizations_, store_.resources(), kTaskList,
                                      kTaskSpec.table.from_row, *context, "ListTasks", *request,
                                      *parent, {}, response->mutable_next_page_token()),
      response->mutable_tasks());
}

grpc::Status DirectivesService::SummarizeOverdueTasks(grpc::ServerContext* context,
                                                      const v1::SummarizeOverdueTasksRequest*,
                                                      v1::SummarizeOverdueTasksResponse* response) {
  return resource::Reply(store_.SummarizeOverdueTasks(api::RequestDeadline(*context)), response);
}

}  // namespace caunoi::directives
