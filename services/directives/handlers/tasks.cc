#include "services/directives/directives_service.h"

// Tasks beyond their standard methods: the national overdue summary.
#include <algorithm>

#include "absl/strings/numbers.h"
#include "common/api/dates.h"
#include "common/api/deadline.h"
#include "common/api/locality_name.h"
#include "common/api/page_token.h"
#include "common/api/resource_name.h"
#include "common/resource/reply.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "common/status/status_macros.h"
#include "services/directives/resources/resources.h"

namespace caunoi::directives {

grpc::Status DirectivesService::ListTasksFallingDue(grpc::ServerContext* context,
                                                    const v1::ListTasksFallingDueRequest* request,
                                                    v1::ListTasksFallingDueResponse* response) {
  constexpr int kDefaultPage = 1000;
  constexpr int kMaxPage = 5000;
  absl::Status status = [&]() -> absl::Status {
    CAUNOI_ASSIGN_OR_RETURN(absl::CivilDay from, api::ToCivilDay(request->due_from(), "due_from"));
    CAUNOI_ASSIGN_OR_RETURN(absl::CivilDay to, api::ToCivilDay(request->due_to(), "due_to"));
    if (to < from) return InvalidFieldError("due_to", "comes before due_from");
    CAUNOI_ASSIGN_OR_RETURN(const int limit,
                            api::ResolvePageSize(request->page_size(), kDefaultPage, kMaxPage));
    FallingDueKey after{.due = from};
    if (!request->page_token().empty()) {
      CAUNOI_ASSIGN_OR_RETURN(after, DecodeFallingDueKey(request->page_token()));
      if (after.due < from || after.due > to) {
        return InvalidFieldError("page_token", "is not a token of this range");
      }
    }
    pg::Param locality_id;
    if (!request->locality().empty()) {
      CAUNOI_ASSIGN_OR_RETURN(locality_id, ParseLocalityName(request->locality(), "locality"));
    }
    CAUNOI_ASSIGN_OR_RETURN(*response,
                            store_.ListTasksFallingDue(from, to, locality_id, after, limit,
                                                       api::RequestDeadline(*context)));
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status DirectivesService::SummarizeOverdueTasks(grpc::ServerContext* context,
                                                      const v1::SummarizeOverdueTasksRequest*,
                                                      v1::SummarizeOverdueTasksResponse* response) {
  return resource::Reply(store_.SummarizeOverdueTasks(api::RequestDeadline(*context)), response);
}

}  // namespace caunoi::directives
