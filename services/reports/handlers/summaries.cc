#include "services/reports/reports_service.h"

// The aggregates the gateway shows: compliance, activities and open
// proposals.
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/api/dates.h"
#include "common/api/deadline.h"
#include "common/api/page_token.h"
#include "common/period/period_range.h"
#include "common/resource/reply.h"
#include "common/status/grpc_status.h"
#include "common/status/status_macros.h"
#include "google/protobuf/arena.h"
#include "services/reports/resources/resources.h"

namespace caunoi::reports {

grpc::Status ReportsService::StreamedSummarizeCompliance(
    grpc::ServerContext* context,
    grpc::ServerUnaryStreamer<v1::SummarizeComplianceRequest, v1::SummarizeComplianceResponse>*
        streamer) {
  constexpr int kMaxDocuments = 10000;
  v1::SummarizeComplianceRequest request;
  if (!streamer->Read(&request)) {
    return grpc::Status(grpc::StatusCode::CANCELLED, "the request never arrived");
  }
  // A province's answer per commune and month is thousands of rows of a
  // few messages each: made on an arena, they are allocated in a few
  // blocks and freed at once instead of one by one.
  google::protobuf::ArenaOptions arena_options;
  arena_options.start_block_size = 4096;
  arena_options.max_block_size = 256 << 10;
  google::protobuf::Arena arena(arena_options);
  auto* response = google::protobuf::Arena::CreateMessage<v1::SummarizeComplianceResponse>(&arena);
  const absl::Status status = [&]() -> absl::Status {
    if (request.documents().empty()) {
      return InvalidFieldError("documents", "name at least one document");
    }
    if (request.documents_size() > kMaxDocuments) {
      return InvalidFieldError("documents", "at most 10000 documents");
    }
    for (int i = 0; i < request.documents_size(); ++i) {
      CAUNOI_RETURN_IF_ERROR(resource::ValidateReference(request.documents(i), "directives/{}",
                                                         absl::StrCat("documents[", i, "]"), true));
    }
    const absl::CivilDay today = api::TodayInVietnam();
    CAUNOI_ASSIGN_OR_RETURN(periods::PeriodRange range,
                            periods::ParsePeriodRange(request.from_period(), request.to_period()));
    ComplianceWindow window{std::nullopt, today, today};
    if (range.from) window.from = range.from->first;
    if (range.to) window.to = range.to->last;
    const absl::Time deadline = api::RequestDeadline(*context);
    CAUNOI_ASSIGN_OR_RETURN(
        std::optional<std::string> locality,
        organizations_.CurrentLocalityIdIfNamed(request.locality(), "locality", deadline));
    if (request.by_commune() && !locality) {
      return InvalidFieldError("by_commune", "drills down into one locality: set locality");
    }
    return summaries_.Compliance(request.documents(), locality,
                                 {.by_commune = request.by_commune(),
                                  .with_periods = !request.totals_only(),
                                  .communes_by_code = request.communes_by_code()},
                                 window, deadline, *response);
  }();
  if (!status.ok()) return ToGrpcStatus(status);
  streamer->Write(*response);
  return grpc::Status::OK;
}

grpc::Status ReportsService::ListMissingReports(grpc::ServerContext* context,
                                                const v1::ListMissingReportsRequest* request,
                                                v1::ListMissingReportsResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    CAUNOI_ASSIGN_OR_RETURN(const int page_size,
                            api::ResolvePageSize(request->page_size(), 100, 1000));
    // A token is bound to the locality it pages.
    const std::string query = absl::StrCat("missing|", request->locality());
    std::optional<MissingKey> after;
    if (!request->page_token().empty()) {
      CAUNOI_ASSIGN_OR_RETURN(std::vector<std::string> key,
                              api::DecodePageToken(request->page_token(), query));
      absl::CivilDay due;
      int64_t document_id = 0;
      if (key.size() != 4 || !absl::ParseCivilTime(key[0], &due) ||
          !absl::SimpleAtoi(key[1], &document_id)) {
        return InvalidFieldError("page_token", "is not a token of this query");
      }
      after = MissingKey{key[0], document_id, key[2], key[3]};
    }
    const absl::Time deadline = api::RequestDeadline(*context);
    CAUNOI_ASSIGN_OR_RETURN(
        std::optional<std::string> locality,
        organizations_.CurrentLocalityIdIfNamed(request->locality(), "locality", deadline));
    CAUNOI_ASSIGN_OR_RETURN(
        MissingReportsPage page,
        summaries_.MissingReports(locality, api::TodayInVietnam(), after, page_size, deadline));
    *response = std::move(page.response);
    if (page.last.has_value()) {
      response->set_next_page_token(
          api::EncodePageToken(query, {page.last->due_date, absl::StrCat(page.last->document_id),
                                       page.last->locality, page.last->period}));
    }
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status ReportsService::SummarizeActivities(grpc::ServerContext* context,
                                                 const v1::SummarizeActivitiesRequest* request,
                                                 v1::SummarizeActivitiesResponse* response) {
  return resource::Reply(
      [&]() -> absl::StatusOr<v1::SummarizeActivitiesResponse> {
        std::optional<std::string> from;
        std::optional<std::string> to;
        if (request->has_from_date()) {
          CAUNOI_ASSIGN_OR_RETURN(absl::CivilDay day,
                                  api::ToCivilDay(request->from_date(), "from_date"));
          from = api::FormatIsoDate(day);
        }
        if (request->has_to_date()) {
          CAUNOI_ASSIGN_OR_RETURN(absl::CivilDay day,
                                  api::ToCivilDay(request->to_date(), "to_date"));
          if (from && api::FormatIsoDate(day) < *from) {
            return InvalidFieldError("to_date", "comes before from_date");
          }
          to = api::FormatIsoDate(day);
        }
        const absl::Time deadline = api::RequestDeadline(*context);
        CAUNOI_ASSIGN_OR_RETURN(
            std::optional<std::string> locality,
            organizations_.CurrentLocalityIdIfNamed(request->locality(), "locality", deadline));
        return summaries_.Activities(locality, from, to, deadline);
      }(),
      response);
}

grpc::Status ReportsService::SummarizeOpenProposals(
    grpc::ServerContext* context, const v1::SummarizeOpenProposalsRequest* request,
    v1::SummarizeOpenProposalsResponse* response) {
  constexpr int kMaxAssignees = 10000;
  return resource::Reply(
      [&]() -> absl::StatusOr<v1::SummarizeOpenProposalsResponse> {
        if (request->assignees_size() > kMaxAssignees) {
          return InvalidFieldError("assignees", "at most 10000 assignees");
        }
        for (int i = 0; i < request->assignees_size(); ++i) {
          CAUNOI_RETURN_IF_ERROR(resource::ValidateReference(
              request->assignees(i), "organizations/{}", absl::StrCat("assignees[", i, "]"), true));
        }
        const absl::Time deadline = api::RequestDeadline(*context);
        CAUNOI_ASSIGN_OR_RETURN(
            std::optional<std::string> locality,
            organizations_.CurrentLocalityIdIfNamed(request->locality(), "locality", deadline));
        return summaries_.OpenProposals(request->assignees(), locality, deadline);
      }(),
      response);
}

}  // namespace caunoi::reports
