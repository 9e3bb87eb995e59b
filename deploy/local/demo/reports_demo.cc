#include "deploy/local/demo/reports_demo.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "common/api/dates.h"
#include "common/status/status_macros.h"
#include "deploy/local/demo/invoke.h"

namespace caunoi::demo {
namespace {

using Stub = v1::ReportService::Stub;

struct ActivitySeed {
  const char* key;
  const char* title;
  absl::CivilDay date;
  const char* organizer;  // organization key
  const char* locality;
  v1::ActivityKind kind;
  std::vector<const char*> partner_countries;
  std::vector<const char*> partners;   // partner keys
  std::vector<const char*> documents;  // document keys
};

// The activities the articles show. Where an article gives no date the
// seed uses the day the occasion falls on, as noted.
std::vector<ActivitySeed> ArticleActivities() {
  return {
      {"haufo-05-tt-tu-conference",
       "Hội nghị quán triệt Thông tri số 05-TT/TU; nói chuyện chuyên đề \"Bác Hồ với đối ngoại "
       "nhân dân\"",
       absl::CivilDay(2022, 5, 30),
       "haufo",
       "localities/01",
       v1::ACTIVITY_KIND_CONFERENCE,
       {},
       {},
       {"tt-05"}},
      // The article shows it without a date: India's Republic Day, 26
      // January, in the year before the article.
      {"hufo-india-national-day",
       "Kỷ niệm Quốc khánh Ấn Độ",
       absl::CivilDay(2021, 1, 26),
       "hufo",
       "localities/79",
       v1::ACTIVITY_KIND_CELEBRATION,
       {"countries/IN"},
       {"consulate-in-hcmc"},
       {"ct-38"}},
      // "thăm hỏi kiều bào về quê đón Tết nguyên đán 2019 do tỉnh tổ chức":
      // dated on the first day of that Tết.
      {"binh-dinh-overseas-vietnamese-tet-2019",
       "Lãnh đạo UBND tỉnh thăm hỏi kiều bào về quê đón Tết Nguyên đán 2019",
       absl::CivilDay(2019, 2, 5),
       "people-committee-binh-dinh",
       "localities/pre2025-52",
       v1::ACTIVITY_KIND_EXCHANGE,
       {},
       {},
       {}},
  };
}

absl::Status LoadActivities(Stub& stub, const std::map<std::string, std::string>& organizations,
                            const std::map<std::string, std::string>& documents) {
  for (const ActivitySeed& seed : ArticleActivities()) {
    v1::CreateActivityRequest request;
    request.set_request_id(absl::StrCat("demo:activity:", seed.key));
    v1::Activity& activity = *request.mutable_activity();
    activity.set_title(seed.title);
    *activity.mutable_start_date() = api::ToDate(seed.date);
    activity.set_organizer(organizations.at(seed.organizer));
    activity.set_locality(seed.locality);
    activity.set_kind(seed.kind);
    for (const char* country : seed.partner_countries) activity.add_partner_countries(country);
    for (const char* partner : seed.partners) {
      activity.add_partner_organizations(organizations.at(partner));
    }
    for (const char* document : seed.documents) activity.add_documents(documents.at(document));
    CAUNOI_RETURN_IF_ERROR(Invoke(stub, &Stub::CreateActivity, request).status());
  }
  return absl::OkStatus();
}

// The figures 12-CT/TW and Hanoi's 05-TT/TU ask of their reports.
constexpr const char* kDirectiveIndicators[] = {
    "dissemination_sessions", "dissemination_attendance", "cadres_trained", "delegations_received",
    "delegations_sent",       "new_partnerships",         "funds_vnd",
};

absl::Status SetIndicators(Stub& stub, const std::string& document) {
  v1::SetDocumentIndicatorsRequest request;
  request.mutable_document_indicators()->set_name(document + "/indicators");
  for (const char* code : kDirectiveIndicators) {
    request.mutable_document_indicators()->add_indicators()->set_indicator(
        std::string("indicators/") + code);
  }
  return Invoke(stub, &Stub::SetDocumentIndicators, request).status();
}

}  // namespace

absl::Status LoadReports(v1::ReportService::Stub& stub,
                         const std::map<std::string, std::string>& organizations,
                         const std::map<std::string, std::string>& documents) {
  for (const char* document : {"ct-12", "tt-05"}) {
    CAUNOI_RETURN_IF_ERROR(SetIndicators(stub, documents.at(document)));
  }
  CAUNOI_RETURN_IF_ERROR(LoadActivities(stub, organizations, documents));
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
