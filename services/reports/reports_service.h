#ifndef CAUNOI_SERVICES_REPORTS_REPORTS_SERVICE_H_
#define CAUNOI_SERVICES_REPORTS_REPORTS_SERVICE_H_

#include <span>

#include "absl/functional/function_ref.h"
#include "caunoi/v1/reports.grpc.pb.h"
#include "common/auth/duty.h"
#include "common/batch/batcher.h"
#include "common/client/directives_client.h"
#include "common/client/organizations_client.h"
#include "services/reports/report_filing.h"
#include "services/reports/reports_store.h"
#include "services/reports/summary_store.h"

namespace caunoi::reports {

// RPC handlers: validate, check documents and units with their services,
// ask the store, map the status once.
class ReportsService final : public v1::ReportService::Service {
 public:
  ReportsService(ReportsStore& store, SummaryStore& summaries, OrganizationsClient& organizations,
                 DirectivesClient& directives)
      : store_(store),
        summaries_(summaries),
        organizations_(organizations),
        directives_(directives),
        filings_(kFilingBatch, kFilingBatchesAtOnce,
                 [this](std::span<Filing* const> filings) { FileTogether(filings); }) {}

  grpc::Status GetObligation(grpc::ServerContext* context, const v1::GetObligationRequest* request,
                             v1::Obligation* response) override;
  grpc::Status ListObligations(grpc::ServerContext* context,
                               const v1::ListObligationsRequest* request,
                               v1::ListObligationsResponse* response) override;
  grpc::Status CreateObligation(grpc::ServerContext* context,
                                const v1::CreateObligationRequest* request,
                                v1::Obligation* response) override;
  grpc::Status UpdateObligation(grpc::ServerContext* context,
                                const v1::UpdateObligationRequest* request,
                                v1::Obligation* response) override;
  grpc::Status DeriveObligations(grpc::ServerContext* context,
                                 const v1::DeriveObligationsRequest* request,
                                 v1::DeriveObligationsResponse* response) override;
  grpc::Status DeleteObligation(grpc::ServerContext* context,
                                const v1::DeleteObligationRequest* request,
                                google::protobuf::Empty* response) override;
  grpc::Status GetReport(grpc::ServerContext* context, const v1::GetReportRequest* request,
                         v1::Report* response) override;
  grpc::Status ListReports(grpc::ServerContext* context, const v1::ListReportsRequest* request,
                           v1::ListReportsResponse* response) override;
  grpc::Status CreateReport(grpc::ServerContext* context, const v1::CreateReportRequest* request,
                            v1::Report* response) override;
  grpc::Status UpdateReport(grpc::ServerContext* context, const v1::UpdateReportRequest* request,
                            v1::Report* response) override;
  grpc::Status SubmitReport(grpc::ServerContext* context, const v1::SubmitReportRequest* request,
                            v1::Report* response) override;
  grpc::Status AcceptReport(grpc::ServerContext* context, const v1::ReviewReportRequest* request,
                            v1::Report* response) override;
  grpc::Status ReturnReport(grpc::ServerContext* context, const v1::ReviewReportRequest* request,
                            v1::Report* response) override;
  grpc::Status ReopenReport(grpc::ServerContext* context, const v1::ReviewReportRequest* request,
                            v1::Report* response) override;
  grpc::Status ExportReports(grpc::ServerContext* context, const v1::ExportReportsRequest* request,
                             grpc::ServerWriter<v1::Report>* writer) override;
  grpc::Status GetActivity(grpc::ServerContext* context, const v1::GetActivityRequest* request,
                           v1::Activity* response) override;
  grpc::Status ListActivities(grpc::ServerContext* context,
                              const v1::ListActivitiesRequest* request,
                              v1::ListActivitiesResponse* response) override;
  grpc::Status CreateActivity(grpc::ServerContext* context,
                              const v1::CreateActivityRequest* request,
                              v1::Activity* response) override;
  grpc::Status UpdateActivity(grpc::ServerContext* context,
                              const v1::UpdateActivityRequest* request,
                              v1::Activity* response) override;
  grpc::Status DeleteActivity(grpc::ServerContext* context,
                              const v1::DeleteActivityRequest* request,
                              google::protobuf::Empty* response) override;
  grpc::Status GetProposal(grpc::ServerContext* context, const v1::GetProposalRequest* request,
                           v1::Proposal* response) override;
  grpc::Status ListProposals(grpc::ServerContext* context, const v1::ListProposalsRequest* request,
                             v1::ListProposalsResponse* response) override;
  grpc::Status CreateProposal(grpc::ServerContext* context,
                              const v1::CreateProposalRequest* request,
                              v1::Proposal* response) override;
  grpc::Status UpdateProposal(grpc::ServerContext* context,
                              const v1::UpdateProposalRequest* request,
                              v1::Proposal* response) override;
  grpc::Status ListReportAuditRecords(grpc::ServerContext* context,
                                      const v1::ListReportAuditRecordsRequest* request,
                                      v1::ListReportAuditRecordsResponse* response) override;
  grpc::Status SummarizeCompliance(grpc::ServerContext* context,
                                   const v1::SummarizeComplianceRequest* request,
                                   v1::SummarizeComplianceResponse* response) override;
  grpc::Status SummarizeActivities(grpc::ServerContext* context,
                                   const v1::SummarizeActivitiesRequest* request,
                                   v1::SummarizeActivitiesResponse* response) override;
  grpc::Status SummarizeOpenProposals(grpc::ServerContext* context,
                                      const v1::SummarizeOpenProposalsRequest* request,
                                      v1::SummarizeOpenProposalsResponse* response) override;

 private:
  // Checks every reference `activity` makes in the fields `mask` writes,
  // and fills current_locality from its locality.
  absl::Status ResolveActivity(v1::Activity& activity, const google::protobuf::FieldMask& mask,
                               absl::Time deadline);
  absl::Status CheckProposal(const v1::Proposal& proposal, const google::protobuf::FieldMask& mask,
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
      const grpc::ServerContext& context, absl::string_view name,
      absl::FunctionRef<absl::Status(const v1::Obligation&, const auth::DutyIssuer&)> check);
  // PERMISSION_DENIED unless the caller may write the reporting unit's
  // records of the obligation that `name` belongs to.
  absl::Status CheckObligationWrite(const grpc::ServerContext& context, absl::string_view name);
  // ISSUER_ONLY unless the caller is the side that issued the duty `name`
  // belongs to: cadence, periods and timely days are theirs.
  absl::Status IssuerOnly(const grpc::ServerContext& context, absl::string_view name,
                          absl::string_view what);
  // REVIEWER_ONLY unless the caller may review the reports of that duty:
  // its issuer's side or the reviewer it names, never the reporting unit.
  absl::Status ReviewerOnly(const grpc::ServerContext& context, absl::string_view name,
                            absl::string_view what);
  // The same for the activity `name`, and for a proposal raised by
  // `raised_by` (central when empty; reads nothing for a call that names no
  // principal).
  absl::Status CheckActivityWrite(const grpc::ServerContext& context, absl::string_view name);
  absl::Status CheckProposalWrite(const grpc::ServerContext& context, absl::string_view raised_by);
  // Today's unit for a locality filter; NULL when `locality` is empty.
  absl::StatusOr<pg::Param> CurrentLocalityParam(absl::string_view locality, absl::Time deadline);
  absl::StatusOr<v1::Report> Move(grpc::ServerContext& context,
                                  const google::protobuf::Message& request,
                                  absl::string_view method, absl::string_view name,
                                  absl::string_view etag, absl::string_view comment,
                                  const Transition& transition);

  // Concurrent filings share a transaction and its commit, so their round
  // trips and durable commits are paid once per batch. Two batches at a
  // time let one gather while the other is written.
  static constexpr int kFilingBatch = 64;
  static constexpr int kFilingBatchesAtOnce = 2;
  // Files a batch, and each filing alone when the batch as a whole failed
  // (one filing's deadline or constraint must not fail the others).
  void FileTogether(std::span<Filing* const> filings);

  ReportsStore& store_;
  SummaryStore& summaries_;
  OrganizationsClient& organizations_;
  DirectivesClient& directives_;
  batch::Batcher<Filing> filings_;
};

}  // namespace caunoi::reports

#endif  // CAUNOI_SERVICES_REPORTS_REPORTS_SERVICE_H_
