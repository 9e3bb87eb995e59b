#include "services/directives/directives_service.h"

// Tasks beyond their standard methods: the national overdue summary.
#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
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
    // A token holds the last due date and task id, and serves only the
    // range and locality it was made for.
    const std::string query = absl::StrCat("falling_due|", api::FormatIsoDate(from), "|",
                                           api::FormatIsoDate(to), "|", request->locality());
    FallingDueKey after{.due = from};
    if (!request->page_token().empty()) {
      CAUNOI_ASSIGN_OR_RETURN(std::vector<std::string> key,
                              api::DecodePageToken(request->page_token(), query));
      if (key.size() != 2 || !absl::ParseCivilTime(key[0], &after.due) ||
          !absl::SimpleAtoi(key[1], &after.id)) {
        return InvalidFieldError("page_token", "is not a token of this query");
      }
    }
    pg::Param locality_id;
    if (!request->locality().empty()) {
      CAUNOI_ASSIGN_OR_RETURN(locality_id, ParseLocalityName(request->locality(), "locality"));
    }
    CAUNOI_ASSIGN_OR_RETURN(FallingDuePage page,
                            store_.ListTasksFallingDue(from, to, locality_id, after, limit,
                                                       api::RequestDeadline(*context)));
    *response = std::move(page.response);
    if (page.last.has_value()) {
      response->set_next_page_token(api::EncodePageToken(
          query, {api::FormatIsoDate(page.last->due), absl::StrCat(page.last->id)}));
    }
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status DirectivesService::SummarizeOverdueTasks(
    grpc::ServerContext* context, const v1::SummarizeOverdueTasksRequest* request,
    v1::SummarizeOverdueTasksResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    const absl::Time deadline = api::RequestDeadline(*context);
    CAUNOI_ASSIGN_OR_RETURN(
        const pg::Param locality,
        organizations_.CurrentLocalityIdIfNamed(request->locality(), "locality", deadline));
    CAUNOI_ASSIGN_OR_RETURN(*response, store_.SummarizeOverdueTasks(locality, deadline));
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

}  // namespace caunoi::directives
