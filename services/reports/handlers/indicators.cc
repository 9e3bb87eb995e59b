#include "services/reports/reports_service.h"

// Indicators: which a document's reports carry, and their values added up.
#include "absl/strings/str_cat.h"
#include "common/api/dates.h"
#include "common/api/deadline.h"
#include "common/api/resource_name.h"
#include "common/period/period_range.h"
#include "common/resource/reply.h"
#include "common/status/status_macros.h"
#include "services/reports/indicators/indicator_values.h"
#include "services/reports/resources/resources.h"

namespace caunoi::reports {
namespace {

constexpr absl::string_view kDocumentIndicatorsPattern = "directives/{}/indicators";
// A report form longer than this is a mistake, not a form.
constexpr int kMaxSetSize = 200;
constexpr int kMaxSummaryDocuments = 1000;
constexpr int kMaxSummaryIndicators = 200;

}  // namespace

grpc::Status ReportsService::GetDocumentIndicators(grpc::ServerContext* context,
                                                   const v1::GetDocumentIndicatorsRequest* request,
                                                   v1::DocumentIndicators* response) {
  return resource::Reply(
      [&]() -> absl::StatusOr<v1::DocumentIndicators> {
        CAUNOI_ASSIGN_OR_RETURN(
            std::vector<std::string> ids,
            api::ParseResourceName(request->name(), kDocumentIndicatorsPattern, "name"));
        const absl::Time deadline = api::RequestDeadline(*context);
        CAUNOI_RETURN_IF_ERROR(
            directives_.ReadDocument(absl::StrCat("directives/", ids[0]), "name", deadline)
                .status());
        return indicator_store_.GetSet(ids[0], deadline);
      }(),
      response);
}

grpc::Status ReportsService::SetDocumentIndicators(grpc::ServerContext* context,
                                                   const v1::SetDocumentIndicatorsRequest* request,
                                                   v1::DocumentIndicators* response) {
  return resource::Reply(
      [&]() -> absl::StatusOr<v1::DocumentIndicators> {
        const v1::DocumentIndicators& set = request->document_indicators();
        CAUNOI_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                                api::ParseResourceName(set.name(), kDocumentIndicatorsPattern,
                                                       "document_indicators.name"));
        if (set.indicators_size() > kMaxSetSize) {
          return InvalidFieldError("document_indicators.indicators", "at most 200 indicators");
        }
        absl::flat_hash_set<std::string> seen;
        for (int i = 0; i < set.indicators_size(); ++i) {
          const std::string field =
              absl::StrCat("document_indicators.indicators[", i, "].indicator");
          const std::string& indicator = set.indicators(i).indicator();
          CAUNOI_RETURN_IF_ERROR(
              resource::ValidateReference(indicator, kIndicatorPattern, field, true));
          if (!seen.insert(indicator).second) {
            return InvalidFieldError(field, absl::StrCat(indicator, " is listed twice"));
          }
        }
        const absl::Time deadline = api::RequestDeadline(*context);
        const std::string document = absl::StrCat("directives/", ids[0]);
        CAUNOI_ASSIGN_OR_RETURN(
            v1::Document found,
            directives_.GetDocument(document, "document_indicators.name", deadline));
        // The form of a document's reports is its issuer's to set.
        const auth::DutyIssuer issuer{
            .locality_id = PlaceOf(found.current_locality(), found.commune()),
            .organization_id = std::string(api::ResourceId(found.issuing_organization()))};
        CAUNOI_RETURN_IF_ERROR(
            auth::CheckIssuer(*context, issuer, absl::StrCat("set the indicators of ", document)));
        CAUNOI_ASSIGN_OR_RETURN(resource::WriteRequest write,
                                resource::WriteRequestFrom(*context, "SetDocumentIndicators",
                                                           *request, request->request_id(), ""));
        return indicator_store_.SetSet(ids[0], set, write);
      }(),
      response);
}

grpc::Status ReportsService::SummarizeIndicators(grpc::ServerContext* context,
                                                 const v1::SummarizeIndicatorsRequest* request,
                                                 v1::SummarizeIndicatorsResponse* response) {
  return resource::Reply(
      [&]() -> absl::StatusOr<v1::SummarizeIndicatorsResponse> {
        if (request->documents().empty()) {
          return InvalidFieldError("documents", "name at least one document");
        }
        if (request->documents_size() > kMaxSummaryDocuments) {
          return InvalidFieldError("documents", "at most 1000 documents");
        }
        if (request->indicators_size() > kMaxSummaryIndicators) {
          return InvalidFieldError("indicators", "at most 200 indicators");
        }
        IndicatorQuery query;
        for (int i = 0; i < request->documents_size(); ++i) {
          CAUNOI_RETURN_IF_ERROR(resource::ValidateReference(
              request->documents(i), "directives/{}", absl::StrCat("documents[", i, "]"), true));
          query.document_ids.emplace_back(api::ResourceId(request->documents(i)));
        }
        for (int i = 0; i < request->indicators_size(); ++i) {
          const std::string code = IndicatorCode(request->indicators(i));
          CAUNOI_RETURN_IF_ERROR(
              resource::ValidateReference(absl::StrCat("indicators/", code), kIndicatorPattern,
                                          absl::StrCat("indicators[", i, "]"), true));
          query.codes.push_back(code);
        }
        CAUNOI_RETURN_IF_ERROR(resource::ValidateOptionalEnum(request->group_by(), "group_by"));
        query.today = api::TodayInVietnam();
        CAUNOI_ASSIGN_OR_RETURN(
            periods::PeriodRange range,
            periods::ParsePeriodRange(request->from_period(), request->to_period()));
        query.to = query.today;
        if (range.from) query.from = range.from->first;
        if (range.to) query.to = range.to->last;
        query.include_submitted = request->include_submitted();
        query.grouping = request->group_by();
        const absl::Time deadline = api::RequestDeadline(*context);
        CAUNOI_ASSIGN_OR_RETURN(query.locality_id, organizations_.CurrentLocalityIdIfNamed(
                                                       request->locality(), "locality", deadline));
        return indicator_store_.Summarize(query, deadline);
      }(),
      response);
}

}  // namespace caunoi::reports
