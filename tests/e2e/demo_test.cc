// The demo data `make run` loads, through the same loader and APIs: the
// facts from the source articles must read back as the articles state them.
#include <map>

#include "caunoi/v1/directives.grpc.pb.h"
#include "caunoi/v1/reports.grpc.pb.h"
#include "common/api/dates.h"
#include "common/status/grpc_status.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/organizations_server_test.h"
#include "tests/support/subprocess.h"

namespace caunoi {
namespace {

using ::caunoi::testing::IsOk;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using Stub = v1::OrganizationService::Stub;

class DemoTest : public caunoi::testing::OrganizationsServerTest {
 protected:
  void SetUp() override {
    OrganizationsServerTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_NO_FATAL_FAILURE(Load());
  }

  void Load() {
    absl::StatusOr<int> exit_code =
        caunoi::testing::RunCommand({CAUNOI_DEMO_LOADER, "--organizations=" + server_->address()});
    ASSERT_THAT(exit_code.status(), IsOk());
    ASSERT_EQ(*exit_code, 0);
  }

  v1::Organization FindHaufo() {
    v1::ListOrganizationsRequest request;
    request.set_filter("display_name : \"huu nghi ha noi\" AND kind = FRIENDSHIP_UNION");
    v1::ListOrganizationsResponse response;
    EXPECT_THAT(Call(&Stub::ListOrganizations, request, &response), IsOk());
    EXPECT_EQ(response.organizations_size(), 1);
    return response.organizations_size() > 0 ? response.organizations(0) : v1::Organization();
  }

  int CountOrganizations() {
    v1::ListOrganizationsRequest request;
    request.set_page_size(500);
    v1::ListOrganizationsResponse response;
    EXPECT_THAT(Call(&Stub::ListOrganizations, request, &response), IsOk());
    return response.organizations_size();
  }
};

TEST_F(DemoTest, SearchWithoutDiacriticsFindsHaufo) {
  v1::ListOrganizationsRequest request;
  request.set_filter("display_name : \"huu nghi ha noi\"");
  request.set_page_size(100);
  v1::ListOrganizationsResponse response;
  ASSERT_THAT(Call(&Stub::ListOrganizations, request, &response), IsOk());
  std::vector<std::string> abbreviations;
  for (const auto& organization : response.organizations()) {
    abbreviations.push_back(organization.abbreviation());
  }
  EXPECT_THAT(abbreviations, Contains("HAUFO"));
  EXPECT_EQ(FindHaufo().display_name(), "Liên hiệp các tổ chức hữu nghị thành phố Hà Nội");
}

TEST_F(DemoTest, HaufoSubtreeHoldsItsTwentyFiveAssociations) {
  v1::GetOrganizationTreeRequest request;
  request.set_name(FindHaufo().name());
  v1::GetOrganizationTreeResponse tree;
  ASSERT_THAT(Call(&Stub::GetOrganizationTree, request, &tree), IsOk());
  int associations = 0;
  for (const auto& node : tree.nodes()) {
    if (node.depth() == 1 &&
        node.organization().kind() == v1::ORGANIZATION_KIND_FRIENDSHIP_ASSOCIATION &&
        !node.organization().country().empty()) {
      ++associations;
    }
  }
  EXPECT_EQ(associations, 25);
  EXPECT_EQ(tree.nodes_size(), 26);
}

TEST_F(DemoTest, HaufoMemberCountAtTheEndOf2023IsTheDatedFigure) {
  v1::GetOrganizationRequest request;
  request.set_name(FindHaufo().name());
  *request.mutable_member_count_as_of() = api::ToDate(absl::CivilDay(2023, 12, 31));
  v1::Organization haufo;
  ASSERT_THAT(Call(&Stub::GetOrganization, request, &haufo), IsOk());
  EXPECT_EQ(haufo.member_count().count(), 40000);
  EXPECT_TRUE(haufo.member_count().at_least());
  EXPECT_EQ(haufo.member_count().as_of().year(), 2023);
  EXPECT_EQ(haufo.member_count().as_of().month(), 8);
  EXPECT_EQ(haufo.member_count().as_of().day(), 17);
}

TEST_F(DemoTest, OnePersonChairsTwoOrganizations) {
  v1::ListPeopleRequest people;
  people.set_filter("full_name : \"Nguyen Lan Huong\"");
  v1::ListPeopleResponse found;
  ASSERT_THAT(Call(&Stub::ListPeople, people, &found), IsOk());
  ASSERT_EQ(found.people_size(), 1);
  v1::ListPositionsRequest positions;
  positions.set_filter("person = \"" + found.people(0).name() + "\" AND role = CHAIR");
  v1::ListPositionsResponse posts;
  ASSERT_THAT(Call(&Stub::ListPositions, positions, &posts), IsOk());
  EXPECT_EQ(posts.positions_size(), 2);
}

TEST_F(DemoTest, LoadingAgainChangesNothing) {
  const int before = CountOrganizations();
  EXPECT_GE(before, 30);
  ASSERT_NO_FATAL_FAILURE(Load());
  EXPECT_EQ(CountOrganizations(), before);
}

// The directives from the articles, loaded after the organizations by the
// same loader and command `make run` uses.
class ReportingDemoTest : public caunoi::testing::OrganizationsServerTest {
 protected:
  void SetUp() override {
    OrganizationsServerTest::SetUp();
    if (HasFatalFailure()) return;
    auto directives = caunoi::testing::ServerProcess::Start(
        CAUNOI_DIRECTIVES_SERVER, {},
        {{"CAUNOI_DATABASE_URL", postgres_->dsn()},
         {"CAUNOI_ORGANIZATIONS_ADDRESS", server_->address()}});
    ASSERT_TRUE(directives.ok()) << directives.status();
    directives_ = *std::move(directives);
    directive_stub_ = v1::DirectiveService::NewStub(directives_->NewChannel());
    auto reports = caunoi::testing::ServerProcess::Start(
        CAUNOI_REPORTS_SERVER, {},
        {{"CAUNOI_DATABASE_URL", postgres_->dsn()},
         {"CAUNOI_ORGANIZATIONS_ADDRESS", server_->address()},
         {"CAUNOI_DIRECTIVES_ADDRESS", directives_->address()}});
    ASSERT_TRUE(reports.ok()) << reports.status();
    reports_ = *std::move(reports);
    report_stub_ = v1::ReportService::NewStub(reports_->NewChannel());
    ASSERT_NO_FATAL_FAILURE(Load());
  }

  void Load() {
    absl::StatusOr<int> exit_code = caunoi::testing::RunCommand(
        {CAUNOI_DEMO_LOADER, "--organizations=" + server_->address(),
         "--directives=" + directives_->address(), "--reports=" + reports_->address()});
    ASSERT_THAT(exit_code.status(), IsOk());
    ASSERT_EQ(*exit_code, 0);
  }

  template <typename Request, typename Response>
  Response Must(grpc::Status (v1::DirectiveService::Stub::*method)(grpc::ClientContext*,
                                                                   const Request&, Response*),
                const Request& request) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    Response response;
    EXPECT_THAT(FromGrpcStatus((directive_stub_.get()->*method)(&context, request, &response)),
                IsOk());
    return response;
  }

  v1::Document Find(const std::string& symbol) {
    v1::ListDocumentsRequest request;
    request.set_filter("symbol = \"" + symbol + "\"");
    v1::ListDocumentsResponse found = Must(&v1::DirectiveService::Stub::ListDocuments, request);
    EXPECT_EQ(found.documents_size(), 1) << symbol;
    return found.documents_size() > 0 ? found.documents(0) : v1::Document();
  }

  std::unique_ptr<caunoi::testing::ServerProcess> directives_, reports_;
  std::unique_ptr<v1::DirectiveService::Stub> directive_stub_;
  std::unique_ptr<v1::ReportService::Stub> report_stub_;
};

TEST_F(ReportingDemoTest, CascadeOf12CtTwShowsHanoiAndTheProvinceAndWhoHasNotActed) {
  v1::GetCascadeRequest request;
  request.set_name(Find("12-CT/TƯ").name());
  v1::GetCascadeResponse cascade = Must(&v1::DirectiveService::Stub::GetCascade, request);
  std::map<std::string, int> lag_by_locality;
  for (const v1::CascadeEntry& entry : cascade.entries()) {
    if (!entry.document().current_locality().empty()) {
      lag_by_locality[entry.document().current_locality()] = entry.lag_days();
    }
  }
  EXPECT_EQ(lag_by_locality["localities/01"], 138);  // 05-TT/TU, 23 May 2022
  EXPECT_EQ(lag_by_locality["localities/52"], 126);  // 24-CT/TU, 11 May 2022
  EXPECT_EQ(cascade.localities_without_document_size(), 32);
  EXPECT_THAT(cascade.localities_without_document(), Not(Contains("localities/01")));
  EXPECT_THAT(cascade.localities_without_document(), Contains("localities/79"));
}

TEST_F(ReportingDemoTest, MisdatedConclusionIsCorrectedWithAReason) {
  v1::Document conclusion = Find("12-KL/TW");
  EXPECT_EQ(conclusion.issue_date().year(), 2021);
  v1::ListDirectiveAuditRecordsRequest audit;
  audit.set_resource(conclusion.name());
  v1::ListDirectiveAuditRecordsResponse records =
      Must(&v1::DirectiveService::Stub::ListDirectiveAuditRecords, audit);
  ASSERT_EQ(records.audit_records_size(), 2);
  EXPECT_THAT(records.audit_records(0).reason(), ::testing::HasSubstr("2021"));
}

TEST_F(ReportingDemoTest, HoChiMinhCityPlanHasItsFourMainTasksAndLoadingAgainAddsNothing) {
  v1::ListTasksRequest request;
  request.set_parent(Find("2722/KH-UBND").name());
  EXPECT_EQ(Must(&v1::DirectiveService::Stub::ListTasks, request).tasks_size(), 4);
  ASSERT_NO_FATAL_FAILURE(Load());
  EXPECT_EQ(Must(&v1::DirectiveService::Stub::ListTasks, request).tasks_size(), 4);
  v1::ListDocumentsRequest all;
  EXPECT_EQ(Must(&v1::DirectiveService::Stub::ListDocuments, all).documents_size(), 7);
}

TEST_F(ReportingDemoTest, HaufoReportedOn05TtTuAndItsProposalWentToADepartment) {
  grpc::ClientContext duties_context;
  v1::ListObligationsRequest duties;
  duties.set_filter("document = \"" + Find("05-TT/TU").name() + "\"");
  v1::ListObligationsResponse obligations;
  ASSERT_THAT(FromGrpcStatus(report_stub_->ListObligations(&duties_context, duties, &obligations)),
              IsOk());
  ASSERT_EQ(obligations.obligations_size(), 1);
  grpc::ClientContext list_context;
  v1::ListReportsRequest reports;
  reports.set_parent(obligations.obligations(0).name());
  reports.set_filter("period = \"2022-H1\"");
  v1::ListReportsResponse found;
  ASSERT_THAT(FromGrpcStatus(report_stub_->ListReports(&list_context, reports, &found)), IsOk());
  ASSERT_EQ(found.reports_size(), 1);
  EXPECT_EQ(found.reports(0).state(), v1::REPORT_STATE_SUBMITTED);
  EXPECT_EQ(found.reports(0).figures().dissemination_sessions(), 1);

  grpc::ClientContext proposal_context;
  v1::ListProposalsRequest proposals;
  proposals.set_filter("status = IN_PROGRESS");
  v1::ListProposalsResponse open;
  ASSERT_THAT(FromGrpcStatus(report_stub_->ListProposals(&proposal_context, proposals, &open)),
              IsOk());
  ASSERT_EQ(open.proposals_size(), 1);
  EXPECT_EQ(open.proposals(0).raised_date().year(), 2023);
  EXPECT_EQ(open.proposals(0).assignments_size(), 1);
}

TEST_F(ReportingDemoTest, ArticleActivitiesAreFoundByPartnerCountryKindAndUnaccentedTitle) {
  auto list = [&](const std::string& filter) {
    grpc::ClientContext context;
    v1::ListActivitiesRequest request;
    request.set_filter(filter);
    v1::ListActivitiesResponse response;
    EXPECT_THAT(FromGrpcStatus(report_stub_->ListActivities(&context, request, &response)), IsOk());
    std::vector<std::string> titles;
    for (const v1::Activity& activity : response.activities()) titles.push_back(activity.title());
    return titles;
  };
  EXPECT_THAT(list("partner_country = \"countries/IN\""), ElementsAre("Kỷ niệm Quốc khánh Ấn Độ"));
  EXPECT_THAT(list("title : \"quoc khanh an do\""), ElementsAre("Kỷ niệm Quốc khánh Ấn Độ"));
  EXPECT_THAT(list("kind = CONFERENCE AND locality = \"localities/01\""),
              ElementsAre(HasSubstr("05-TT/TU")));
  // Filed under Bình Định before the merger, found under today's Gia Lai.
  EXPECT_THAT(list("locality = \"localities/52\""), ElementsAre(HasSubstr("kiều bào")));
}

TEST_F(ReportingDemoTest, GeneratedHistoryGivesEveryLocalityReportsOn12CtTw) {
  grpc::ClientContext context;
  v1::SummarizeComplianceRequest request;
  request.add_documents(Find("12-CT/TƯ").name());
  request.set_to_period("2025-H2");
  v1::SummarizeComplianceResponse summary;
  ASSERT_THAT(FromGrpcStatus(report_stub_->SummarizeCompliance(&context, request, &summary)),
              IsOk());
  ASSERT_EQ(summary.localities_size(), 34);
  // 2022-H1 .. 2025-H2: 8 half-years for each of the 34 unions.
  EXPECT_EQ(summary.total().expected(), 34 * 8);
  EXPECT_GT(summary.total().on_time(), summary.total().late());
  EXPECT_GT(summary.total().late(), 0);
  EXPECT_GT(summary.total().missing_overdue(), 0);
  EXPECT_EQ(summary.total().missing_within_deadline(), 0);
  for (const v1::LocalityCompliance& locality : summary.localities()) {
    EXPECT_LE(locality.counts().reporting_rate(), 1.0) << locality.locality();
    EXPECT_EQ(locality.counts().expected(), 8) << locality.locality();
  }
  // Loading again adds nothing.
  ASSERT_NO_FATAL_FAILURE(Load());
  grpc::ClientContext again_context;
  v1::SummarizeComplianceResponse again;
  ASSERT_THAT(FromGrpcStatus(report_stub_->SummarizeCompliance(&again_context, request, &again)),
              IsOk());
  EXPECT_EQ(again.total().on_time(), summary.total().on_time());
  EXPECT_EQ(again.total().late(), summary.total().late());
}

}  // namespace
}  // namespace caunoi
