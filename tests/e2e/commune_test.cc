// The commune tier through the gateway, as a ward's system and Hanoi's
// would use it: a ward issues its plan on Hanoi's 05-TT/TU and reports on
// it, Hanoi reviews, and the rollout drills down to the ward while the
// national figures count the report once.
#include <algorithm>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "common/api/dates.h"
#include "common/testing/error_details.h"
#include "tests/e2e/gateway_fixture.h"

namespace caunoi {
namespace {

using ::caunoi::testing::IsOk;
using ::caunoi::testing::ReasonOf;
using ::caunoi::testing::StatusIs;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kBaDinhName[] = "localities/01/communes/00004";
constexpr char kBaDinhCommittee[] = "Ủy ban nhân dân phường Ba Đình";

class CommuneTest : public GatewayTest {
 protected:
  // Every rollout computed afresh, so that one filing shows at once.
  void SetUp() override {
    GatewayTest::SetUp();
    if (HasFatalFailure()) return;
    gateway_ = StartGateway({"--rollout_cache_ttl=0"});
    ASSERT_NE(gateway_, nullptr);
  }

  template <typename Service, typename Request, typename Response>
  absl::Status Ask(const std::string& token,
                   grpc::Status (Service::Stub::*method)(grpc::ClientContext*, const Request&,
                                                         Response*),
                   const Request& request, Response* response) {
    return Call<Service>(gateway_->NewChannel(), token, method, request, response);
  }

  // A ward's People's Committee, placed in the ward by Hanoi.
  v1::Organization CreateWardCommittee(const std::string& commune = kBaDinhName,
                                       const std::string& display_name = kBaDinhCommittee) {
    v1::CreateOrganizationRequest request;
    v1::Organization& ward = *request.mutable_organization();
    ward.set_display_name(display_name);
    ward.set_kind(v1::ORGANIZATION_KIND_PEOPLES_COMMITTEE);
    ward.set_level(v1::ORGANIZATION_LEVEL_COMMUNE);
    ward.set_locality("localities/01");
    ward.set_commune(commune);
    v1::Organization created;
    EXPECT_THAT(Ask<v1::OrganizationService>(
                    kHanoi, &v1::OrganizationService::Stub::CreateOrganization, request, &created),
                IsOk());
    return created;
  }

  // The ward's own plan, as its People's Committee issues it.
  static v1::CreateDocumentRequest WardPlan(const v1::Organization& ward) {
    v1::CreateDocumentRequest plan;
    v1::Document& document = *plan.mutable_document();
    document.set_symbol("15/KH-UBND");
    document.set_issuing_body("Ủy ban nhân dân phường Ba Đình");
    document.set_issuing_organization(ward.name());
    document.set_level(v1::DOCUMENT_LEVEL_COMMUNE);
    document.set_locality("localities/01");
    document.set_commune(kBaDinhName);
    *document.mutable_issue_date() = api::ToDate(absl::CivilDay(2025, 9, 10));
    document.set_title("Kế hoạch thực hiện Hướng dẫn 05-TT/TU trên địa bàn phường");
    return plan;
  }

  // Ba Đình's plan (WardPlan) issued by the ward itself below `parent`.
  v1::Document IssueWardPlan(const v1::Organization& ward, const std::string& parent) {
    v1::CreateDocumentRequest plan = WardPlan(ward);
    plan.mutable_document()->add_parents(parent);
    v1::Document created;
    EXPECT_THAT(Ask<v1::DirectiveService>(kBaDinh, &v1::DirectiveService::Stub::CreateDocument,
                                          plan, &created),
                IsOk());
    return created;
  }

  // A ward (Ba Đình unless `ward` says) files a report on `obligation` for
  // `period` and submits it.
  v1::Report FileAndSubmit(const std::string& obligation, const std::string& period,
                           const std::string& ward = kBaDinh) {
    v1::CreateReportRequest filing;
    filing.set_parent(obligation);
    filing.mutable_report()->set_period(period);
    filing.mutable_report()->set_summary("Phường đã tổ chức 3 hội nghị quán triệt");
    v1::Report report;
    EXPECT_THAT(
        Ask<v1::ReportService>(ward, &v1::ReportService::Stub::CreateReport, filing, &report),
        IsOk());
    v1::SubmitReportRequest submit;
    submit.set_name(report.name());
    EXPECT_THAT(
        Ask<v1::ReportService>(ward, &v1::ReportService::Stub::SubmitReport, submit, &report),
        IsOk());
    return report;
  }

  // A half-yearly duty of `unit` on `document` from 2025-H2, 15 days to file.
  static v1::CreateObligationRequest HalfYearlyDuty(const std::string& document,
                                                    const std::string& unit) {
    v1::CreateObligationRequest duty;
    duty.mutable_obligation()->set_document(document);
    duty.mutable_obligation()->set_unit(unit);
    duty.mutable_obligation()->set_cadence(v1::CADENCE_HALF_YEARLY);
    duty.mutable_obligation()->set_timely_days(15);
    duty.mutable_obligation()->set_first_period("2025-H2");
    return duty;
  }

  absl::Status Accept(const std::string& token, v1::Report& report) {
    v1::ReviewReportRequest review;
    review.set_name(report.name());
    return Ask<v1::ReportService>(token, &v1::ReportService::Stub::AcceptReport, review, &report);
  }

  v1::DirectiveRollout Rollout(const std::string& locality) {
    v1::GetDirectiveRolloutRequest request;
    request.set_document(FindDocument("12-CT/TW"));
    request.set_locality(locality);
    v1::DirectiveRollout rollout;
    EXPECT_THAT(Ask<v1::GatewayService>(kReader, &v1::GatewayService::Stub::GetDirectiveRollout,
                                        request, &rollout),
                IsOk());
    return rollout;
  }

  static const v1::LocalityRollout* EntryOf(const v1::DirectiveRollout& rollout,
                                            const std::string& name) {
    for (const v1::LocalityRollout& entry : rollout.localities()) {
      if (entry.locality() == name) return &entry;
    }
    return nullptr;
  }

  // Ba Đình counts as one more commune that acted once `act` (which makes
  // it act one way only) has run: under Hanoi nationally, in the country's
  // count, and in Hanoi's drill-down, where it no longer stands among the
  // communes that have not acted.
  void ExpectActedOnceAfter(const std::function<void()>& act) {
    const v1::DirectiveRollout national_before = Rollout("");
    const v1::DirectiveRollout hanoi_before = Rollout("localities/01");
    const v1::LocalityRollout* hanoi_entry_before = EntryOf(national_before, "localities/01");
    ASSERT_NE(hanoi_entry_before, nullptr);
    ASSERT_GT(hanoi_before.localities_size(), 0);
    EXPECT_THAT(hanoi_before.localities_not_implementing(), Contains(kBaDinhName));

    act();

    const v1::DirectiveRollout national = Rollout("");
    const v1::LocalityRollout* hanoi_entry = EntryOf(national, "localities/01");
    ASSERT_NE(hanoi_entry, nullptr);
    EXPECT_EQ(hanoi_entry->communes_acted(), hanoi_entry_before->communes_acted() + 1);
    EXPECT_EQ(national.communes_acted(), national_before.communes_acted() + 1);

    const v1::DirectiveRollout hanoi = Rollout("localities/01");
    ASSERT_GT(hanoi.localities_size(), 0);
    EXPECT_EQ(hanoi.localities(0).communes_acted(),
              hanoi_before.localities(0).communes_acted() + 1);
    EXPECT_EQ(hanoi.communes_acted(), hanoi_before.communes_acted() + 1);
    EXPECT_THAT(hanoi.localities_not_implementing(), Not(Contains(kBaDinhName)));
  }

  static int64_t Filed(const v1::ComplianceCounts& counts) {
    return counts.on_time() + counts.late();
  }
};

TEST_F(CommuneTest, AWardReportsOnHanoisCircularHanoiReviewsAndTheNationCountsItOnce) {
  const v1::DirectiveRollout national_before = Rollout("");
  const v1::LocalityRollout* hanoi_before = EntryOf(national_before, "localities/01");
  ASSERT_NE(hanoi_before, nullptr);
  EXPECT_EQ(hanoi_before->communes(), 126);

  const v1::Organization ward = CreateWardCommittee();
  ASSERT_EQ(ward.commune(), kBaDinhName);

  // The ward's own plan below 05-TT/TU, written by the ward itself; another
  // ward may not write it.
  v1::CreateDocumentRequest plan = WardPlan(ward);
  plan.mutable_document()->add_parents(FindDocument("05-TT/TU"));
  v1::Document created_plan;
  absl::Status other_ward = Ask<v1::DirectiveService>(
      kNgocHa, &v1::DirectiveService::Stub::CreateDocument, plan, &created_plan);
  EXPECT_THAT(other_ward, StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("00004")));
  ASSERT_THAT(Ask<v1::DirectiveService>(kBaDinh, &v1::DirectiveService::Stub::CreateDocument, plan,
                                        &created_plan),
              IsOk());
  EXPECT_EQ(created_plan.commune(), kBaDinhName);

  // Hanoi, the issuer of 05-TT/TU, sets the ward's duty; the ward files.
  const v1::CreateObligationRequest duty = HalfYearlyDuty(FindDocument("05-TT/TU"), ward.name());
  v1::Obligation obligation;
  ASSERT_THAT(
      Ask<v1::ReportService>(kHanoi, &v1::ReportService::Stub::CreateObligation, duty, &obligation),
      IsOk());
  EXPECT_EQ(obligation.commune(), kBaDinhName);

  v1::CreateReportRequest filing;
  filing.set_parent(obligation.name());
  filing.mutable_report()->set_period("2025-H2");
  filing.mutable_report()->set_summary("Phường đã tổ chức 3 hội nghị quán triệt");
  v1::Report report;
  EXPECT_EQ(ReasonOf(Ask<v1::ReportService>(kNgocHa, &v1::ReportService::Stub::CreateReport, filing,
                                            &report)),
            "WRITE_NOT_ALLOWED");
  report = FileAndSubmit(obligation.name(), "2025-H2");
  EXPECT_EQ(report.commune(), kBaDinhName);
  EXPECT_EQ(ReasonOf(Accept(kBaDinh, report)), "REVIEWER_ONLY");
  ASSERT_THAT(Accept(kHanoi, report), IsOk());
  EXPECT_EQ(report.state(), v1::REPORT_STATE_ACCEPTED);

  // Hanoi's drill-down: the city itself first, then all 126 wards and
  // communes; Ba Đình with its plan and its report.
  const v1::DirectiveRollout hanoi = Rollout("localities/01");
  ASSERT_EQ(hanoi.localities_size(), 127);
  EXPECT_EQ(hanoi.localities(0).locality(), "localities/01");
  EXPECT_EQ(hanoi.localities(0).communes(), 126);
  EXPECT_EQ(hanoi.localities(0).communes_acted(), 1);
  const v1::LocalityRollout* ba_dinh = EntryOf(hanoi, kBaDinhName);
  ASSERT_NE(ba_dinh, nullptr);
  EXPECT_EQ(ba_dinh->display_name(), "Phường Ba Đình");
  ASSERT_EQ(ba_dinh->documents_size(), 1);
  EXPECT_EQ(ba_dinh->documents(0).symbol(), "15/KH-UBND");
  EXPECT_EQ(Filed(ba_dinh->reports()), 1);
  EXPECT_GE(ba_dinh->reports().expected(), 1);
  EXPECT_EQ(ba_dinh->report_periods_size(), 0);  // totals only when drilled down

  // The same per place from the reports service, with and without months.
  v1::SummarizeComplianceRequest per_place;
  per_place.add_documents(FindDocument("05-TT/TU"));
  per_place.set_locality("localities/01");
  per_place.set_by_commune(true);
  v1::SummarizeComplianceResponse places;
  ASSERT_THAT(Ask<v1::ReportService>(kReader, &v1::ReportService::Stub::SummarizeCompliance,
                                     per_place, &places),
              IsOk());
  EXPECT_THAT(places.periods(), Contains(::testing::Property(&v1::PeriodCompliance::locality,
                                                             std::string(kBaDinhName))));
  per_place.set_totals_only(true);
  v1::SummarizeComplianceResponse totals;
  ASSERT_THAT(Ask<v1::ReportService>(kReader, &v1::ReportService::Stub::SummarizeCompliance,
                                     per_place, &totals),
              IsOk());
  EXPECT_EQ(totals.periods_size(), 0);
  EXPECT_EQ(totals.localities_size(), places.localities_size());
  EXPECT_EQ(totals.total().expected(), places.total().expected());
  EXPECT_THAT(totals.localities(), Contains(::testing::Property(&v1::LocalityCompliance::locality,
                                                                std::string(kBaDinhName))));
  EXPECT_EQ(hanoi.communes_acted(), 1);
  EXPECT_THAT(hanoi.localities_not_implementing(), Not(Contains(std::string(kBaDinhName))));
  EXPECT_THAT(hanoi.localities_not_implementing(),
              Contains(std::string("localities/01/communes/00008")));
  EXPECT_EQ(hanoi.localities_not_implementing_size(), 125);
  // Below 12-CT/TW in Hanoi, at any depth: the city's circular and the
  // ward's plan under it.
  v1::ListDocumentsRequest below;
  below.set_filter("ancestor = \"" + FindDocument("12-CT/TW") +
                   "\" AND locality = \"localities/01\"");
  v1::ListDocumentsResponse found_below;
  ASSERT_THAT(Ask<v1::DirectiveService>(kReader, &v1::DirectiveService::Stub::ListDocuments, below,
                                        &found_below),
              IsOk());
  EXPECT_THAT(found_below.documents(),
              Contains(::testing::Property(&v1::Document::name, created_plan.name())));
  EXPECT_THAT(found_below.documents(),
              Contains(::testing::Property(&v1::Document::name, FindDocument("05-TT/TU"))));
  // The city's own documents stay with the city.
  ASSERT_GE(hanoi.localities(0).documents_size(), 1);
  EXPECT_EQ(hanoi.localities(0).documents(0).symbol(), "05-TT/TU");

  // Nationally the report counts once, under Hanoi: the drill-down's places
  // add up to Hanoi's entry, and the country's total grew by one.
  const v1::DirectiveRollout national = Rollout("");
  const v1::LocalityRollout* hanoi_after = EntryOf(national, "localities/01");
  ASSERT_NE(hanoi_after, nullptr);
  EXPECT_EQ(Filed(hanoi_after->reports()), Filed(hanoi_before->reports()) + 1);
  EXPECT_EQ(Filed(national.reports()), Filed(national_before.reports()) + 1);
  int64_t drilled = 0;
  for (const v1::LocalityRollout& entry : hanoi.localities()) drilled += Filed(entry.reports());
  EXPECT_EQ(drilled, Filed(hanoi_after->reports()));
  EXPECT_EQ(hanoi_after->communes_acted(), 1);
  EXPECT_EQ(national.communes_acted(), 1);
  // Nationally the ward's plan is counted under Hanoi, not listed (its
  // report counted all the same, above); the city's own circular is.
  EXPECT_EQ(hanoi_after->commune_documents(), 1);
  EXPECT_EQ(hanoi_before->commune_documents(), 0);
  ASSERT_EQ(hanoi_after->documents_size(), 1);
  EXPECT_EQ(hanoi_after->documents(0).symbol(), "05-TT/TU");
  // The ward's plan is Hanoi's, not a locality of its own.
  EXPECT_EQ(national.localities_size(), national_before.localities_size());
}

// Reports count on every document below the directive as it stands at the
// call: a plan issued since the last rollout, with a duty and a report of
// its own, counts at once, nationally and drilled down.
TEST_F(CommuneTest, ReportsOnAPlanIssuedSinceTheLastRolloutCountAtOnce) {
  const v1::DirectiveRollout national_before = Rollout("");
  const v1::DirectiveRollout hanoi_before = Rollout("localities/01");
  const v1::LocalityRollout* hanoi_entry_before = EntryOf(national_before, "localities/01");
  ASSERT_NE(hanoi_entry_before, nullptr);

  const v1::Organization ward = CreateWardCommittee();
  const v1::Document created_plan = IssueWardPlan(ward, FindDocument("05-TT/TU"));
  // The ward, issuer of the plan, sets its committee's duty on it.
  const v1::CreateObligationRequest duty = HalfYearlyDuty(created_plan.name(), ward.name());
  v1::Obligation obligation;
  ASSERT_THAT(Ask<v1::ReportService>(kBaDinh, &v1::ReportService::Stub::CreateObligation, duty,
                                     &obligation),
              IsOk());
  FileAndSubmit(obligation.name(), "2025-H2");

  const v1::DirectiveRollout national = Rollout("");
  EXPECT_EQ(Filed(national.reports()), Filed(national_before.reports()) + 1);
  EXPECT_GT(national.reports().expected(), national_before.reports().expected());
  const v1::LocalityRollout* hanoi_entry = EntryOf(national, "localities/01");
  ASSERT_NE(hanoi_entry, nullptr);
  EXPECT_EQ(Filed(hanoi_entry->reports()), Filed(hanoi_entry_before->reports()) + 1);

  const v1::DirectiveRollout hanoi = Rollout("localities/01");
  const v1::LocalityRollout* ba_dinh = EntryOf(hanoi, kBaDinhName);
  const v1::LocalityRollout* ba_dinh_before = EntryOf(hanoi_before, kBaDinhName);
  ASSERT_NE(ba_dinh, nullptr);
  ASSERT_NE(ba_dinh_before, nullptr);
  EXPECT_EQ(Filed(ba_dinh->reports()), Filed(ba_dinh_before->reports()) + 1);
  EXPECT_EQ(Filed(hanoi.reports()), Filed(hanoi_before.reports()) + 1);
}

// A ward that has only reported (no plan of its own, no task done) has
// acted: the reports service names it, and the rollout counts it beside the
// communes the directives service names.
TEST_F(CommuneTest, AWardThatOnlyReportedHasActedNationallyAndDrilledDown) {
  ExpectActedOnceAfter([&] {
    const v1::Organization ward = CreateWardCommittee();
    const v1::CreateObligationRequest duty = HalfYearlyDuty(FindDocument("05-TT/TU"), ward.name());
    v1::Obligation obligation;
    ASSERT_THAT(Ask<v1::ReportService>(kHanoi, &v1::ReportService::Stub::CreateObligation, duty,
                                       &obligation),
                IsOk());
    FileAndSubmit(obligation.name(), "2025-H2");
  });
}

// A ward that has only issued a plan below the directive (no report) has
// acted: the directives service names it (asked by number, as the rollout
// asks).
TEST_F(CommuneTest, AWardThatOnlyIssuedAPlanHasActedNationallyAndDrilledDown) {
  ExpectActedOnceAfter([&] {
    const v1::Organization ward = CreateWardCommittee();
    EXPECT_FALSE(IssueWardPlan(ward, FindDocument("05-TT/TU")).name().empty());
  });
}

// The communes that reported, per locality, come from every document asked
// about: each named once, in code order, whichever document and whichever
// order their reports came in.
TEST_F(CommuneTest, ComplianceNamesEachReportingCommuneOnceInCodeOrder) {
  const v1::Organization ba_dinh = CreateWardCommittee();
  const v1::Organization ngoc_ha =
      CreateWardCommittee("localities/01/communes/00008", "Ủy ban nhân dân phường Ngọc Hà");
  const std::string circular = FindDocument("05-TT/TU");
  v1::Obligation ba_dinh_duty;
  v1::Obligation ngoc_ha_duty;
  ASSERT_THAT(Ask<v1::ReportService>(kHanoi, &v1::ReportService::Stub::CreateObligation,
                                     HalfYearlyDuty(circular, ngoc_ha.name()), &ngoc_ha_duty),
              IsOk());
  ASSERT_THAT(Ask<v1::ReportService>(kHanoi, &v1::ReportService::Stub::CreateObligation,
                                     HalfYearlyDuty(circular, ba_dinh.name()), &ba_dinh_duty),
              IsOk());
  // Ba Đình also reports on its own plan, a second document naming it.
  const v1::Document created_plan = IssueWardPlan(ba_dinh, circular);
  v1::Obligation plan_duty;
  ASSERT_THAT(
      Ask<v1::ReportService>(kBaDinh, &v1::ReportService::Stub::CreateObligation,
                             HalfYearlyDuty(created_plan.name(), ba_dinh.name()), &plan_duty),
      IsOk());
  // Hanoi's line of the compliance with both documents, asked nationally.
  auto hanoi_compliance = [&](bool communes_by_code = false) {
    v1::SummarizeComplianceRequest request;
    request.add_documents(created_plan.name());
    request.add_documents(circular);
    request.set_communes_by_code(communes_by_code);
    v1::SummarizeComplianceResponse compliance;
    EXPECT_THAT(Ask<v1::ReportService>(kReader, &v1::ReportService::Stub::SummarizeCompliance,
                                       request, &compliance),
                IsOk());
    for (const v1::LocalityCompliance& entry : compliance.localities()) {
      if (entry.locality() == "localities/01") return entry;
    }
    ADD_FAILURE() << "no line for Hanoi";
    return v1::LocalityCompliance();
  };
  const v1::LocalityCompliance before = hanoi_compliance();
  // Both wards on the circular, then Ba Đình on its plan as well.
  FileAndSubmit(ngoc_ha_duty.name(), "2025-H2", kNgocHa);
  FileAndSubmit(ba_dinh_duty.name(), "2025-H2");
  EXPECT_THAT(hanoi_compliance().reporting_communes(),
              ::testing::ElementsAre(kBaDinhName, "localities/01/communes/00008"));
  FileAndSubmit(plan_duty.name(), "2025-H2");

  const v1::LocalityCompliance hanoi = hanoi_compliance();
  EXPECT_THAT(hanoi.reporting_communes(),
              ::testing::ElementsAre(kBaDinhName, "localities/01/communes/00008"));
  EXPECT_EQ(Filed(hanoi.counts()), Filed(before.counts()) + 3);
  // Asked by code: the same wards by number, none by name.
  const v1::LocalityCompliance numbered = hanoi_compliance(true);
  EXPECT_THAT(numbered.reporting_commune_codes(), ::testing::ElementsAre(4, 8));
  EXPECT_THAT(numbered.reporting_communes(), ::testing::IsEmpty());
  EXPECT_EQ(Filed(numbered.counts()), Filed(hanoi.counts()));
}

// Drilled into a province, each place is named as the API names it: the
// city itself for what its own units owe and filed (HAUFO's duty on
// 05-TT/TU in the demo), beside each ward.
TEST_F(CommuneTest, PerPlaceComplianceNamesTheCityItselfBesideItsWards) {
  const v1::Organization ward = CreateWardCommittee();
  const std::string circular = FindDocument("05-TT/TU");
  v1::Obligation ward_duty;
  ASSERT_THAT(Ask<v1::ReportService>(kHanoi, &v1::ReportService::Stub::CreateObligation,
                                     HalfYearlyDuty(circular, ward.name()), &ward_duty),
              IsOk());
  FileAndSubmit(ward_duty.name(), "2025-H2");

  v1::SummarizeComplianceRequest request;
  request.add_documents(circular);
  request.set_locality("localities/01");
  request.set_by_commune(true);
  request.set_to_period("2025-H2");
  v1::SummarizeComplianceResponse places;
  ASSERT_THAT(Ask<v1::ReportService>(kReader, &v1::ReportService::Stub::SummarizeCompliance,
                                     request, &places),
              IsOk());
  std::vector<std::string> named;
  for (const v1::LocalityCompliance& place : places.localities()) {
    named.push_back(place.locality());
    EXPECT_GE(place.counts().expected(), 1) << place.locality();
  }
  EXPECT_THAT(named, ::testing::ElementsAre("localities/01", kBaDinhName));
  std::vector<std::pair<std::string, int64_t>> ward_filed;
  for (const v1::PeriodCompliance& period : places.periods()) {
    EXPECT_THAT(named, Contains(period.locality()));
    if (period.locality() == kBaDinhName) {
      ward_filed.emplace_back(period.period(), Filed(period.counts()));
    }
  }
  EXPECT_THAT(ward_filed, ::testing::ElementsAre(::testing::Pair("2025-H2", 1)));
}

TEST_F(CommuneTest, ListsFilterByCommuneAndAProvinceTakesInItsCommunes) {
  const v1::Organization ward = CreateWardCommittee();
  const std::string commune_filter = std::string("commune = \"") + kBaDinhName + "\"";

  // An activity in the ward, organized by the ward's committee.
  v1::CreateActivityRequest activity;
  activity.mutable_activity()->set_title("Gặp mặt hữu nghị với cộng đồng người nước ngoài");
  *activity.mutable_activity()->mutable_start_date() = api::ToDate(absl::CivilDay(2026, 3, 8));
  activity.mutable_activity()->set_organizer(ward.name());
  activity.mutable_activity()->set_locality("localities/01");
  activity.mutable_activity()->set_commune(kBaDinhName);
  activity.mutable_activity()->set_kind(v1::ACTIVITY_KIND_EXCHANGE);
  v1::Activity held;
  ASSERT_THAT(
      Ask<v1::ReportService>(kBaDinh, &v1::ReportService::Stub::CreateActivity, activity, &held),
      IsOk());
  EXPECT_EQ(held.commune(), kBaDinhName);
  activity.mutable_activity()->set_commune("localities/01/communes/00008");
  EXPECT_EQ(ReasonOf(Ask<v1::ReportService>(kBaDinh, &v1::ReportService::Stub::CreateActivity,
                                            activity, &held)),
            "WRITE_NOT_ALLOWED");

  // The ward sets duties on its own plan, never on the city's circular;
  // reports on its plan are reviewed by the ward, the issuer's side.
  v1::Document plan;
  ASSERT_THAT(Ask<v1::DirectiveService>(kBaDinh, &v1::DirectiveService::Stub::CreateDocument,
                                        WardPlan(ward), &plan),
              IsOk());
  v1::CreateObligationRequest duty;
  duty.mutable_obligation()->set_document(FindDocument("05-TT/TU"));
  duty.mutable_obligation()->set_unit(ward.name());
  duty.mutable_obligation()->set_cadence(v1::CADENCE_YEARLY);
  duty.mutable_obligation()->set_first_period("2025");
  v1::Obligation obligation;
  EXPECT_EQ(ReasonOf(Ask<v1::ReportService>(kBaDinh, &v1::ReportService::Stub::CreateObligation,
                                            duty, &obligation)),
            "ISSUER_ONLY");
  duty.mutable_obligation()->set_document(plan.name());
  EXPECT_EQ(ReasonOf(Ask<v1::ReportService>(
                kHoChiMinhCity, &v1::ReportService::Stub::CreateObligation, duty, &obligation)),
            "ISSUER_ONLY");
  ASSERT_THAT(Ask<v1::ReportService>(kBaDinh, &v1::ReportService::Stub::CreateObligation, duty,
                                     &obligation),
              IsOk());

  v1::ListObligationsRequest obligations;
  obligations.set_filter(commune_filter);
  v1::ListObligationsResponse duties;
  ASSERT_THAT(Ask<v1::ReportService>(kReader, &v1::ReportService::Stub::ListObligations,
                                     obligations, &duties),
              IsOk());
  ASSERT_EQ(duties.obligations_size(), 1);
  EXPECT_EQ(duties.obligations(0).name(), obligation.name());
  obligations.set_filter("locality = \"localities/01\"");
  ASSERT_THAT(Ask<v1::ReportService>(kReader, &v1::ReportService::Stub::ListObligations,
                                     obligations, &duties),
              IsOk());
  EXPECT_THAT(duties.obligations(),
              Contains(::testing::Property(&v1::Obligation::name, obligation.name())));

  v1::Report report = FileAndSubmit(obligation.name(), "2025");
  EXPECT_EQ(ReasonOf(Accept(kNgocHa, report)), "REVIEWER_ONLY");
  ASSERT_THAT(Accept(kBaDinh, report), IsOk());
  v1::ListReportsRequest reports;
  reports.set_parent("obligations/-");
  reports.set_filter(commune_filter);
  v1::ListReportsResponse filed;
  ASSERT_THAT(
      Ask<v1::ReportService>(kReader, &v1::ReportService::Stub::ListReports, reports, &filed),
      IsOk());
  ASSERT_EQ(filed.reports_size(), 1);
  EXPECT_EQ(filed.reports(0).name(), report.name());

  v1::ListActivitiesRequest activities;
  activities.set_filter(commune_filter);
  v1::ListActivitiesResponse found;
  ASSERT_THAT(
      Ask<v1::ReportService>(kReader, &v1::ReportService::Stub::ListActivities, activities, &found),
      IsOk());
  ASSERT_EQ(found.activities_size(), 1);
  activities.set_filter("locality = \"localities/01\" AND kind = EXCHANGE");
  ASSERT_THAT(
      Ask<v1::ReportService>(kReader, &v1::ReportService::Stub::ListActivities, activities, &found),
      IsOk());
  EXPECT_THAT(found.activities(),
              Contains(::testing::Property(&v1::Activity::commune, std::string(kBaDinhName))));

  v1::ListOrganizationsRequest organizations;
  organizations.set_filter(commune_filter);
  v1::ListOrganizationsResponse units;
  ASSERT_THAT(
      Ask<v1::OrganizationService>(kReader, &v1::OrganizationService::Stub::ListOrganizations,
                                   organizations, &units),
      IsOk());
  ASSERT_EQ(units.organizations_size(), 1);
  EXPECT_EQ(units.organizations(0).name(), ward.name());
  v1::ListDocumentsRequest documents;
  documents.set_filter(commune_filter);
  v1::ListDocumentsResponse plans;
  ASSERT_THAT(Ask<v1::DirectiveService>(kReader, &v1::DirectiveService::Stub::ListDocuments,
                                        documents, &plans),
              IsOk());
  ASSERT_EQ(plans.documents_size(), 1);
  EXPECT_EQ(plans.documents(0).name(), plan.name());
  documents.set_filter("locality = \"localities/01\" AND level = COMMUNE");
  ASSERT_THAT(Ask<v1::DirectiveService>(kReader, &v1::DirectiveService::Stub::ListDocuments,
                                        documents, &plans),
              IsOk());
  EXPECT_THAT(plans.documents(), Contains(::testing::Property(&v1::Document::name, plan.name())));
  documents.set_filter("commune = \"localities/01/communes/4\"");
  EXPECT_THAT(Ask<v1::DirectiveService>(kReader, &v1::DirectiveService::Stub::ListDocuments,
                                        documents, &plans),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("filter")));
}

TEST_F(CommuneTest, AWardWritesOnlyItsOwnRecordsAndACommuneStaysInItsProvince) {
  const v1::Organization ward = CreateWardCommittee();
  // A commune's principal may not move its organization out of the ward.
  v1::UpdateOrganizationRequest move;
  move.mutable_organization()->set_name(ward.name());
  move.mutable_organization()->set_commune("localities/01/communes/00008");
  move.mutable_update_mask()->add_paths("commune");
  v1::Organization moved;
  EXPECT_EQ(ReasonOf(Ask<v1::OrganizationService>(
                kBaDinh, &v1::OrganizationService::Stub::UpdateOrganization, move, &moved)),
            "WRITE_NOT_ALLOWED");
  move.mutable_organization()->set_commune("");
  EXPECT_EQ(ReasonOf(Ask<v1::OrganizationService>(
                kBaDinh, &v1::OrganizationService::Stub::UpdateOrganization, move, &moved)),
            "WRITE_NOT_ALLOWED");
  // Hanoi may; Ho Chi Minh City may not touch it.
  move.mutable_organization()->set_commune("localities/01/communes/00008");
  EXPECT_EQ(ReasonOf(Ask<v1::OrganizationService>(
                kHoChiMinhCity, &v1::OrganizationService::Stub::UpdateOrganization, move, &moved)),
            "WRITE_NOT_ALLOWED");
  ASSERT_THAT(Ask<v1::OrganizationService>(
                  kHanoi, &v1::OrganizationService::Stub::UpdateOrganization, move, &moved),
              IsOk());
  EXPECT_EQ(moved.commune(), "localities/01/communes/00008");

  // A commune of another province is refused by name.
  move.mutable_organization()->set_commune("localities/79/communes/25747");
  absl::Status elsewhere = Ask<v1::OrganizationService>(
      kCentral, &v1::OrganizationService::Stub::UpdateOrganization, move, &moved);
  EXPECT_THAT(elsewhere,
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("organization.commune")));
  EXPECT_EQ(ReasonOf(elsewhere), "COMMUNE_OF_ANOTHER_LOCALITY");

  // A task of Hanoi's circular placed in a ward of Ho Chi Minh City.
  v1::CreateTaskRequest task;
  task.set_parent(FindDocument("05-TT/TU"));
  task.mutable_task()->set_number("9.1");
  task.mutable_task()->set_title("Tổ chức gặp mặt hội viên");
  task.mutable_task()->set_lead(ward.name());
  task.mutable_task()->set_phase(v1::TASK_PHASE_SHORT_TERM);
  task.mutable_task()->set_commune("localities/79/communes/25747");
  v1::Task created;
  absl::Status misplaced =
      Ask<v1::DirectiveService>(kCentral, &v1::DirectiveService::Stub::CreateTask, task, &created);
  EXPECT_THAT(misplaced, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("task.commune")));
  task.mutable_task()->set_commune(kBaDinhName);
  ASSERT_THAT(
      Ask<v1::DirectiveService>(kHanoi, &v1::DirectiveService::Stub::CreateTask, task, &created),
      IsOk());
  EXPECT_EQ(created.commune(), kBaDinhName);
  v1::ListTasksRequest list;
  list.set_parent("directives/-");
  list.set_filter(std::string("commune = \"") + kBaDinhName + "\"");
  v1::ListTasksResponse listed;
  ASSERT_THAT(
      Ask<v1::DirectiveService>(kReader, &v1::DirectiveService::Stub::ListTasks, list, &listed),
      IsOk());
  ASSERT_EQ(listed.tasks_size(), 1);
  EXPECT_EQ(listed.tasks(0).name(), created.name());
}

}  // namespace
}  // namespace caunoi
