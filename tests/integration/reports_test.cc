// The reports service through real servers (tests/integration/reports_fixture.h):
// duties, reports and their review, activities and proposals.
#include <atomic>
#include <thread>

#include "absl/strings/str_format.h"
#include "caunoi/v1/directives.grpc.pb.h"
#include "caunoi/v1/organizations.grpc.pb.h"
#include "caunoi/v1/reports.grpc.pb.h"
#include "common/api/dates.h"
#include "common/period/period.h"
#include "common/pg/connection.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "common/testing/error_details.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "tests/integration/reports_fixture.h"
#include "tests/support/issuers.h"
#include "tests/support/postgres_test.h"
#include "tests/support/rpc.h"
#include "tests/support/server_process.h"

namespace caunoi {
namespace {

using ::caunoi::testing::FieldOf;
using ::caunoi::testing::IsOk;
using ::caunoi::testing::StatusIs;
using ::testing::HasSubstr;
using Stub = v1::ReportService::Stub;

TEST_F(ReportsTest, ObligationsCheckDocumentUnitAndPeriods) {
  v1::Obligation obligation = Must(&Stub::CreateObligation, ObligationRequest("2022-H1"));
  EXPECT_EQ(obligation.locality(), "localities/01");
  EXPECT_EQ(obligation.document(), document_);

  v1::Obligation ignored;
  EXPECT_THAT(Call(&Stub::CreateObligation, ObligationRequest("2022-H1"), &ignored),
              StatusIs(absl::StatusCode::kAlreadyExists));
  // 2021-H2 ends before 12-CT/TW was issued on 2022-01-05.
  EXPECT_EQ(FieldOf(Call(&Stub::CreateObligation, ObligationRequest("2021-H2"), &ignored)),
            "obligation.first_period");
  EXPECT_EQ(FieldOf(Call(&Stub::CreateObligation, ObligationRequest("2022-Q5"), &ignored)),
            "obligation.first_period");
  EXPECT_EQ(FieldOf(Call(&Stub::CreateObligation, ObligationRequest("2022-Q1"), &ignored)),
            "obligation.first_period");
  v1::CreateObligationRequest unknown = ObligationRequest("2022-H1");
  unknown.mutable_obligation()->set_document("directives/4242");
  EXPECT_THAT(Call(&Stub::CreateObligation, unknown, &ignored),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("obligation.document")));

  v1::ListObligationsRequest list;
  list.set_filter("locality = \"localities/01\" AND document = \"" + document_ + "\"");
  EXPECT_EQ(Must(&Stub::ListObligations, list).obligations_size(), 1);
  v1::UpdateObligationRequest update;
  update.mutable_obligation()->set_name(obligation.name());
  update.mutable_obligation()->set_timely_days(30);
  update.mutable_update_mask()->add_paths("timely_days");
  EXPECT_EQ(Must(&Stub::UpdateObligation, update).timely_days(), 30);
  v1::GetObligationRequest get;
  get.set_name(obligation.name());
  EXPECT_EQ(Must(&Stub::GetObligation, get).first_period(), "2022-H1");
}

TEST_F(ReportsTest, TheWholeReviewWorkflow) {
  v1::Obligation obligation = Must(&Stub::CreateObligation, ObligationRequest("2022-H1"));
  v1::Report draft = Must(&Stub::CreateReport, ReportRequest(obligation, "2022-H1"));
  EXPECT_EQ(draft.state(), v1::REPORT_STATE_DRAFT);
  EXPECT_EQ(draft.due_date().month(), 7);
  EXPECT_EQ(draft.due_date().day(), 15);
  EXPECT_EQ(draft.timeliness(), v1::TIMELINESS_MISSING_OVERDUE);

  v1::ReviewReportRequest review;
  review.set_name(draft.name());
  v1::Report ignored;
  EXPECT_THAT(Call(&Stub::AcceptReport, review, &ignored),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("DRAFT")));

  v1::SubmitReportRequest submit;
  submit.set_name(draft.name());
  submit.set_etag(draft.etag());
  v1::Report submitted = Must(&Stub::SubmitReport, submit);
  EXPECT_EQ(submitted.state(), v1::REPORT_STATE_SUBMITTED);
  EXPECT_EQ(submitted.timeliness(), v1::TIMELINESS_LATE);  // submitted today, due in 2022
  EXPECT_TRUE(submitted.has_submitted_date());
  // The stale etag of the draft is refused.
  EXPECT_THAT(Call(&Stub::SubmitReport, submit, &ignored), StatusIs(absl::StatusCode::kAborted));

  EXPECT_EQ(FieldOf(Call(&Stub::ReturnReport, review, &ignored)), "comment");
  review.set_comment("Bổ sung số liệu cán bộ được bồi dưỡng");
  v1::Report returned = Must(&Stub::ReturnReport, review);
  EXPECT_EQ(returned.state(), v1::REPORT_STATE_RETURNED);
  EXPECT_EQ(returned.review_comment(), "Bổ sung số liệu cán bộ được bồi dưỡng");

  v1::UpdateReportRequest fix;
  fix.mutable_report()->set_name(draft.name());
  fix.mutable_report()->mutable_figures()->set_cadres_trained(150);
  fix.mutable_report()->mutable_figures()->set_dissemination_sessions(3);
  fix.mutable_update_mask()->add_paths("figures");
  EXPECT_EQ(Must(&Stub::UpdateReport, fix).figures().cadres_trained(), 150);
  submit.clear_etag();
  EXPECT_EQ(Must(&Stub::SubmitReport, submit).submitted_date().day(),
            submitted.submitted_date().day());  // the first submission counts

  review.clear_comment();
  v1::Report accepted = Must(&Stub::AcceptReport, review);
  EXPECT_EQ(accepted.state(), v1::REPORT_STATE_ACCEPTED);
  // Locked: no edits, no second acceptance.
  EXPECT_THAT(Call(&Stub::UpdateReport, fix, &ignored),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("ACCEPTED")));
  EXPECT_THAT(Call(&Stub::AcceptReport, review, &ignored),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  // Reopening needs a reason, and is audited with it.
  EXPECT_EQ(FieldOf(Call(&Stub::ReopenReport, review, &ignored)), "comment");
  review.set_comment("Sai số liệu đoàn ra, cần sửa");
  EXPECT_EQ(Must(&Stub::ReopenReport, review).state(), v1::REPORT_STATE_RETURNED);

  v1::ListReportAuditRecordsRequest audit;
  audit.set_resource(draft.name());
  v1::ListReportAuditRecordsResponse records = Must(&Stub::ListReportAuditRecords, audit);
  ASSERT_GE(records.audit_records_size(), 7);
  EXPECT_EQ(records.audit_records(0).reason(), "Sai số liệu đoàn ra, cần sửa");

  v1::ListReportsRequest list;
  list.set_parent("obligations/-");
  list.set_filter("state = RETURNED AND timeliness = LATE AND period = \"2022-H1\"");
  EXPECT_EQ(Must(&Stub::ListReports, list).reports_size(), 1);
  v1::GetReportRequest get;
  get.set_name(draft.name());
  EXPECT_EQ(Must(&Stub::GetReport, get).state(), v1::REPORT_STATE_RETURNED);
}

TEST_F(ReportsTest, OneReportPerPeriodAndRetriesCreateOne) {
  v1::Obligation obligation = Must(&Stub::CreateObligation, ObligationRequest("2022-H1"));
  v1::CreateReportRequest request = ReportRequest(obligation, "2022-H2");
  request.set_request_id("report-2022-h2");
  v1::Report first = Must(&Stub::CreateReport, request);
  EXPECT_EQ(Must(&Stub::CreateReport, request).name(), first.name());
  request.set_request_id("");
  v1::Report ignored;
  absl::Status duplicate = Call(&Stub::CreateReport, request, &ignored);
  EXPECT_THAT(duplicate, StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr(first.name())));

  EXPECT_EQ(FieldOf(Call(&Stub::CreateReport, ReportRequest(obligation, "2021-H2"), &ignored)),
            "report.period");
  EXPECT_EQ(FieldOf(Call(&Stub::CreateReport, ReportRequest(obligation, "2022-Q3"), &ignored)),
            "report.period");
  EXPECT_EQ(FieldOf(Call(&Stub::CreateReport, ReportRequest(obligation, "2022-H3"), &ignored)),
            "report.period");
  v1::CreateReportRequest negative = ReportRequest(obligation, "2023-H1");
  negative.mutable_report()->mutable_figures()->set_cadres_trained(-1);
  EXPECT_EQ(FieldOf(Call(&Stub::CreateReport, negative, &ignored)),
            "report.figures.cadres_trained");

  v1::ListReportsRequest list;
  list.set_parent(obligation.name());
  EXPECT_EQ(Must(&Stub::ListReports, list).reports_size(), 1);

  v1::DeleteObligationRequest remove;
  remove.set_name(obligation.name());
  google::protobuf::Empty empty;
  EXPECT_THAT(Call(&Stub::DeleteObligation, remove, &empty),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

// Filings that arrive together share a transaction: each still gets its
// own outcome, a retry racing its original gets the original's report, and
// of several filings for one period exactly one wins.
TEST_F(ReportsTest, ConcurrentFilingsEachGetTheirOwnOutcome) {
  v1::Obligation obligation = Must(&Stub::CreateObligation, ObligationRequest("2022-H1"));
  const std::vector<std::string> retried = {"2022-H1", "2022-H2", "2023-H1",
                                            "2023-H2", "2024-H1", "2024-H2"};
  constexpr int kContenders = 4;
  std::vector<v1::CreateReportRequest> requests;
  for (const std::string& period : retried) {
    v1::CreateReportRequest request = ReportRequest(obligation, period);
    request.set_request_id(absl::StrCat("filing-", period));
    requests.push_back(request);
    requests.push_back(request);  // the same request, retried at once
  }
  for (int i = 0; i < kContenders; ++i) {
    v1::CreateReportRequest request = ReportRequest(obligation, "2025-H1");
    request.set_request_id(absl::StrCat("contender-", i));
    requests.push_back(request);
  }
  std::vector<v1::Report> reports(requests.size());
  const std::vector<absl::Status> outcomes = FileAllAtOnce(requests, reports);

  for (size_t i = 0; i < retried.size() * 2; i += 2) {
    ASSERT_THAT(outcomes[i], IsOk());
    ASSERT_THAT(outcomes[i + 1], IsOk());
    EXPECT_EQ(reports[i].name(), reports[i + 1].name());
    EXPECT_EQ(reports[i].period(), requests[i].report().period());
  }
  std::string winner;
  int won = 0;
  for (size_t i = retried.size() * 2; i < requests.size(); ++i) {
    if (outcomes[i].ok()) {
      ++won;
      winner = reports[i].name();
    }
  }
  ASSERT_EQ(won, 1);
  for (size_t i = retried.size() * 2; i < requests.size(); ++i) {
    if (!outcomes[i].ok()) {
      EXPECT_THAT(outcomes[i], StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr(winner)));
    }
  }
  v1::ListReportsRequest list;
  list.set_parent(obligation.name());
  list.set_page_size(100);
  EXPECT_EQ(Must(&Stub::ListReports, list).reports_size(), static_cast<int>(retried.size()) + 1);
}

// More callers than the server's default pollers and the filing batches
// hold: every call is served (none is RESOURCE_EXHAUSTED for want of a
// thread), retries included.
TEST_F(ReportsTest, EightyFilingsAtOnceAreAllServed) {
  v1::CreateObligationRequest monthly = ObligationRequest("2022-01");
  monthly.mutable_obligation()->set_cadence(v1::CADENCE_MONTHLY);
  v1::Obligation obligation = Must(&Stub::CreateObligation, monthly);
  constexpr int kPeriods = 40;
  std::vector<v1::CreateReportRequest> requests;
  for (int month = 0; month < kPeriods; ++month) {
    v1::CreateReportRequest request =
        ReportRequest(obligation, absl::StrFormat("%04d-%02d", 2022 + month / 12, month % 12 + 1));
    request.set_request_id(absl::StrCat("monthly-", month));
    requests.push_back(request);
    requests.push_back(request);
  }
  std::vector<v1::Report> reports(requests.size());
  const std::vector<absl::Status> outcomes = FileAllAtOnce(requests, reports);
  for (size_t i = 0; i < requests.size(); i += 2) {
    ASSERT_THAT(outcomes[i], IsOk()) << requests[i].report().period();
    ASSERT_THAT(outcomes[i + 1], IsOk()) << requests[i].report().period();
    EXPECT_EQ(reports[i].name(), reports[i + 1].name());
  }
  v1::ListReportsRequest list;
  list.set_parent(obligation.name());
  list.set_page_size(100);
  EXPECT_EQ(Must(&Stub::ListReports, list).reports_size(), kPeriods);
}

TEST_F(ReportsTest, WithTheDirectivesServiceDownNothingIsWritten) {
  directives_->Signal(SIGKILL);
  ASSERT_THAT(directives_->WaitForExit(absl::Seconds(10)).status(), IsOk());
  v1::Obligation ignored;
  EXPECT_THAT(Call(&Stub::CreateObligation, ObligationRequest("2022-H1"), &ignored),
              StatusIs(absl::StatusCode::kUnavailable));
  v1::ListObligationsRequest list;
  EXPECT_EQ(Must(&Stub::ListObligations, list).obligations_size(), 0);
}

TEST_F(ReportsTest, ActivitiesCiteCheckedPartnersCountriesAndDocuments) {
  auto org_stub = v1::OrganizationService::NewStub(organizations_->NewChannel());
  v1::CreatePartnerRequest partner_request;
  partner_request.mutable_partner()->set_display_name("Hội hữu nghị Lào - Việt Nam");
  partner_request.mutable_partner()->set_kind(v1::PARTNER_KIND_FOREIGN_PEOPLES_ORGANIZATION);
  partner_request.mutable_partner()->set_country("countries/LA");
  v1::Partner partner;
  ASSERT_THAT(caunoi::testing::CallRpc(*org_stub, &v1::OrganizationService::Stub::CreatePartner,
                                       partner_request, &partner),
              IsOk());

  v1::CreateActivityRequest request;
  v1::Activity* activity = request.mutable_activity();
  activity->set_title("Kỷ niệm Quốc khánh nước CHDCND Lào");
  *activity->mutable_start_date() = api::ToDate(absl::CivilDay(2022, 12, 2));
  activity->set_organizer(unit_);
  activity->set_locality("localities/pre2025-74");
  activity->set_kind(v1::ACTIVITY_KIND_CELEBRATION);
  activity->add_partner_countries("countries/LA");
  activity->add_partner_organizations(partner.name());
  activity->add_documents(document_);
  activity->set_participants(200);
  v1::Activity created = Must(&Stub::CreateActivity, request);
  EXPECT_EQ(created.current_locality(), "localities/79");
  EXPECT_EQ(created.documents(0), document_);

  v1::ListActivitiesRequest list;
  list.set_filter(
      "title : \"quoc khanh lao\" AND partner_country = \"countries/LA\" AND "
      "locality = \"localities/79\" AND kind = CELEBRATION");
  EXPECT_EQ(Must(&Stub::ListActivities, list).activities_size(), 1);
  list.set_filter("document = \"" + document_ + "\"");
  EXPECT_EQ(Must(&Stub::ListActivities, list).activities_size(), 1);
  // A tier means the countries holding it today: Laos is an ASEAN member.
  list.set_filter("partner_country_tier = ASEAN_MEMBER");
  EXPECT_EQ(Must(&Stub::ListActivities, list).activities_size(), 1);
  list.set_filter("partner_country_tier = COMPREHENSIVE_STRATEGIC_PARTNER AND kind = CELEBRATION");
  EXPECT_EQ(Must(&Stub::ListActivities, list).activities_size(), 0);
  list.set_filter("partner_country_tier = FRIEND");
  v1::ListActivitiesResponse no_activities;
  EXPECT_EQ(FieldOf(Call(&Stub::ListActivities, list, &no_activities)), "filter");

  v1::UpdateActivityRequest update;
  update.mutable_activity()->set_name(created.name());
  update.mutable_activity()->set_participants(250);
  update.mutable_update_mask()->add_paths("participants");
  EXPECT_EQ(Must(&Stub::UpdateActivity, update).participants(), 250);
  v1::GetActivityRequest get;
  get.set_name(created.name());
  EXPECT_EQ(Must(&Stub::GetActivity, get).current_locality(), "localities/79");

  v1::Activity ignored;
  activity->clear_partner_countries();
  activity->add_partner_countries("countries/ZZ");
  EXPECT_THAT(Call(&Stub::CreateActivity, request, &ignored),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("activity.partner_countries[0]")));
  activity->clear_partner_countries();
  *activity->mutable_end_date() = api::ToDate(absl::CivilDay(2022, 12, 1));
  EXPECT_EQ(FieldOf(Call(&Stub::CreateActivity, request, &ignored)), "activity.end_date");
  activity->clear_end_date();
  activity->set_participants(-4);
  EXPECT_EQ(FieldOf(Call(&Stub::CreateActivity, request, &ignored)), "activity.participants");

  v1::SummarizeActivitiesRequest summary;
  summary.set_locality("localities/pre2025-74");  // resolved to today's 79
  const v1::SummarizeActivitiesResponse counts = Must(&Stub::SummarizeActivities, summary);
  ASSERT_EQ(counts.counts_size(), 1);
  EXPECT_EQ(counts.counts(0).locality(), "localities/79");
  EXPECT_EQ(counts.counts(0).kind(), v1::ACTIVITY_KIND_CELEBRATION);
  EXPECT_EQ(counts.counts(0).partner_country(), "countries/LA");
  EXPECT_EQ(counts.counts(0).activities(), 1);
  EXPECT_EQ(counts.counts(0).participants(), 250);
  *summary.mutable_from_date() = api::ToDate(absl::CivilDay(2023, 1, 1));
  EXPECT_EQ(Must(&Stub::SummarizeActivities, summary).counts_size(), 0);
  *summary.mutable_to_date() = api::ToDate(absl::CivilDay(2022, 1, 1));
  v1::SummarizeActivitiesResponse refused;
  EXPECT_EQ(FieldOf(Call(&Stub::SummarizeActivities, summary, &refused)), "to_date");

  v1::DeleteActivityRequest remove;
  remove.set_name(created.name());
  google::protobuf::Empty empty;
  EXPECT_THAT(Call(&Stub::DeleteActivity, remove, &empty), IsOk());
}

TEST_F(ReportsTest, ProposalsKeepTheirAssignmentHistoryUntilResolved) {
  auto org_stub = v1::OrganizationService::NewStub(organizations_->NewChannel());
  v1::CreateOrganizationRequest department;
  department.mutable_organization()->set_display_name("Sở Nội vụ thành phố Hà Nội");
  department.mutable_organization()->set_kind(v1::ORGANIZATION_KIND_DEPARTMENT);
  department.mutable_organization()->set_level(v1::ORGANIZATION_LEVEL_PROVINCIAL);
  department.mutable_organization()->set_locality("localities/01");
  v1::Organization home_affairs;
  ASSERT_THAT(
      caunoi::testing::CallRpc(*org_stub, &v1::OrganizationService::Stub::CreateOrganization,
                               department, &home_affairs),
      IsOk());

  v1::CreateProposalRequest request;
  request.mutable_proposal()->set_text(
      "Quan tâm đào tạo, bồi dưỡng ngoại ngữ cho cán bộ làm công tác đối ngoại nhân dân");
  request.mutable_proposal()->set_raised_by(unit_);
  request.mutable_proposal()->set_raised_in("buổi làm việc ngày 17/8/2023");
  *request.mutable_proposal()->mutable_raised_date() = api::ToDate(absl::CivilDay(2023, 8, 17));
  request.mutable_proposal()->set_assignee(unit_);
  v1::Proposal proposal = Must(&Stub::CreateProposal, request);
  EXPECT_EQ(proposal.status(), v1::PROPOSAL_STATUS_OPEN);
  EXPECT_EQ(proposal.age_days(), api::TodayInVietnam() - absl::CivilDay(2023, 8, 17));

  v1::UpdateProposalRequest reassign;
  reassign.mutable_proposal()->set_name(proposal.name());
  reassign.mutable_proposal()->set_assignee(home_affairs.name());
  reassign.mutable_update_mask()->add_paths("assignee");
  reassign.set_reason("giao các sở nghiên cứu, giải quyết theo thẩm quyền");
  v1::Proposal moved = Must(&Stub::UpdateProposal, reassign);
  ASSERT_EQ(moved.assignments_size(), 2);
  EXPECT_EQ(moved.assignments(0).assignee(), unit_);
  EXPECT_EQ(moved.assignments(1).assignee(), home_affairs.name());

  v1::ListProposalsRequest open;
  open.set_filter("assignee = \"" + home_affairs.name() + "\" AND status = OPEN");
  EXPECT_EQ(Must(&Stub::ListProposals, open).proposals_size(), 1);

  v1::SummarizeOpenProposalsRequest by_age;
  by_age.add_assignees(home_affairs.name());
  const v1::SummarizeOpenProposalsResponse aged = Must(&Stub::SummarizeOpenProposals, by_age);
  ASSERT_EQ(aged.counts_size(), 1);
  EXPECT_EQ(aged.counts(0).assignee(), home_affairs.name());
  EXPECT_EQ(aged.counts(0).min_age_days(), 366);  // raised in 2023
  EXPECT_EQ(aged.counts(0).max_age_days(), proposal.age_days());
  by_age.set_assignees(0, unit_);
  EXPECT_EQ(Must(&Stub::SummarizeOpenProposals, by_age).counts_size(), 0);
  by_age.set_assignees(0, "organisations/1");
  v1::SummarizeOpenProposalsResponse refused;
  EXPECT_EQ(FieldOf(Call(&Stub::SummarizeOpenProposals, by_age, &refused)), "assignees[0]");

  v1::UpdateProposalRequest resolve;
  resolve.mutable_proposal()->set_name(proposal.name());
  resolve.mutable_proposal()->set_status(v1::PROPOSAL_STATUS_RESOLVED);
  resolve.mutable_update_mask()->add_paths("status");
  v1::Proposal ignored;
  EXPECT_EQ(FieldOf(Call(&Stub::UpdateProposal, resolve, &ignored)), "proposal.resolved_date");
  *resolve.mutable_proposal()->mutable_resolved_date() = api::ToDate(absl::CivilDay(2024, 3, 1));
  resolve.mutable_proposal()->set_resolution_note("Đã mở lớp bồi dưỡng tiếng Anh");
  resolve.mutable_update_mask()->add_paths("resolved_date");
  resolve.mutable_update_mask()->add_paths("resolution_note");
  EXPECT_EQ(Must(&Stub::UpdateProposal, resolve).status(), v1::PROPOSAL_STATUS_RESOLVED);
  EXPECT_EQ(Must(&Stub::ListProposals, open).proposals_size(), 0);
  by_age.clear_assignees();
  EXPECT_EQ(Must(&Stub::SummarizeOpenProposals, by_age).counts_size(), 0);
  v1::GetProposalRequest get;
  get.set_name(proposal.name());
  EXPECT_EQ(Must(&Stub::GetProposal, get).assignments_size(), 2);

  request.mutable_proposal()->set_assignee("organizations/9999");
  EXPECT_THAT(Call(&Stub::CreateProposal, request, &ignored),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("proposal.assignee")));
}

TEST_F(ReportsTest, ExportStreamsEveryReportOfAPeriodRange) {
  v1::Obligation obligation = Must(&Stub::CreateObligation, ObligationRequest("2022-H1"));
  for (const char* period : {"2022-H1", "2022-H2", "2023-H1", "2023-H2"}) {
    Must(&Stub::CreateReport, ReportRequest(obligation, period));
  }
  auto export_range = [&](const std::string& from, const std::string& to,
                          const std::string& locality) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    v1::ExportReportsRequest request;
    request.set_from_period(from);
    request.set_to_period(to);
    request.set_locality(locality);
    auto stream = stub_->ExportReports(&context, request);
    std::vector<std::string> periods;
    v1::Report report;
    while (stream->Read(&report)) periods.push_back(report.period());
    EXPECT_TRUE(stream->Finish().ok());
    return periods;
  };
  EXPECT_THAT(export_range("2022-H2", "2023", ""),
              ::testing::ElementsAre("2022-H2", "2023-H1", "2023-H2"));
  EXPECT_THAT(export_range("2022", "2022", "localities/01"),
              ::testing::ElementsAre("2022-H1", "2022-H2"));
  EXPECT_THAT(export_range("2022", "2023", "localities/79"), ::testing::IsEmpty());

  // The same questions through ListReports: a period range, and filters on
  // the obligation's document, unit and locality (with lineage).
  v1::ListReportsRequest list;
  list.set_parent("obligations/-");
  list.set_from_period("2022-H2");
  list.set_to_period("2023");
  EXPECT_EQ(Must(&Stub::ListReports, list).reports_size(), 3);
  list.set_filter("document = \"" + document_ + "\" AND unit = \"" + unit_ +
                  "\" AND locality = \"localities/01\"");
  list.set_page_size(2);
  v1::ListReportsResponse first = Must(&Stub::ListReports, list);
  EXPECT_EQ(first.reports_size(), 2);
  ASSERT_FALSE(first.next_page_token().empty());
  v1::ListReportsResponse refused_page;
  list.set_page_token(first.next_page_token());
  list.set_to_period("2024");  // a token is good only for the range that made it
  EXPECT_EQ(FieldOf(Call(&Stub::ListReports, list, &refused_page)), "page_token");
  list.set_to_period("2023");
  EXPECT_EQ(Must(&Stub::ListReports, list).reports_size(), 1);
  list.clear_page_token();
  list.set_filter("locality = \"localities/79\"");
  EXPECT_EQ(Must(&Stub::ListReports, list).reports_size(), 0);
  list.set_to_period("2021");
  EXPECT_EQ(FieldOf(Call(&Stub::ListReports, list, &refused_page)), "to_period");

  grpc::ClientContext bad;
  v1::ExportReportsRequest backwards;
  backwards.set_from_period("2023");
  backwards.set_to_period("2022-Q1");
  auto refused = stub_->ExportReports(&bad, backwards);
  v1::Report ignored;
  while (refused->Read(&ignored)) {
  }
  EXPECT_EQ(refused->Finish().error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ReportsTest, ComplianceCountsExpectedOnTimeLateAndMissingPerPeriod) {
  const absl::CivilDay today = api::TodayInVietnam();
  const periods::Period current = periods::PeriodContaining(periods::PeriodKind::kHalfYear, today);
  const periods::Period previous =
      periods::PeriodContaining(periods::PeriodKind::kHalfYear, current.first - 1);
  v1::Obligation obligation = Must(&Stub::CreateObligation, ObligationRequest(previous.Label()));

  v1::SummarizeComplianceRequest request;
  request.add_documents(document_);
  v1::SummarizeComplianceResponse summary = Must(&Stub::SummarizeCompliance, request);
  EXPECT_EQ(summary.total().expected(), 2);
  EXPECT_EQ(summary.total().on_time() + summary.total().late(), 0);
  EXPECT_DOUBLE_EQ(summary.total().reporting_rate(), 0.0);

  for (const periods::Period& period : {previous, current}) {
    v1::SubmitReportRequest submit;
    submit.set_name(Must(&Stub::CreateReport, ReportRequest(obligation, period.Label())).name());
    Must(&Stub::SubmitReport, submit);
  }
  // Submitted today: the current half-year on time, the previous one late
  // unless today is still within its 15 timely days.
  const bool previous_on_time = today <= periods::DueDate(previous, 15);
  summary = Must(&Stub::SummarizeCompliance, request);
  ASSERT_EQ(summary.periods_size(), 2);
  EXPECT_EQ(summary.periods(0).period(), previous.Label());
  EXPECT_EQ(summary.periods(0).locality(), "localities/01");
  EXPECT_EQ(summary.periods(0).counts().late(), previous_on_time ? 0 : 1);
  EXPECT_EQ(summary.periods(1).counts().on_time(), 1);
  EXPECT_EQ(summary.total().expected(), 2);
  EXPECT_DOUBLE_EQ(summary.total().reporting_rate(), 1.0);
  ASSERT_EQ(summary.localities_size(), 1);
  EXPECT_EQ(summary.localities(0).counts().expected(), 2);

  // More timely days recount the previous half-year as on time.
  v1::UpdateObligationRequest update;
  update.mutable_obligation()->set_name(obligation.name());
  update.mutable_obligation()->set_timely_days(366);
  update.mutable_update_mask()->add_paths("timely_days");
  Must(&Stub::UpdateObligation, update);
  summary = Must(&Stub::SummarizeCompliance, request);
  EXPECT_EQ(summary.total().on_time(), 2);
  EXPECT_EQ(summary.total().late(), 0);
  EXPECT_DOUBLE_EQ(summary.total().on_time_rate(), 1.0);

  request.set_from_period(current.Label());
  EXPECT_EQ(Must(&Stub::SummarizeCompliance, request).total().expected(), 1);
  request.clear_from_period();
  request.set_locality("localities/79");
  EXPECT_EQ(Must(&Stub::SummarizeCompliance, request).periods_size(), 0);

  v1::SummarizeComplianceResponse ignored;
  v1::SummarizeComplianceRequest none;
  EXPECT_EQ(FieldOf(Call(&Stub::SummarizeCompliance, none, &ignored)), "documents");
  none.add_documents("directive/1");
  EXPECT_EQ(FieldOf(Call(&Stub::SummarizeCompliance, none, &ignored)), "documents[0]");
  none.set_documents(0, document_);
  none.set_from_period("2024-Q5");
  EXPECT_EQ(FieldOf(Call(&Stub::SummarizeCompliance, none, &ignored)), "from_period");
  none.set_from_period("2024");
  none.set_to_period("2023");
  EXPECT_EQ(FieldOf(Call(&Stub::SummarizeCompliance, none, &ignored)), "to_period");
  none.clear_to_period();
  none.set_locality("localities/99");
  EXPECT_THAT(Call(&Stub::SummarizeCompliance, none, &ignored),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(ReportsTest, AReportForAPeriodNotYetBegunIsRefused) {
  v1::Obligation obligation = Must(&Stub::CreateObligation, ObligationRequest("2022-H1"));
  const periods::Period next = periods::NextPeriod(
      periods::PeriodContaining(periods::PeriodKind::kHalfYear, api::TodayInVietnam()));
  v1::Report ignored;
  EXPECT_EQ(FieldOf(Call(&Stub::CreateReport, ReportRequest(obligation, next.Label()), &ignored)),
            "report.period");
}

TEST_F(ReportsTest, ObligationsAreDerivedFromTheDocumentsTasks) {
  auto org_stub = v1::OrganizationService::NewStub(organizations_->NewChannel());
  v1::CreateOrganizationRequest department;
  department.mutable_organization()->set_display_name("Sở Ngoại vụ thành phố Hà Nội");
  department.mutable_organization()->set_kind(v1::ORGANIZATION_KIND_DEPARTMENT);
  department.mutable_organization()->set_level(v1::ORGANIZATION_LEVEL_PROVINCIAL);
  department.mutable_organization()->set_locality("localities/01");
  v1::Organization foreign_affairs;
  ASSERT_THAT(
      caunoi::testing::CallRpc(*org_stub, &v1::OrganizationService::Stub::CreateOrganization,
                               department, &foreign_affairs),
      IsOk());
  auto directive_stub = v1::DirectiveService::NewStub(directives_->NewChannel());
  auto task = [&](const std::string& number, const std::string& lead,
                  const std::vector<std::string>& co_operators, v1::ReportingCadence cadence) {
    v1::CreateTaskRequest request;
    request.set_parent(document_);
    request.mutable_task()->set_number(number);
    request.mutable_task()->set_title("Tổ chức quán triệt, triển khai Chỉ thị");
    request.mutable_task()->set_lead(lead);
    for (const std::string& unit : co_operators) request.mutable_task()->add_co_operators(unit);
    *request.mutable_task()->mutable_due_date() = api::ToDate(absl::CivilDay(2022, 12, 31));
    request.mutable_task()->set_reporting_cadence(cadence);
    v1::Task created;
    ASSERT_THAT(caunoi::testing::CallRpc(*directive_stub, &v1::DirectiveService::Stub::CreateTask,
                                         request, &created),
                IsOk());
  };
  task("1", unit_, {}, v1::REPORTING_CADENCE_HALF_YEARLY);
  task("2", foreign_affairs.name(), {unit_}, v1::REPORTING_CADENCE_QUARTERLY);
  task("3", foreign_affairs.name(), {}, v1::REPORTING_CADENCE_UNSPECIFIED);

  v1::DeriveObligationsRequest derive;
  derive.set_document(document_);
  derive.set_timely_days(10);
  v1::DeriveObligationsResponse derived = Must(&Stub::DeriveObligations, derive);
  ASSERT_EQ(derived.created_size(), 2);
  EXPECT_EQ(derived.existing_size(), 0);
  for (const v1::Obligation& obligation : derived.created()) {
    // HAUFO owes reports for two tasks: the quarterly one sets its pace.
    EXPECT_EQ(obligation.cadence(), v1::CADENCE_QUARTERLY) << obligation.unit();
    EXPECT_EQ(obligation.first_period(), "2022-Q1");  // 12-CT/TW was issued on 2022-01-05
    EXPECT_EQ(obligation.timely_days(), 10);
    EXPECT_EQ(obligation.locality(), "localities/01");
  }
  // Repeating it creates nothing and finds both.
  v1::DeriveObligationsResponse again = Must(&Stub::DeriveObligations, derive);
  EXPECT_EQ(again.created_size(), 0);
  EXPECT_EQ(again.existing_size(), 2);

  v1::DeriveObligationsResponse ignored;
  derive.set_timely_days(400);
  EXPECT_EQ(FieldOf(Call(&Stub::DeriveObligations, derive, &ignored)), "timely_days");
  derive.set_timely_days(10);
  derive.set_document("directive/1");
  EXPECT_EQ(FieldOf(Call(&Stub::DeriveObligations, derive, &ignored)), "document");
  derive.set_document("directives/4242");
  EXPECT_THAT(Call(&Stub::DeriveObligations, derive, &ignored),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(ReportsTest, AReportFiledOnPaperIsRecordedAsSubmittedThatDay) {
  v1::Obligation obligation = Must(&Stub::CreateObligation, ObligationRequest("2022-H1"));
  v1::CreateReportRequest on_paper = ReportRequest(obligation, "2022-H1");
  on_paper.mutable_report()->set_state(v1::REPORT_STATE_ACCEPTED);  // output only: ignored
  *on_paper.mutable_submitted_on() = api::ToDate(absl::CivilDay(2022, 7, 10));
  v1::Report ignored;
  EXPECT_EQ(FieldOf(Call(&Stub::CreateReport, on_paper, &ignored)), "reason");
  on_paper.set_reason("Báo cáo giấy nhận ngày 10/7/2022");
  v1::Report recorded = Must(&Stub::CreateReport, on_paper);
  EXPECT_EQ(recorded.state(), v1::REPORT_STATE_SUBMITTED);
  EXPECT_EQ(recorded.timeliness(), v1::TIMELINESS_ON_TIME);  // due 2022-07-15
  EXPECT_EQ(recorded.submitted_date().day(), 10);

  v1::CreateReportRequest draft = ReportRequest(obligation, "2022-H2");
  draft.mutable_report()->set_state(v1::REPORT_STATE_ACCEPTED);
  EXPECT_EQ(Must(&Stub::CreateReport, draft).state(), v1::REPORT_STATE_DRAFT);

  v1::CreateReportRequest early = ReportRequest(obligation, "2023-H1");
  early.set_reason("Báo cáo giấy");
  *early.mutable_submitted_on() = api::ToDate(absl::CivilDay(2022, 12, 31));
  EXPECT_EQ(FieldOf(Call(&Stub::CreateReport, early, &ignored)), "submitted_on");
  *early.mutable_submitted_on() = api::ToDate(api::TodayInVietnam() + 1);
  EXPECT_EQ(FieldOf(Call(&Stub::CreateReport, early, &ignored)), "submitted_on");
  early.mutable_submitted_on()->set_month(13);
  EXPECT_EQ(FieldOf(Call(&Stub::CreateReport, early, &ignored)), "submitted_on.month");
}

// Open proposals held by a locality's organizations, counted from the
// assignee's locality each proposal keeps.
TEST_F(ReportsTest, AProposalKeepsItsAssigneesLocalityAndOlderOnesAreGivenIt) {
  auto org_stub = v1::OrganizationService::NewStub(organizations_->NewChannel());
  auto organization = [&](const std::string& display_name, const std::string& locality) {
    v1::CreateOrganizationRequest request;
    request.mutable_organization()->set_display_name(display_name);
    request.mutable_organization()->set_kind(v1::ORGANIZATION_KIND_DEPARTMENT);
    request.mutable_organization()->set_level(locality.empty() ? v1::ORGANIZATION_LEVEL_CENTRAL
                                                               : v1::ORGANIZATION_LEVEL_PROVINCIAL);
    request.mutable_organization()->set_locality(locality);
    return caunoi::testing::MustCallRpc(*org_stub,
                                        &v1::OrganizationService::Stub::CreateOrganization, request)
        .name();
  };
  const std::string binh_duong =
      organization("Sở Ngoại vụ tỉnh Bình Dương", "localities/pre2025-74");
  const std::string central = organization("Ban Đối ngoại Trung ương", "");
  auto propose = [&](const std::string& assignee) {
    v1::CreateProposalRequest request;
    request.mutable_proposal()->set_text("Bố trí kinh phí cho hoạt động đối ngoại nhân dân");
    request.mutable_proposal()->set_raised_by(unit_);
    *request.mutable_proposal()->mutable_raised_date() = api::ToDate(absl::CivilDay(2025, 9, 1));
    request.mutable_proposal()->set_assignee(assignee);
    // What the caller says of it is not taken.
    request.mutable_proposal()->set_assignee_locality("localities/48");
    return Must(&Stub::CreateProposal, request);
  };
  const v1::Proposal in_hanoi = propose(unit_);
  EXPECT_EQ(in_hanoi.assignee_locality(), "localities/01");
  EXPECT_EQ(propose(binh_duong).assignee_locality(), "localities/79");
  EXPECT_EQ(propose(central).assignee_locality(), "");

  v1::UpdateProposalRequest reassign;
  reassign.mutable_proposal()->set_name(in_hanoi.name());
  reassign.mutable_proposal()->set_assignee(binh_duong);
  reassign.mutable_update_mask()->add_paths("assignee");
  EXPECT_EQ(Must(&Stub::UpdateProposal, reassign).assignee_locality(), "localities/79");
  reassign.mutable_update_mask()->add_paths("assignee_locality");
  v1::Proposal refused;
  EXPECT_EQ(FieldOf(Call(&Stub::UpdateProposal, reassign, &refused)), "update_mask");

  auto open_in = [&](const std::string& locality) {
    v1::SummarizeOpenProposalsRequest request;
    request.set_locality(locality);
    const v1::SummarizeOpenProposalsResponse summary = Must(&Stub::SummarizeOpenProposals, request);
    int64_t proposals = 0;
    for (const auto& count : summary.counts()) proposals += count.proposals();
    return proposals;
  };
  EXPECT_EQ(open_in("localities/79"), 2);
  EXPECT_EQ(open_in("localities/pre2025-74"), 2);  // its unit of today's
  EXPECT_EQ(open_in("localities/01"), 0);
  EXPECT_EQ(open_in(""), 3);
  v1::SummarizeOpenProposalsRequest unknown;
  unknown.set_locality("localities/99");
  v1::SummarizeOpenProposalsResponse none;
  EXPECT_EQ(FieldOf(Call(&Stub::SummarizeOpenProposals, unknown, &none)), "locality");

  // Proposals assigned before they kept it are given it by the next server.
  {
    auto connection = Connect("reports-test");
    ASSERT_NE(connection, nullptr);
    ASSERT_THAT(
        connection->ExecuteScript("UPDATE reports.proposals SET assignee_locality_id = NULL")
            .status(),
        IsOk());
  }
  EXPECT_EQ(open_in("localities/79"), 0);
  ASSERT_NO_FATAL_FAILURE(RestartReports());
  for (int i = 0; i < 100 && open_in("localities/79") < 2; ++i) {
    absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_EQ(open_in("localities/79"), 2);
  v1::GetProposalRequest get;
  get.set_name(in_hanoi.name());
  EXPECT_EQ(Must(&Stub::GetProposal, get).assignee_locality(), "localities/79");
  EXPECT_EQ(open_in(""), 3);
}

TEST_F(ReportsTest, ADutyRecordedBeforeUnitsKeptTheirLocalityIsEndedByTheServer) {
  // A unit of old Long An, whose duty was recorded open-ended before
  // obligations kept their unit's locality.
  auto org_stub = v1::OrganizationService::NewStub(organizations_->NewChannel());
  v1::CreateOrganizationRequest long_an;
  long_an.mutable_organization()->set_display_name("Liên hiệp hữu nghị tỉnh Long An");
  long_an.mutable_organization()->set_kind(v1::ORGANIZATION_KIND_FRIENDSHIP_UNION);
  long_an.mutable_organization()->set_level(v1::ORGANIZATION_LEVEL_PROVINCIAL);
  long_an.mutable_organization()->set_locality("localities/pre2025-80");
  v1::Organization unit = caunoi::testing::MustCallRpc(
      *org_stub, &v1::OrganizationService::Stub::CreateOrganization, long_an);
  v1::CreateObligationRequest duty = ObligationRequest("2022-H1");
  duty.mutable_obligation()->set_unit(unit.name());
  v1::Obligation obligation = Must(&Stub::CreateObligation, duty);
  ASSERT_EQ(obligation.last_period(), "2025-H1");
  // And a central body's duty: its unit has no locality, so there is
  // nothing to settle, and the server must not rewrite it pass after pass.
  v1::CreateOrganizationRequest central;
  central.mutable_organization()->set_display_name("Hội hữu nghị Việt Nam - Lào");
  central.mutable_organization()->set_kind(v1::ORGANIZATION_KIND_FRIENDSHIP_ASSOCIATION);
  central.mutable_organization()->set_level(v1::ORGANIZATION_LEVEL_CENTRAL);
  v1::CreateObligationRequest central_duty = ObligationRequest("2022-H1");
  central_duty.mutable_obligation()->set_unit(
      caunoi::testing::MustCallRpc(*org_stub, &v1::OrganizationService::Stub::CreateOrganization,
                                   central)
          .name());
  const v1::Obligation unsettled = Must(&Stub::CreateObligation, central_duty);
  ASSERT_EQ(unsettled.unit_locality(), "");
  {
    auto connection = Connect("reports-test");
    ASSERT_NE(connection, nullptr);
    ASSERT_THAT(connection
                    ->ExecuteScript("UPDATE reports.obligations SET unit_locality_id = NULL,"
                                    " last_period = NULL, last_day = NULL")
                    .status(),
                IsOk());
  }
  // The next server settles it by itself, with an audit record.
  ASSERT_NO_FATAL_FAILURE(RestartReports());
  v1::GetObligationRequest get;
  get.set_name(obligation.name());
  v1::Obligation settled;
  for (int i = 0; i < 100 && settled.last_period().empty(); ++i) {
    absl::SleepFor(absl::Milliseconds(100));
    settled = Must(&Stub::GetObligation, get);
  }
  EXPECT_EQ(settled.last_period(), "2025-H1");
  EXPECT_EQ(settled.unit_locality(), "localities/pre2025-80");
  absl::SleepFor(absl::Seconds(2));  // more passes than one, were it to loop
  v1::ListReportAuditRecordsRequest audit;
  audit.set_actor("reports-server");
  v1::ListReportAuditRecordsResponse records = Must(&Stub::ListReportAuditRecords, audit);
  ASSERT_EQ(records.audit_records_size(), 1);
  EXPECT_EQ(records.audit_records(0).resource(), obligation.name());
  EXPECT_THAT(records.audit_records(0).changed_fields(),
              ::testing::UnorderedElementsAre("unit_locality", "last_period"));
}

}  // namespace
}  // namespace caunoi
