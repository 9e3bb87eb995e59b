#ifndef CAUNOI_SERVICES_REPORTS_REPORTS_SERVICE_H_
#define CAUNOI_SERVICES_REPORTS_REPORTS_SERVICE_H_

#include "absl/functional/function_ref.h"
#include "caunoi/v1/reports.grpc.pb.h"
#include "common/auth/duty.h"
#include "common/changes/change_watch.h"
#include "common/client/directives_client.h"
#include "common/client/organizations_client.h"
#include "common/resource/standard_handlers.h"
#include "services/reports/alerts/alert_producer.h"
#include "services/reports/alerts/alert_store.h"
#include "services/reports/indicator_store.h"
#include "services/reports/reports_store.h"
#include "services/reports/summary_store.h"
#include "services/reports/webhooks/webhook_store.h"

namespace caunoi::reports {

// RPC handlers: validate, check documents and units with their services,
// authorize, ask the store once, reply. The standard methods are declared
// per resource (common/resource/standard_handlers.h); the others live in
// handlers/, one file a resource.
class ReportsService final
    : public v1::ReportService::WithCallbackMethod_WatchAlerts<
          v1::ReportService::WithCallbackMethod_WatchChanges<
              v1::ReportService::WithCallbackMethod_CreateReport<
                  v1::ReportService::WithStreamedUnaryMethod_SummarizeCompliance<
                      v1::ReportService::Service>>>> {
 public:
  // What the service needs besides its stores and the other services.
  struct Parts {
    changes::ChangeWatch& changes;
    AlertStore& alerts;
    AlertProducer& producer;
    WebhookStore& webhooks;
  };
  ReportsService(ReportsStore& store, SummaryStore& summaries, OrganizationsClient& organizations,
                 DirectivesClient& directives, Parts parts);

  CAUNOI_CHANGE_METHODS(changes_)

  CAUNOI_GET_METHOD(Obligation, obligations_)
  CAUNOI_LIST_METHOD(Obligations, obligations_)
  CAUNOI_CREATE_METHOD(Obligation, obligations_)
  CAUNOI_RPC(UpdateObligation, UpdateObligationRequest, Obligation)
  CAUNOI_DELETE_METHOD(Obligation, obligations_)
  CAUNOI_RPC(DeriveObligations, DeriveObligationsRequest, DeriveObligationsResponse)

  CAUNOI_GET_METHOD(Report, reports_)
  CAUNOI_LIST_METHOD(Reports, reports_)
  // Answered by the filing worker that writes it (ReportsStore::FileReport).
  grpc::ServerUnaryReactor* CreateReport(grpc::CallbackServerContext* context,
                                         const v1::CreateReportRequest* request,
                                         v1::Report* response) override;
  CAUNOI_UPDATE_METHOD(Report, reports_)
  CAUNOI_RPC(SubmitReport, SubmitReportRequest, Report)
  CAUNOI_RPC(AcceptReport, ReviewReportRequest, Report)
  CAUNOI_RPC(ReturnReport, ReviewReportRequest, Report)
  CAUNOI_RPC(ReopenReport, ReviewReportRequest, Report)
  grpc::Status ExportReports(grpc::ServerContext* context, const v1::ExportReportsRequest* request,
                             grpc::ServerWriter<v1::Report>* writer) override;

  CAUNOI_GET_METHOD(Activity, activities_)
  CAUNOI_LIST_METHOD(Activities, activities_)
  CAUNOI_CREATE_METHOD(Activity, activities_)
  CAUNOI_RPC(UpdateActivity, UpdateActivityRequest, Activity)
  CAUNOI_DELETE_METHOD(Activity, activities_)

  CAUNOI_GET_METHOD(Proposal, proposals_)
  CAUNOI_LIST_METHOD(Proposals, proposals_)
  CAUNOI_CREATE_METHOD(Proposal, proposals_)
  CAUNOI_UPDATE_METHOD(Proposal, proposals_)

  CAUNOI_STANDARD_METHODS(Indicator, Indicators, indicators_)
  CAUNOI_RPC(GetDocumentIndicators, GetDocumentIndicatorsRequest, DocumentIndicators)
  CAUNOI_RPC(SetDocumentIndicators, SetDocumentIndicatorsRequest, DocumentIndicators)
  CAUNOI_RPC(SummarizeIndicators, SummarizeIndicatorsRequest, SummarizeIndicatorsResponse)
  CAUNOI_RPC(ImportReports, ImportReportsRequest, ImportReportsResponse)
  grpc::Status ExportReportsCsv(grpc::ServerContext* context,
                                const v1::ExportReportsCsvRequest* request,
                                grpc::ServerWriter<v1::CsvChunk>* writer) override;
  grpc::Status ExportComplianceCsv(grpc::ServerContext* context,
                                   const v1::ExportComplianceCsvRequest* request,
                                   grpc::ServerWriter<v1::CsvChunk>* writer) override;

  CAUNOI_RPC(GetAlert, GetAlertRequest, Alert)
  CAUNOI_RPC(ListAlerts, ListAlertsRequest, ListAlertsResponse)
  grpc::ServerWriteReactor<v1::AlertEvent>* WatchAlerts(
      grpc::CallbackServerContext* context, const v1::WatchAlertsRequest* request) override;
  CAUNOI_RPC(AcknowledgeAlert, AcknowledgeAlertRequest, Alert)
  CAUNOI_RPC(GetAlertRules, GetAlertRulesRequest, AlertRules)
  CAUNOI_RPC(SetAlertRules, SetAlertRulesRequest, AlertRules)
  CAUNOI_RPC(ProduceAlerts, ProduceAlertsRequest, ProduceAlertsResponse)

  CAUNOI_RPC(CreateWebhook, CreateWebhookRequest, Webhook)
  CAUNOI_RPC(GetWebhook, GetWebhookRequest, Webhook)
  CAUNOI_RPC(ListWebhooks, ListWebhooksRequest, ListWebhooksResponse)
  grpc::Status DeleteWebhook(grpc::ServerContext* context, const v1::DeleteWebhookRequest* request,
                             google::protobuf::Empty* response) override;
  CAUNOI_RPC(ListDeliveries, ListDeliveriesRequest, ListDeliveriesResponse)

  CAUNOI_RPC(ListReportAuditRecords, ListReportAuditRecordsRequest, ListReportAuditRecordsResponse)
  // Its answer is made on an arena and written by the handler, so the
  // method is served as a streamed unary one.
  grpc::Status StreamedSummarizeCompliance(
      grpc::ServerContext* context,
      grpc::ServerUnaryStreamer<v1::SummarizeComplianceRequest, v1::SummarizeComplianceResponse>*
          streamer) override;
  CAUNOI_RPC(ListMissingReports, ListMissingReportsRequest, ListMissingReportsResponse)
  CAUNOI_RPC(SummarizeActivities, SummarizeActivitiesRequest, SummarizeActivitiesResponse)
  CAUNOI_RPC(SummarizeOpenProposals, SummarizeOpenProposalsRequest, SummarizeOpenProposalsResponse)

 private:
  // What the report and activity lists bind besides their filter: the
  // requested period range; the countries holding the filter's tier.
  static absl::StatusOr<resource::ListValues> PeriodRangeParams(
      const grpc::ServerContext& context, const google::protobuf::Message& request);
  absl::StatusOr<resource::ListValues> TierCountries(const grpc::ServerContext& context,
                                                     const google::protobuf::Message& request);
  // Checks every reference `activity` makes in the fields `mask` writes,
  // and fills current_locality from its locality.
  absl::Status ResolveActivity(v1::Activity& activity, const google::protobuf::FieldMask& mask,
                               absl::Time deadline);
  // Checks the organizations `proposal` names in the fields `mask` writes,
  // and fills assignee_locality from its assignee.
  absl::Status ResolveProposal(v1::Proposal& proposal, const google::protobuf::FieldMask& mask,
                               absl::Time deadline);
  // The document must exist and be issued before the first period ends;
  // the unit must exist, and its locality becomes the obligation's; a unit
  // of a locality the 2025 merger dissolved reports no later than the last
  // period begun before it. Returns the side that issued the duty.
  absl::StatusOr<auth::DutyIssuer> ResolveObligation(v1::Obligation& obligation,
                                                     absl::Time deadline);
  // The same for an update: the duty as it would be stored is ended so,
  // and `patch` and `mask` carry the end.
  absl::Status EndUpdatedWithItsUnit(const grpc::ServerContext& context, v1::Obligation& patch,
                                     google::protobuf::FieldMask& mask);
  // The side that issued `obligation`'s duty: its document's issuer and
  // the reviewer it names, asked of the services owning them.
  absl::StatusOr<auth::DutyIssuer> IssuerOf(const v1::Document& document,
                                            const v1::Obligation& obligation, absl::Time deadline);
  // Runs `check` on the obligation that `name` (the obligation or one of
  // its reports) belongs to and the side that issued it; reads nothing for
  // a call that names no principal (see resource::CheckOwnerWrite).
  absl::Status CheckDuty(
      const grpc::ServerContextBase& context, absl::string_view name,
      absl::FunctionRef<absl::Status(const v1::Obligation&, const auth::DutyIssuer&)> check);
  // PERMISSION_DENIED unless the caller may write the reporting unit's
  // records of the obligation that `name` belongs to.
  absl::Status CheckObligationWrite(const grpc::ServerContext& context, absl::string_view name);
  // ISSUER_ONLY unless the caller is the side that issued the duty `name`
  // belongs to: cadence, periods and timely days are theirs.
  absl::Status IssuerOnly(const grpc::ServerContextBase& context, absl::string_view name,
                          absl::string_view what);
  // A CreateReport request, validated, as the filing to queue.
  absl::StatusOr<Filing> FilingFrom(grpc::CallbackServerContext& context,
                                    const v1::CreateReportRequest& request);
  // REVIEWER_ONLY unless the caller may review the reports of that duty:
  // its issuer's side or the reviewer it names, never the reporting unit.
  absl::Status ReviewerOnly(const grpc::ServerContextBase& context, absl::string_view name,
                            absl::string_view what);
  // The same for the activity `name`, and for a proposal raised by
  // `raised_by` (central when empty; reads nothing for a call that names no
  // principal).
  absl::Status CheckActivityWrite(const grpc::ServerContext& context, absl::string_view name);
  absl::Status CheckProposalWrite(const grpc::ServerContext& context, absl::string_view raised_by);
  absl::StatusOr<v1::Report> Move(grpc::ServerContext& context,
                                  const google::protobuf::Message& request,
                                  absl::string_view method, absl::string_view name,
                                  absl::string_view etag, absl::string_view comment,
                                  const Transition& transition);

  ReportsStore& store_;
  SummaryStore& summaries_;
  OrganizationsClient& organizations_;
  DirectivesClient& directives_;
  changes::ChangeWatch& changes_;
  AlertStore& alerts_;
  AlertProducer& producer_;
  WebhookStore& webhooks_;
  const resource::StandardHandlers<v1::Obligation> obligations_;
  const resource::StandardHandlers<v1::Report> reports_;
  const resource::StandardHandlers<v1::Activity> activities_;
  const resource::StandardHandlers<v1::Proposal> proposals_;
  const resource::StandardHandlers<v1::Indicator> indicators_;
  IndicatorStore indicator_store_;
};

}  // namespace caunoi::reports

#endif  // CAUNOI_SERVICES_REPORTS_REPORTS_SERVICE_H_
