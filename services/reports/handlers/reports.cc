#include "services/reports/reports_service.h"

// Reports beyond their standard methods: lists over a period range,
// filing, the review workflow, and export.
#include "absl/strings/str_cat.h"
#include "common/api/dates.h"
#include "common/api/deadline.h"
#include "common/api/locality_name.h"
#include "common/api/resource_name.h"
#include "common/api/text.h"
#include "common/auth/principal.h"
#include "common/calls/served_trace.h"
#include "common/period/period_range.h"
#include "common/resource/reply.h"
#include "common/resource/write_request.h"
#include "common/status/grpc_status.h"
#include "common/status/status_macros.h"
#include "services/reports/resources/resources.h"

namespace caunoi::reports {
namespace {

const Transition kSubmit = {{v1::REPORT_STATE_DRAFT, v1::REPORT_STATE_RETURNED},
                            v1::REPORT_STATE_SUBMITTED};
const Transition kAccept = {{v1::REPORT_STATE_SUBMITTED}, v1::REPORT_STATE_ACCEPTED};
const Transition kReturn = {{v1::REPORT_STATE_SUBMITTED}, v1::REPORT_STATE_RETURNED, true};
const Transition kReopen = {{v1::REPORT_STATE_ACCEPTED}, v1::REPORT_STATE_RETURNED, true};

}  // namespace

absl::StatusOr<resource::ListValues> ReportsService::PeriodRangeParams(
    const grpc::ServerContext&, const google::protobuf::Message& request) {
  const auto& list = static_cast<const v1::ListReportsRequest&>(request);
  CAUNOI_ASSIGN_OR_RETURN(periods::PeriodRange range,
                          periods::ParsePeriodRange(list.from_period(), list.to_period()));
  resource::ListValues params(2);
  if (range.from) params[0] = api::FormatIsoDate(range.from->first);
  if (range.to) params[1] = api::FormatIsoDate(range.to->last);
  return params;
}

absl::StatusOr<Filing> ReportsService::FilingFrom(grpc::CallbackServerContext& context,
                                                  const v1::CreateReportRequest& request) {
  CAUNOI_ASSIGN_OR_RETURN(std::vector<std::string> parent,
                          api::ParseResourceName(request.parent(), kObligationPattern, "parent"));
  Filing filing;
  // State and submission are the workflow's, never the caller's, except
  // for a report recorded as submitted on paper (submitted_on).
  v1::Report& report = filing.report = request.report();
  report.clear_state();
  report.clear_submitted_date();
  CAUNOI_RETURN_IF_ERROR(kReportSpec.validate(report));
  const periods::Period period = *periods::ParsePeriod(report.period());
  if (request.has_submitted_on()) {
    CAUNOI_ASSIGN_OR_RETURN(absl::CivilDay submitted,
                            api::ToCivilDay(request.submitted_on(), "submitted_on"));
    if (submitted < period.first || api::TodayInVietnam() < submitted) {
      return InvalidFieldError("submitted_on",
                               absl::StrCat("must be within ", api::FormatIsoDate(period.first),
                                            " (the period's first day) and today"));
    }
    CAUNOI_RETURN_IF_ERROR(
        api::ValidateText(request.reason(), "reason",
                          {.required = true, .max_chars = api::kMaxNoteChars, .multiline = true}));
    report.set_state(v1::REPORT_STATE_SUBMITTED);
    *report.mutable_submitted_date() = request.submitted_on();
    // A date other than today's is the reviewing side's to record; finding
    // out reads the duty, which the filing worker does.
    filing.authorize = [this, &context, name = request.parent()] {
      const calls::ServedTraceScope served(context);
      return ReviewerOnly(context, name, "record a report as submitted on paper");
    };
  }
  CAUNOI_ASSIGN_OR_RETURN(filing.write,
                          resource::WriteRequestFrom(context, "CreateReport", request,
                                                     request.request_id(), request.reason()));
  // Whether the caller may file it is AdmitReport's to say, against the
  // obligation as the filing's transaction reads it.
  CAUNOI_ASSIGN_OR_RETURN(filing.caller, auth::CallerOf(context));
  filing.obligation_id = parent[0];
  filing.obligation_name = request.parent();
  return filing;
}

grpc::ServerUnaryReactor* ReportsService::CreateReport(grpc::CallbackServerContext* context,
                                                       const v1::CreateReportRequest* request,
                                                       v1::Report* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const calls::ServedTraceScope served(*context);
  absl::StatusOr<Filing> filing = FilingFrom(*context, *request);
  if (filing.ok()) {
    filing->done = [reactor, response](absl::StatusOr<v1::Report> filed) {
      reactor->Finish(resource::Reply(std::move(filed), response));
    };
    if (absl::Status queued = store_.FileReport(*std::move(filing)); !queued.ok()) {
      reactor->Finish(ToGrpcStatus(queued));
    }
  } else {
    reactor->Finish(ToGrpcStatus(filing.status()));
  }
  return reactor;
}

absl::StatusOr<v1::Report> ReportsService::Move(grpc::ServerContext& context,
                                                const google::protobuf::Message& request,
                                                absl::string_view method, absl::string_view name,
                                                absl::string_view etag, absl::string_view comment,
                                                const Transition& transition) {
  CAUNOI_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                          api::ParseResourceName(name, kReportPattern, "name"));
  if (transition.to == v1::REPORT_STATE_SUBMITTED) {
    CAUNOI_RETURN_IF_ERROR(CheckObligationWrite(context, name));
  } else {
    CAUNOI_RETURN_IF_ERROR(ReviewerOnly(context, name, absl::StrCat("review ", name)));
  }
  if (transition.needs_comment) {
    CAUNOI_RETURN_IF_ERROR(api::ValidateText(
        comment, "comment", {.required = true, .max_chars = 4000, .multiline = true}));
  }
  CAUNOI_ASSIGN_OR_RETURN(resource::WriteRequest write,
                          resource::WriteRequestFrom(context, method, request, "", comment));
  return store_.Move(name, ids[1], etag, transition, comment, api::TodayInVietnam(), write);
}

grpc::Status ReportsService::SubmitReport(grpc::ServerContext* context,
                                          const v1::SubmitReportRequest* request,
                                          v1::Report* response) {
  return resource::Reply(
      Move(*context, *request, "SubmitReport", request->name(), request->etag(), "", kSubmit),
      response);
}

grpc::Status ReportsService::AcceptReport(grpc::ServerContext* context,
                                          const v1::ReviewReportRequest* request,
                                          v1::Report* response) {
  return resource::Reply(Move(*context, *request, "AcceptReport", request->name(), request->etag(),
                              request->comment(), kAccept),
                         response);
}

grpc::Status ReportsService::ReturnReport(grpc::ServerContext* context,
                                          const v1::ReviewReportRequest* request,
                                          v1::Report* response) {
  return resource::Reply(Move(*context, *request, "ReturnReport", request->name(), request->etag(),
                              request->comment(), kReturn),
                         response);
}

grpc::Status ReportsService::ReopenReport(grpc::ServerContext* context,
                                          const v1::ReviewReportRequest* request,
                                          v1::Report* response) {
  return resource::Reply(Move(*context, *request, "ReopenReport", request->name(), request->etag(),
                              request->comment(), kReopen),
                         response);
}

grpc::Status ReportsService::ExportReports(grpc::ServerContext* context,
                                           const v1::ExportReportsRequest* request,
                                           grpc::ServerWriter<v1::Report>* writer) {
  constexpr int kBatch = 500;
  absl::Status status = [&]() -> absl::Status {
    CAUNOI_ASSIGN_OR_RETURN(
        periods::PeriodRange range,
        periods::ParsePeriodRange(request->from_period(), request->to_period()));
    if (!range.from) return InvalidFieldError("from_period", "is required, e.g. \"2022-H1\"");
    if (!range.to) return InvalidFieldError("to_period", "is required, e.g. \"2023\"");
    const periods::Period& from = *range.from;
    const periods::Period& to = *range.to;
    std::string locality;
    if (!request->locality().empty()) {
      CAUNOI_ASSIGN_OR_RETURN(locality, ParseLocalityName(request->locality(), "locality"));
    }
    // Each batch is its own short read, keyed by id, so a long export holds
    // no transaction open and reports added meanwhile are not skipped.
    std::string after = "0";
    while (!context->IsCancelled()) {
      CAUNOI_ASSIGN_OR_RETURN(std::vector<v1::Report> batch,
                              store_.ExportBatch({.from = from.first,
                                                  .to = to.last,
                                                  .locality_id = locality,
                                                  .after_id = after,
                                                  .limit = kBatch},
                                                 api::RequestDeadline(*context)));
      for (const v1::Report& report : batch) {
        if (!writer->Write(report)) return absl::CancelledError("the client went away");
      }
      if (static_cast<int>(batch.size()) < kBatch) return absl::OkStatus();
      after = std::string(api::ResourceId(batch.back().name()));
    }
    return absl::CancelledError("the client went away");
  }();
  return ToGrpcStatus(status);
}

}  // namespace caunoi::reports
