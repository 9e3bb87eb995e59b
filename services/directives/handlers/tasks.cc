#include "services/directives/directives_service.h"

// Tasks beyond their standard methods: the national overdue summary.
#include "common/api/deadline.h"
#include "common/api/resource_name.h"
#include "common/resource/reply.h"
#include "common/status/grpc_status.h"
#include "services/directives/resources/resources.h"

namespace caunoi::directives {

grpc::Status DirectivesService::SummarizeOverdueTasks(grpc::ServerContext* context,
                                                      const v1::SummarizeOverdueTasksRequest*,
                                                      v1::SummarizeOverdueTasksResponse* response) {
  return resource::Reply(store_.SummarizeOverdueTasks(api::RequestDeadline(*context)), response);
}

}  // namespace caunoi::directives
