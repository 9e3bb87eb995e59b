#include "deploy/local/demo/reports_demo.h"

#include "common/api/dates.h"
#include "common/status/status_macros.h"
#include "deploy/local/demo/invoke.h"

namespace caunoi::demo {

absl::Status LoadReports(v1::ReportService::Stub& stub,
                         const std::map<std::string, std::string>& organizations,
                         const std::map<std::string, std::string>& documents) {
  using Stub = v1::ReportService::Stub;
  const std::string& haufo = organizations.at("haufo");

  v1::CreateObligationRequest duty;
  duty.set_request_id("demo:obligation:haufo:tt-05");
  duty.mutable_obligation()->set_document(documents.at("tt-05"));
  duty.mutable_obligation()->set_unit(haufo);
  duty.mutable_obligation()->set_cadence(v1::CADENCE_HALF_YEARLY);
  duty.mutable_obligation()->set_timely_days(15);
  duty.mutable_obligation()->set_first_period("2022-H1");
  CAUNOI_ASSIGN_OR_RETURN(v1::Obligation obligation, Invoke(stub, &Stub::CreateObligation, duty));

  v1::CreateReportRequest report;
  report.set_request_id("demo:report:haufo:tt-05:2022-H1");
  report.set_parent(obligation.name());
  report.mutable_report()->set_period("2022-H1");
  report.mutable_report()->set_summary(
      "Ngày 30/5/2022 tổ chức hội nghị quán triệt Thông tri số 05-TT/TU của Thành ủy; nghe nói "
      "chuyện chuyên đề \"Bác Hồ với đối ngoại nhân dân\".");
  report.mutable_report()->mutable_figures()->set_dissemination_sessions(1);
  report.mutable_report()->set_difficulties(
      "Một số khó khăn trong hoạt động của Liên hiệp và các hội thành viên.");
  CAUNOI_ASSIGN_OR_RETURN(v1::Report draft, Invoke(stub, &Stub::CreateReport, report));
  if (draft.state() == v1::REPORT_STATE_DRAFT) {
    v1::SubmitReportRequest submit;
    submit.set_name(draft.name());
    submit.set_etag(draft.etag());
    CAUNOI_RETURN_IF_ERROR(Invoke(stub, &Stub::SubmitReport, submit).status());
  }

  // "giao các sở, ngành chức năng nghiên cứu, đề xuất và giải quyết theo
  // thẩm quyền": the demo records the Department of Foreign Affairs.
  v1::CreateProposalRequest proposal;
  proposal.set_request_id("demo:proposal:haufo:2023-08-17");
  proposal.mutable_proposal()->set_text(
      "Đề xuất, kiến nghị giải pháp tháo gỡ khó khăn trong hoạt động của Liên hiệp và các hội "
      "thành viên; quan tâm đào tạo, bồi dưỡng cán bộ làm công tác đối ngoại nhân dân.");
  proposal.mutable_proposal()->set_raised_by(haufo);
  proposal.mutable_proposal()->set_raised_in(
      "Buổi làm việc với Phó Bí thư Thường trực Thành ủy Hà Nội ngày 17/8/2023");
  *proposal.mutable_proposal()->mutable_raised_date() = api::ToDate(absl::CivilDay(2023, 8, 17));
  proposal.mutable_proposal()->set_assignee(organizations.at("dept-foreign-affairs-hanoi"));
  proposal.mutable_proposal()->set_status(v1::PROPOSAL_STATUS_IN_PROGRESS);
  return Invoke(stub, &Stub::CreateProposal, proposal).status();
}

}  // namespace caunoi::demo
