// Rates the centre can trust, tried through the gateway as provincial
// systems would: the issuer reviews and sets the clock, the reporting side
// cannot grade itself, the 2025 merger ends duties by itself, and text
// cannot deceive.
#include "common/api/dates.h"
#include "common/status/errors.h"
#include "common/testing/error_details.h"
#include "tests/e2e/gateway_fixture.h"
#include "tests/support/issuers.h"

namespace caunoi {
namespace {

using ::caunoi::testing::IsOk;
using ::caunoi::testing::ReasonOf;
using ::caunoi::testing::StatusIs;
using ::testing::HasSubstr;
using ReportStub = v1::ReportService;

class TrustTest : public GatewayTest {
 protected:
  template <typename Request, typename Response>
  absl::Status Ask(const std::string& token,
                   grpc::Status (ReportStub::Stub::*method)(grpc::ClientContext*, const Request&,
                                                            Response*),
                   const Request& request, Response* response) {
    return Call<ReportStub>(gateway_->NewChannel(), token, method, request, response);
  }

  v1::Organization CreateUnit(const std::string& display_name, const std::string& locality) {
    v1::CreateOrganizationRequest request;
    request.mutable_organization()->set_display_name(display_name);
    request.mutable_organization()->set_kind(v1::ORGANIZATION_KIND_FRIENDSHIP_UNION);
    request.mutable_organization()->set_level(v1::ORGANIZATION_LEVEL_PROVINCIAL);
    request.mutable_organization()->set_locality(locality);
    v1::Organization created;
    EXPECT_THAT(Call<v1::OrganizationService>(gateway_->NewChannel(), kCentral,
                                              &v1::OrganizationService::Stub::CreateOrganization,
                                              request, &created),
                IsOk());
    return created;
  }

  std::string CreateCentralDirective(const std::string& symbol, absl::CivilDay issued) {
    v1::CreateDocumentRequest request;
    request.mutable_document()->set_symbol(symbol);
    request.mutable_document()->set_issuing_body("Ban Bí thư");
    request.mutable_document()->set_issuing_organization(CentralIssuer());
    request.mutable_document()->set_level(v1::DOCUMENT_LEVEL_CENTRAL);
    *request.mutable_document()->mutable_issue_date() = api::ToDate(issued);
    request.mutable_document()->set_title("Chỉ thị về công tác đối ngoại nhân dân");
    v1::Document document;
    EXPECT_THAT(
        Call<v1::DirectiveService>(gateway_->NewChannel(), kCentral,
                                   &v1::DirectiveService::Stub::CreateDocument, request, &document),
        IsOk());
    return document.name();
  }

  // The demo's Thành ủy Hà Nội, issuer of 05-TT/TU.
  std::string HanoiPartyCommittee() { return DemoDocument("05-TT/TU").issuing_organization(); }

  v1::ComplianceCounts Compliance(const std::string& document, const std::string& locality) {
    v1::SummarizeComplianceRequest request;
    request.add_documents(document);
    request.set_locality(locality);
    request.set_from_period("2022");
    request.set_to_period("2026");
    v1::SummarizeComplianceResponse response;
    EXPECT_THAT(Ask(kReader, &ReportStub::Stub::SummarizeCompliance, request, &response), IsOk());
    return response.total();
  }

  static v1::CreateObligationRequest HalfYearly(const std::string& document,
                                                const std::string& unit,
                                                const std::string& first_period) {
    v1::CreateObligationRequest request;
    request.mutable_obligation()->set_document(document);
    request.mutable_obligation()->set_unit(unit);
    request.mutable_obligation()->set_cadence(v1::CADENCE_HALF_YEARLY);
    request.mutable_obligation()->set_timely_days(15);
    request.mutable_obligation()->set_first_period(first_period);
    return request;
  }

  static v1::CreateReportRequest Filing(const std::string& obligation, const std::string& period) {
    v1::CreateReportRequest request;
    request.set_parent(obligation);
    request.mutable_report()->set_period(period);
    request.mutable_report()->set_summary("Báo cáo kết quả thực hiện " + period);
    return request;
  }
};

TEST_F(TrustTest, TheIssuerReviewsAndSetsTheClockNeverTheReporter) {
  const std::string directive = CreateCentralDirective("78-CT/TW", absl::CivilDay(2022, 1, 5));
  ASSERT_FALSE(directive.empty());
  v1::Obligation obligation;
  v1::CreateObligationRequest duty = HalfYearly(directive, kHaufoName, "2022-H1");
  for (const char* reporting_side : {kHanoi, kHaufo}) {
    absl::Status refused =
        Ask(reporting_side, &ReportStub::Stub::CreateObligation, duty, &obligation);
    EXPECT_THAT(refused, StatusIs(absl::StatusCode::kPermissionDenied)) << reporting_side;
    EXPECT_EQ(ReasonOf(refused), "ISSUER_ONLY") << reporting_side;
  }
  ASSERT_THAT(Ask(kCentral, &ReportStub::Stub::CreateObligation, duty, &obligation), IsOk());

  // HAUFO files and submits its own report; the server dates it today.
  v1::Report report;
  ASSERT_THAT(
      Ask(kHaufo, &ReportStub::Stub::CreateReport, Filing(obligation.name(), "2022-H1"), &report),
      IsOk());
  v1::SubmitReportRequest submit;
  submit.set_name(report.name());
  ASSERT_THAT(Ask(kHaufo, &ReportStub::Stub::SubmitReport, submit, &report), IsOk());
  EXPECT_EQ(report.timeliness(), v1::TIMELINESS_LATE);
  EXPECT_EQ(api::ToCivilDayUnchecked(report.submitted_date()), api::TodayInVietnam());
  const v1::ComplianceCounts before = Compliance(directive, "localities/01");
  EXPECT_GE(before.late(), 1);

  // Every write the reporting side might try on its own duty and report,
  // short of filing a real one, is refused, with its reason.
  v1::UpdateObligationRequest longer_grace;
  longer_grace.mutable_obligation()->set_name(obligation.name());
  longer_grace.mutable_obligation()->set_timely_days(366);
  longer_grace.mutable_update_mask()->add_paths("timely_days");
  v1::UpdateObligationRequest later_start = longer_grace;
  later_start.mutable_obligation()->set_first_period("2023-H1");
  later_start.mutable_update_mask()->set_paths(0, "first_period");
  v1::DeleteObligationRequest drop;
  drop.set_name(obligation.name());
  v1::CreateReportRequest backdated = Filing(obligation.name(), "2022-H2");
  *backdated.mutable_submitted_on() = api::ToDate(absl::CivilDay(2023, 1, 2));
  backdated.set_reason("nộp bản giấy");
  v1::ReviewReportRequest review;
  review.set_name(report.name());
  review.set_comment("Đã xem");
  for (const char* reporting_side : {kHanoi, kHaufo}) {
    SCOPED_TRACE(reporting_side);
    v1::Obligation ignored;
    v1::Report no_report;
    google::protobuf::Empty empty;
    for (const auto& request : {longer_grace, later_start}) {
      absl::Status status =
          Ask(reporting_side, &ReportStub::Stub::UpdateObligation, request, &ignored);
      EXPECT_THAT(status, StatusIs(absl::StatusCode::kPermissionDenied));
      EXPECT_EQ(ReasonOf(status), "ISSUER_ONLY");
    }
    absl::Status deleted = Ask(reporting_side, &ReportStub::Stub::DeleteObligation, drop, &empty);
    EXPECT_EQ(ReasonOf(deleted), "ISSUER_ONLY");
    absl::Status on_paper =
        Ask(reporting_side, &ReportStub::Stub::CreateReport, backdated, &no_report);
    EXPECT_THAT(on_paper, StatusIs(absl::StatusCode::kPermissionDenied));
    EXPECT_EQ(ReasonOf(on_paper), "REVIEWER_ONLY");
    for (auto method : {&ReportStub::Stub::AcceptReport, &ReportStub::Stub::ReturnReport}) {
      absl::Status status = Ask(reporting_side, method, review, &no_report);
      EXPECT_THAT(status, StatusIs(absl::StatusCode::kPermissionDenied));
      EXPECT_EQ(ReasonOf(status), "REVIEWER_ONLY");
    }
  }
  // A task of the directive would bind a Hanoi department: deriving that
  // duty is the issuer's too.
  v1::CreateTaskRequest task;
  task.set_parent(directive);
  task.mutable_task()->set_number("1");
  task.mutable_task()->set_title("Báo cáo định kỳ kết quả thực hiện");
  task.mutable_task()->set_lead(CreateUnit("Sở Ngoại vụ thành phố Hà Nội", "localities/01").name());
  task.mutable_task()->set_phase(v1::TASK_PHASE_LONG_TERM);
  task.mutable_task()->set_reporting_cadence(v1::REPORTING_CADENCE_HALF_YEARLY);
  v1::Task created_task;
  ASSERT_THAT(
      Call<v1::DirectiveService>(gateway_->NewChannel(), kCentral,
                                 &v1::DirectiveService::Stub::CreateTask, task, &created_task),
      IsOk());
  v1::DeriveObligationsRequest derive;
  derive.set_document(directive);
  derive.set_timely_days(366);
  v1::DeriveObligationsResponse derived;
  absl::Status derived_status = Ask(kHanoi, &ReportStub::Stub::DeriveObligations, derive, &derived);
  EXPECT_EQ(ReasonOf(derived_status), "ISSUER_ONLY");
  v1::UpdateReportRequest edit;
  edit.mutable_report()->set_name(report.name());
  edit.mutable_report()->set_summary("Sửa sau khi nộp");
  edit.mutable_update_mask()->add_paths("summary");
  v1::Report edited;
  EXPECT_THAT(Ask(kHaufo, &ReportStub::Stub::UpdateReport, edit, &edited),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  // A unit writes only its own organization's records.
  v1::UpdateOrganizationRequest rename;
  rename.mutable_organization()->set_name(kHaufoName);
  rename.mutable_organization()->set_english_name("HAUFO");
  rename.mutable_update_mask()->add_paths("english_name");
  v1::Organization renamed;
  absl::Status registry = Call<v1::OrganizationService>(
      gateway_->NewChannel(), kHaufo, &v1::OrganizationService::Stub::UpdateOrganization, rename,
      &renamed);
  EXPECT_EQ(ReasonOf(registry), "WRITE_NOT_ALLOWED");
  const v1::ComplianceCounts after = Compliance(directive, "localities/01");
  EXPECT_EQ(after.SerializeAsString(), before.SerializeAsString());

  // The centre, which issued 12-CT/TW, reviews: accepts, then reopens.
  ASSERT_THAT(Ask(kCentral, &ReportStub::Stub::AcceptReport, review, &report), IsOk());
  EXPECT_EQ(report.state(), v1::REPORT_STATE_ACCEPTED);
  absl::Status reopen = Ask(kHanoi, &ReportStub::Stub::ReopenReport, review, &report);
  EXPECT_EQ(ReasonOf(reopen), "REVIEWER_ONLY");
  ASSERT_THAT(Ask(kCentral, &ReportStub::Stub::ReopenReport, review, &report), IsOk());
  EXPECT_EQ(report.state(), v1::REPORT_STATE_RETURNED);
  // A report on paper is the reviewing side's to record, with a reason.
  v1::Report recorded;
  v1::CreateReportRequest no_reason = backdated;
  no_reason.clear_reason();
  EXPECT_THAT(Ask(kCentral, &ReportStub::Stub::CreateReport, no_reason, &recorded),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("reason")));
  ASSERT_THAT(Ask(kCentral, &ReportStub::Stub::CreateReport, backdated, &recorded), IsOk());
  EXPECT_EQ(recorded.timeliness(), v1::TIMELINESS_ON_TIME);

  // The issuer changes the clock, and the tallies recount: without grace
  // the paper report of 2 January for 2022-H2 turns late.
  const v1::ComplianceCounts recorded_counts = Compliance(directive, "localities/01");
  EXPECT_EQ(recorded_counts.on_time(), after.on_time() + 1);
  v1::UpdateObligationRequest no_grace = longer_grace;
  no_grace.mutable_obligation()->set_timely_days(0);
  v1::Obligation stricter;
  ASSERT_THAT(Ask(kCentral, &ReportStub::Stub::UpdateObligation, no_grace, &stricter), IsOk());
  const v1::ComplianceCounts recounted = Compliance(directive, "localities/01");
  EXPECT_EQ(recounted.on_time(), recorded_counts.on_time() - 1);
  EXPECT_EQ(recounted.late(), recorded_counts.late() + 1);
  // Each change of a timeliness input is audited with who made it.
  v1::ListReportAuditRecordsRequest audit;
  audit.set_resource(obligation.name());
  v1::ListReportAuditRecordsResponse records;
  ASSERT_THAT(Ask(kReader, &ReportStub::Stub::ListReportAuditRecords, audit, &records), IsOk());
  ASSERT_GE(records.audit_records_size(), 2);
  EXPECT_EQ(records.audit_records(records.audit_records_size() - 1).actor(),
            "ban-doi-ngoai-trung-uong");
  // Across the service: who changed what, by actor, locality and time.
  v1::ListReportAuditRecordsRequest by_actor;
  by_actor.set_actor("ban-doi-ngoai-trung-uong");
  *by_actor.mutable_start_time() = records.audit_records(0).time();
  ASSERT_THAT(Ask(kReader, &ReportStub::Stub::ListReportAuditRecords, by_actor, &records), IsOk());
  ASSERT_GE(records.audit_records_size(), 1);
  EXPECT_EQ(records.audit_records(0).resource(), obligation.name());  // newest first
  for (const v1::AuditRecord& record : records.audit_records()) {
    EXPECT_EQ(record.actor(), "ban-doi-ngoai-trung-uong");
  }
  v1::ListReportAuditRecordsRequest by_locality;
  by_locality.set_locality("localities/01");
  ASSERT_THAT(Ask(kReader, &ReportStub::Stub::ListReportAuditRecords, by_locality, &records),
              IsOk());
  ASSERT_GE(records.audit_records_size(), 2);  // HAUFO's filing and submission
  for (const v1::AuditRecord& record : records.audit_records()) {
    EXPECT_EQ(record.actor_locality(), "localities/01");
  }
  by_locality.mutable_end_time()->set_seconds(by_actor.start_time().seconds() - 86400);
  *by_locality.mutable_start_time() = by_actor.start_time();
  EXPECT_THAT(Ask(kReader, &ReportStub::Stub::ListReportAuditRecords, by_locality, &records),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("end_time")));
}

TEST_F(TrustTest, AProvinceReviewsReportsOnItsOwnDocumentAndAUnitNeverItsOwn) {
  // Obligation 1 of the demo: HAUFO reports half-yearly on Hanoi's 05-TT/TU.
  v1::Report report;
  ASSERT_THAT(
      Ask(kHaufo, &ReportStub::Stub::CreateReport, Filing("obligations/1", "2026-H2"), &report),
      IsOk());
  EXPECT_EQ(report.name(), "obligations/1/reports/267");  // as the README shows
  v1::SubmitReportRequest submit;
  submit.set_name(report.name());
  ASSERT_THAT(Ask(kHaufo, &ReportStub::Stub::SubmitReport, submit, &report), IsOk());
  v1::ReviewReportRequest review;
  review.set_name(report.name());
  absl::Status reader = Ask(kReader, &ReportStub::Stub::AcceptReport, review, &report);
  EXPECT_EQ(ReasonOf(reader), "ROLE_READS_ONLY");
  absl::Status own = Ask(kHaufo, &ReportStub::Stub::AcceptReport, review, &report);
  EXPECT_THAT(own, StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("own reports")));
  EXPECT_EQ(ReasonOf(own), "REVIEWER_ONLY");
  absl::Status elsewhere = Ask(kHoChiMinhCity, &ReportStub::Stub::AcceptReport, review, &report);
  EXPECT_EQ(ReasonOf(elsewhere), "REVIEWER_ONLY");
  ASSERT_THAT(Ask(kHanoi, &ReportStub::Stub::AcceptReport, review, &report), IsOk());
  EXPECT_EQ(report.state(), v1::REPORT_STATE_ACCEPTED);

  // A reviewer the issuer names: Ho Chi Minh City's side may then review.
  v1::Organization hcmc_unit =
      CreateUnit("Ban Đối ngoại Thành ủy TP. Hồ Chí Minh", "localities/79");
  v1::UpdateObligationRequest name_reviewer;
  name_reviewer.mutable_obligation()->set_name("obligations/1");
  name_reviewer.mutable_obligation()->set_reviewer(hcmc_unit.name());
  name_reviewer.mutable_update_mask()->add_paths("reviewer");
  v1::Obligation named;
  EXPECT_EQ(ReasonOf(Ask(kHaufo, &ReportStub::Stub::UpdateObligation, name_reviewer, &named)),
            "ISSUER_ONLY");
  ASSERT_THAT(Ask(kHanoi, &ReportStub::Stub::UpdateObligation, name_reviewer, &named), IsOk());
  EXPECT_EQ(named.reviewer(), hcmc_unit.name());
  review.set_comment("Mở lại để bổ sung số liệu");
  ASSERT_THAT(Ask(kHoChiMinhCity, &ReportStub::Stub::ReopenReport, review, &report), IsOk());
  EXPECT_EQ(report.state(), v1::REPORT_STATE_RETURNED);
}

TEST_F(TrustTest, TheMergerEndsADissolvedUnitsDutyByItself) {
  v1::Document document;
  document.set_name(CreateCentralDirective("77-CT/TW", absl::CivilDay(2025, 1, 6)));
  ASSERT_FALSE(document.name().empty());
  const v1::Organization long_an =
      CreateUnit("Liên hiệp hữu nghị tỉnh Long An", "localities/pre2025-80");
  const v1::Organization tay_ninh = CreateUnit("Liên hiệp hữu nghị tỉnh Tây Ninh", "localities/80");

  v1::Obligation old_duty;
  v1::Obligation late_start;
  absl::Status after_merger =
      Ask(kCentral, &ReportStub::Stub::CreateObligation,
          HalfYearly(document.name(), long_an.name(), "2025-H2"), &late_start);
  EXPECT_THAT(after_merger, StatusIs(absl::StatusCode::kInvalidArgument));
  ASSERT_TRUE(GetErrorInfo(after_merger).has_value());
  EXPECT_EQ(GetErrorInfo(after_merger)->reason(), "LOCALITY_DISSOLVED");
  EXPECT_EQ(GetErrorInfo(after_merger)->metadata().at("successor"), "localities/80");
  EXPECT_EQ(GetErrorInfo(after_merger)->metadata().at("field"), "obligation.unit");
  ASSERT_THAT(Ask(kCentral, &ReportStub::Stub::CreateObligation,
                  HalfYearly(document.name(), long_an.name(), "2025-H1"), &old_duty),
              IsOk());
  EXPECT_EQ(old_duty.last_period(), "2025-H1");  // no one closed it by hand
  EXPECT_EQ(old_duty.locality(), "localities/80");
  EXPECT_EQ(old_duty.unit_locality(), "localities/pre2025-80");
  // Nor can anyone prolong it past the merger; changing something else
  // keeps its end.
  v1::UpdateObligationRequest prolong;
  prolong.mutable_obligation()->set_name(old_duty.name());
  prolong.mutable_obligation()->set_last_period("2025-H2");
  prolong.mutable_update_mask()->add_paths("last_period");
  v1::Obligation updated;
  absl::Status prolonged = Ask(kCentral, &ReportStub::Stub::UpdateObligation, prolong, &updated);
  EXPECT_THAT(prolonged, StatusIs(absl::StatusCode::kInvalidArgument));
  ASSERT_TRUE(GetErrorInfo(prolonged).has_value());
  EXPECT_EQ(GetErrorInfo(prolonged)->metadata().at("field"), "obligation.last_period");
  EXPECT_EQ(GetErrorInfo(prolonged)->metadata().at("successor"), "localities/80");
  v1::UpdateObligationRequest open_ended;
  open_ended.mutable_obligation()->set_name(old_duty.name());
  open_ended.mutable_obligation()->set_timely_days(30);
  open_ended.mutable_update_mask()->add_paths("timely_days");
  open_ended.mutable_update_mask()->add_paths("last_period");  // cleared: the server ends it
  ASSERT_THAT(Ask(kCentral, &ReportStub::Stub::UpdateObligation, open_ended, &updated), IsOk());
  EXPECT_EQ(updated.last_period(), "2025-H1");
  EXPECT_EQ(updated.timely_days(), 30);
  v1::Obligation new_duty;
  ASSERT_THAT(Ask(kCentral, &ReportStub::Stub::CreateObligation,
                  HalfYearly(document.name(), tay_ninh.name(), "2025-H2"), &new_duty),
              IsOk());

  v1::Report filed;
  ASSERT_THAT(
      Ask(kCentral, &ReportStub::Stub::CreateReport, Filing(old_duty.name(), "2025-H1"), &filed),
      IsOk());
  absl::Status too_late =
      Ask(kCentral, &ReportStub::Stub::CreateReport, Filing(old_duty.name(), "2025-H2"), &filed);
  EXPECT_THAT(too_late, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("report.period")));
  ASSERT_TRUE(GetErrorInfo(too_late).has_value());
  EXPECT_EQ(GetErrorInfo(too_late)->reason(), "LOCALITY_DISSOLVED");
  EXPECT_EQ(GetErrorInfo(too_late)->metadata().at("successor"), "localities/80");
  ASSERT_THAT(
      Ask(kCentral, &ReportStub::Stub::CreateReport, Filing(new_duty.name(), "2025-H2"), &filed),
      IsOk());

  v1::SummarizeComplianceRequest request;
  request.add_documents(document.name());
  request.set_from_period("2025");
  request.set_to_period("2025");
  v1::SummarizeComplianceResponse compliance;
  ASSERT_THAT(Ask(kReader, &ReportStub::Stub::SummarizeCompliance, request, &compliance), IsOk());
  EXPECT_EQ(compliance.total().expected(), 2);

  // A document dated after the merger cannot name the dissolved province.
  v1::CreateDocumentRequest provincial;
  provincial.mutable_document()->set_symbol("03-CT/TU");
  provincial.mutable_document()->set_issuing_body("Ban Thường vụ Tỉnh ủy Long An");
  absl::StatusOr<std::string> long_an_party =
      caunoi::testing::CreateIssuer(*v1::OrganizationService::NewStub(gateway_->NewChannel()),
                                    "03-CT/TU", "localities/pre2025-80", kCentral);
  ASSERT_THAT(long_an_party.status(), IsOk());
  provincial.mutable_document()->set_issuing_organization(*long_an_party);
  provincial.mutable_document()->set_level(v1::DOCUMENT_LEVEL_PROVINCIAL);
  provincial.mutable_document()->set_locality("localities/pre2025-80");
  *provincial.mutable_document()->mutable_issue_date() = api::ToDate(absl::CivilDay(2026, 2, 3));
  provincial.mutable_document()->set_title("Chỉ thị của một tỉnh đã giải thể");
  absl::Status dissolved = Call<v1::DirectiveService>(gateway_->NewChannel(), kCentral,
                                                      &v1::DirectiveService::Stub::CreateDocument,
                                                      provincial, &document);
  EXPECT_THAT(dissolved, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("localities/80")));
  ASSERT_TRUE(GetErrorInfo(dissolved).has_value());
  EXPECT_EQ(GetErrorInfo(dissolved)->metadata().at("field"), "document.locality");
  EXPECT_EQ(GetErrorInfo(dissolved)->metadata().at("successor"), "localities/80");
}

TEST_F(TrustTest, ATextSearchFoldsSymbolsAsTheSymbolFilterDoes) {
  v1::CreateDocumentRequest provincial;
  provincial.mutable_document()->set_symbol("12-CT/TU");
  provincial.mutable_document()->set_issuing_body("Ban Thường vụ Thành ủy Hà Nội");
  provincial.mutable_document()->set_issuing_organization(HanoiPartyCommittee());
  provincial.mutable_document()->set_level(v1::DOCUMENT_LEVEL_PROVINCIAL);
  provincial.mutable_document()->set_locality("localities/01");
  *provincial.mutable_document()->mutable_issue_date() = api::ToDate(absl::CivilDay(2023, 3, 1));
  provincial.mutable_document()->set_title("Chỉ thị của Thành ủy");
  v1::Document created;
  ASSERT_THAT(
      Call<v1::DirectiveService>(gateway_->NewChannel(), kHanoi,
                                 &v1::DirectiveService::Stub::CreateDocument, provincial, &created),
      IsOk());
  v1::ListDocumentsRequest search;
  search.set_filter("text : \"12-CT/TƯ\"");
  v1::ListDocumentsResponse found;
  ASSERT_THAT(
      Call<v1::DirectiveService>(gateway_->NewChannel(), kReader,
                                 &v1::DirectiveService::Stub::ListDocuments, search, &found),
      IsOk());
  const std::string central = FindDocument("12-CT/TW");
  auto names = [](const v1::ListDocumentsResponse& response) {
    std::vector<std::string> names;
    for (const v1::Document& document : response.documents()) names.push_back(document.name());
    return names;
  };
  EXPECT_THAT(names(found), ::testing::Contains(central));
  EXPECT_THAT(names(found), ::testing::Not(::testing::Contains(created.name())));
  search.set_filter("text : \"12-CT/TU\"");
  ASSERT_THAT(
      Call<v1::DirectiveService>(gateway_->NewChannel(), kReader,
                                 &v1::DirectiveService::Stub::ListDocuments, search, &found),
      IsOk());
  EXPECT_THAT(names(found), ::testing::Contains(created.name()));
  EXPECT_THAT(names(found), ::testing::Not(::testing::Contains(central)));
}

TEST_F(TrustTest, ADocumentIsItsIssuerOrganizationsWhateverTheWording) {
  const v1::Document tt05 = DemoDocument("05-TT/TU");
  ASSERT_FALSE(tt05.name().empty());
  v1::CreateDocumentRequest again;
  *again.mutable_document() = tt05;
  again.mutable_document()->clear_name();
  again.mutable_document()->clear_parents();
  again.mutable_document()->set_symbol("5-TT/TU");                // spelled otherwise
  again.mutable_document()->set_issuing_body("Thành ủy Hà Nội");  // worded otherwise
  v1::Document created;
  absl::Status duplicate = Call<v1::DirectiveService>(
      gateway_->NewChannel(), kHanoi, &v1::DirectiveService::Stub::CreateDocument, again, &created);
  EXPECT_THAT(duplicate, StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr(tt05.name())));
  // A central code from a provincial Party committee does not fit.
  again.mutable_document()->set_symbol("06-CT/TW");
  again.mutable_document()->clear_type();
  absl::Status misfit = Call<v1::DirectiveService>(
      gateway_->NewChannel(), kHanoi, &v1::DirectiveService::Stub::CreateDocument, again, &created);
  EXPECT_THAT(misfit, StatusIs(absl::StatusCode::kInvalidArgument));
  ASSERT_TRUE(GetBadRequest(misfit).has_value());
  EXPECT_EQ(GetBadRequest(misfit)->field_violations(0).field(), "document.symbol");
}

TEST_F(TrustTest, TextCannotDeceiveAndIsStoredInOneForm) {
  v1::CreatePersonRequest person;
  person.mutable_person()->set_full_name("\u202eủH nauH nễyugN");
  v1::Person created;
  absl::Status refused =
      Call<v1::OrganizationService>(gateway_->NewChannel(), kCentral,
                                    &v1::OrganizationService::Stub::CreatePerson, person, &created);
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kInvalidArgument));
  ASSERT_TRUE(GetBadRequest(refused).has_value());
  EXPECT_EQ(GetBadRequest(refused)->field_violations(0).field(), "person.full_name");
  person.mutable_person()->set_full_name("Nguye\u0302\u0303n Lan Hu\u031bo\u031b\u0300ng");
  ASSERT_THAT(
      Call<v1::OrganizationService>(gateway_->NewChannel(), kCentral,
                                    &v1::OrganizationService::Stub::CreatePerson, person, &created),
      IsOk());
  EXPECT_EQ(created.full_name(), "Nguyễn Lan Hường");
}

TEST_F(TrustTest, AProposalsAgeStopsAtItsResolution) {
  v1::CreateProposalRequest request;
  request.mutable_proposal()->set_text("Đề nghị bổ sung kinh phí hoạt động đối ngoại nhân dân");
  request.mutable_proposal()->set_raised_by(kHaufoName);
  *request.mutable_proposal()->mutable_raised_date() = api::ToDate(absl::CivilDay(2024, 1, 10));
  request.mutable_proposal()->set_assignee("organizations/1");
  *request.mutable_proposal()->mutable_assigned_date() = api::ToDate(absl::CivilDay(2024, 1, 20));
  v1::Proposal proposal;
  ASSERT_THAT(Ask(kHaufo, &ReportStub::Stub::CreateProposal, request, &proposal), IsOk());
  ASSERT_EQ(proposal.assignments_size(), 1);
  EXPECT_EQ(api::ToCivilDayUnchecked(proposal.assignments(0).assigned_date()),
            absl::CivilDay(2024, 1, 20));
  v1::UpdateProposalRequest resolve;
  resolve.mutable_proposal()->set_name(proposal.name());
  resolve.mutable_proposal()->set_status(v1::PROPOSAL_STATUS_RESOLVED);
  *resolve.mutable_proposal()->mutable_resolved_date() = api::ToDate(absl::CivilDay(2024, 3, 10));
  resolve.mutable_update_mask()->add_paths("status");
  resolve.mutable_update_mask()->add_paths("resolved_date");
  ASSERT_THAT(Ask(kHaufo, &ReportStub::Stub::UpdateProposal, resolve, &proposal), IsOk());
  EXPECT_EQ(proposal.age_days(), 60);  // 2024-01-10 to 2024-03-10, however late it is read
}

// A document and an organization that records of the reports service name
// are kept when deleted: the duty still reads them, a new record cannot
// name them, lists leave them out, and the document's symbol may be
// entered again.
TEST_F(TrustTest, DeletedRecordsStayReadableForTheRecordsThatNameThem) {
  const std::string directive = CreateCentralDirective("41-CT/TW", absl::CivilDay(2024, 3, 1));
  const v1::Organization unit = CreateUnit("Liên hiệp hữu nghị thử nghiệm", "localities/79");
  v1::Obligation duty;
  ASSERT_THAT(Ask(kCentral, &ReportStub::Stub::CreateObligation,
                  HalfYearly(directive, unit.name(), "2024-H1"), &duty),
              IsOk());
  auto remove_document = [&](const std::string& name) {
    v1::DeleteDocumentRequest request;
    request.set_name(name);
    google::protobuf::Empty empty;
    return Call<v1::DirectiveService>(gateway_->NewChannel(), kCentral,
                                      &v1::DirectiveService::Stub::DeleteDocument, request, &empty);
  };
  v1::DeleteOrganizationRequest remove_unit;
  remove_unit.set_name(unit.name());
  google::protobuf::Empty empty;
  ASSERT_THAT(remove_document(directive), IsOk());
  ASSERT_THAT(Call<v1::OrganizationService>(gateway_->NewChannel(), kCentral,
                                            &v1::OrganizationService::Stub::DeleteOrganization,
                                            remove_unit, &empty),
              IsOk());

  // What the duty names still resolves, marked deleted.
  v1::GetObligationRequest get_duty;
  get_duty.set_name(duty.name());
  v1::Obligation kept;
  ASSERT_THAT(Ask(kReader, &ReportStub::Stub::GetObligation, get_duty, &kept), IsOk());
  v1::GetDocumentRequest get_document;
  get_document.set_name(kept.document());
  v1::Document document;
  ASSERT_THAT(
      Call<v1::DirectiveService>(gateway_->NewChannel(), kReader,
                                 &v1::DirectiveService::Stub::GetDocument, get_document, &document),
      IsOk());
  EXPECT_TRUE(document.has_delete_time());
  EXPECT_EQ(document.symbol(), "41-CT/TW");
  v1::GetOrganizationRequest get_unit;
  get_unit.set_name(kept.unit());
  v1::Organization organization;
  ASSERT_THAT(Call<v1::OrganizationService>(gateway_->NewChannel(), kReader,
                                            &v1::OrganizationService::Stub::GetOrganization,
                                            get_unit, &organization),
              IsOk());
  EXPECT_TRUE(organization.has_delete_time());
  // The issuer may still change the duty it set.
  v1::UpdateObligationRequest longer;
  longer.mutable_obligation()->set_name(duty.name());
  longer.mutable_obligation()->set_timely_days(20);
  longer.mutable_update_mask()->add_paths("timely_days");
  v1::Obligation changed;
  EXPECT_THAT(Ask(kCentral, &ReportStub::Stub::UpdateObligation, longer, &changed), IsOk());

  // A new record cannot name either; the document is gone from lists, is
  // not deleted twice, and its symbol may be entered again.
  const absl::Status named_document = Ask(kCentral, &ReportStub::Stub::CreateObligation,
                                          HalfYearly(directive, kHaufoName, "2024-H1"), &changed);
  EXPECT_THAT(named_document, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(ReasonOf(named_document), "DELETED");
  const absl::Status named_unit =
      Ask(kCentral, &ReportStub::Stub::CreateObligation,
          HalfYearly(FindDocument("12-CT/TW"), unit.name(), "2024-H1"), &changed);
  EXPECT_THAT(named_unit, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(ReasonOf(named_unit), "DELETED");
  EXPECT_EQ(FindDocument("41-CT/TW"), "");
  EXPECT_THAT(remove_document(directive), StatusIs(absl::StatusCode::kFailedPrecondition));
  const std::string again = CreateCentralDirective("41-CT/TW", absl::CivilDay(2024, 3, 1));
  EXPECT_NE(again, "");
  EXPECT_NE(again, directive);
}

}  // namespace
}  // namespace caunoi
