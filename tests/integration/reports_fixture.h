// The reports service through real servers: reports_server asks real
// directives and organizations servers about documents and units, all on
// one throwaway PostgreSQL, with HAUFO and 12-CT/TW created.
#ifndef CAUNOI_TESTS_INTEGRATION_REPORTS_FIXTURE_H_
#define CAUNOI_TESTS_INTEGRATION_REPORTS_FIXTURE_H_

#include <atomic>
#include <csignal>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "caunoi/v1/directives.grpc.pb.h"
#include "caunoi/v1/organizations.grpc.pb.h"
#include "caunoi/v1/reports.grpc.pb.h"
#include "common/api/dates.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "tests/support/issuers.h"
#include "tests/support/postgres_test.h"
#include "tests/support/rpc.h"
#include "tests/support/server_process.h"

namespace caunoi {

class ReportsTest : public caunoi::testing::PostgresTest {
 protected:
  using Stub = v1::ReportService::Stub;

  // A reports server on the suite's database and services.
  void StartReports() {
    auto reports = caunoi::testing::ServerProcess::Start(
        CAUNOI_REPORTS_SERVER, {},
        {{"CAUNOI_DATABASE_URL", postgres_->dsn()},
         {"CAUNOI_ORGANIZATIONS_ADDRESS", organizations_->address()},
         {"CAUNOI_DIRECTIVES_ADDRESS", directives_->address()}});
    ASSERT_TRUE(reports.ok()) << reports.status();
    reports_ = *std::move(reports);
    stub_ = v1::ReportService::NewStub(reports_->NewChannel());
  }

  // Stops the reports server and starts the next, as a deployment does.
  void RestartReports() {
    reports_->Signal(SIGTERM);
    ASSERT_THAT(reports_->WaitForExit(absl::Seconds(30)).status(), caunoi::testing::IsOk());
    StartReports();
  }

  void SetUp() override {
    PostgresTest::SetUp();
    if (HasFatalFailure()) return;
    const std::string dsn = postgres_->dsn();
    auto organizations = caunoi::testing::ServerProcess::Start(CAUNOI_ORGANIZATIONS_SERVER, {},
                                                               {{"CAUNOI_DATABASE_URL", dsn}});
    ASSERT_TRUE(organizations.ok()) << organizations.status();
    organizations_ = *std::move(organizations);
    auto directives = caunoi::testing::ServerProcess::Start(
        CAUNOI_DIRECTIVES_SERVER, {},
        {{"CAUNOI_DATABASE_URL", dsn},
         {"CAUNOI_ORGANIZATIONS_ADDRESS", organizations_->address()}});
    ASSERT_TRUE(directives.ok()) << directives.status();
    directives_ = *std::move(directives);
    StartReports();
    if (HasFatalFailure()) return;

    auto org_stub = v1::OrganizationService::NewStub(organizations_->NewChannel());
    v1::CreateOrganizationRequest haufo;
    haufo.mutable_organization()->set_display_name(
        "Liên hiệp các tổ chức hữu nghị thành phố Hà Nội");
    haufo.mutable_organization()->set_kind(v1::ORGANIZATION_KIND_FRIENDSHIP_UNION);
    haufo.mutable_organization()->set_level(v1::ORGANIZATION_LEVEL_PROVINCIAL);
    haufo.mutable_organization()->set_locality("localities/01");
    v1::Organization unit;
    ASSERT_THAT(caunoi::testing::CallRpc(
                    *org_stub, &v1::OrganizationService::Stub::CreateOrganization, haufo, &unit),
                caunoi::testing::IsOk());
    unit_ = unit.name();

    auto directive_stub = v1::DirectiveService::NewStub(directives_->NewChannel());
    v1::CreateDocumentRequest directive;
    directive.mutable_document()->set_symbol("12-CT/TW");
    directive.mutable_document()->set_issuing_body("Ban Bí thư Trung ương Đảng");
    absl::StatusOr<std::string> issuer = caunoi::testing::CreateIssuer(*org_stub, "12-CT/TW", "");
    ASSERT_THAT(issuer.status(), caunoi::testing::IsOk());
    directive.mutable_document()->set_issuing_organization(*issuer);
    directive.mutable_document()->set_level(v1::DOCUMENT_LEVEL_CENTRAL);
    *directive.mutable_document()->mutable_issue_date() = api::ToDate(absl::CivilDay(2022, 1, 5));
    directive.mutable_document()->set_title("Về tăng cường công tác đối ngoại nhân dân");
    v1::Document document;
    ASSERT_THAT(
        caunoi::testing::CallRpc(*directive_stub, &v1::DirectiveService::Stub::CreateDocument,
                                 directive, &document),
        caunoi::testing::IsOk());
    document_ = document.name();
  }

  template <typename Request, typename Response>
  absl::Status Call(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                    const Request& request, Response* response) {
    return caunoi::testing::CallRpc(*stub_, method, request, response);
  }
  template <typename Request, typename Response>
  Response Must(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                const Request& request) {
    return caunoi::testing::MustCallRpc(*stub_, method, request);
  }

  v1::CreateObligationRequest ObligationRequest(const std::string& first_period) {
    v1::CreateObligationRequest request;
    request.mutable_obligation()->set_document(document_);
    request.mutable_obligation()->set_unit(unit_);
    request.mutable_obligation()->set_cadence(v1::CADENCE_HALF_YEARLY);
    request.mutable_obligation()->set_timely_days(15);
    request.mutable_obligation()->set_first_period(first_period);
    return request;
  }

  v1::CreateReportRequest ReportRequest(const v1::Obligation& obligation,
                                        const std::string& period) {
    v1::CreateReportRequest request;
    request.set_parent(obligation.name());
    request.mutable_report()->set_period(period);
    request.mutable_report()->set_summary("Đã tổ chức quán triệt Chỉ thị 12-CT/TW");
    request.mutable_report()->mutable_figures()->set_dissemination_sessions(3);
    request.mutable_report()->mutable_figures()->set_cadres_trained(120);
    request.mutable_report()->set_difficulties("Thiếu cán bộ có trình độ ngoại ngữ");
    return request;
  }

  // Files every request from its own thread, all released together; the
  // answers land in `reports`, index for index.
  std::vector<absl::Status> FileAllAtOnce(const std::vector<v1::CreateReportRequest>& requests,
                                          std::vector<v1::Report>& reports) {
    std::vector<absl::Status> outcomes(requests.size());
    std::atomic<int> ready{0};
    std::vector<std::thread> callers;
    for (size_t i = 0; i < requests.size(); ++i) {
      callers.emplace_back([&, i] {
        ++ready;
        while (ready.load() < static_cast<int>(requests.size())) std::this_thread::yield();
        outcomes[i] = Call(&Stub::CreateReport, requests[i], &reports[i]);
      });
    }
    for (std::thread& caller : callers) caller.join();
    return outcomes;
  }

  std::unique_ptr<caunoi::testing::ServerProcess> organizations_, directives_, reports_;
  std::unique_ptr<Stub> stub_;
  std::string unit_, document_;
};

}  // namespace caunoi

#endif  // CAUNOI_TESTS_INTEGRATION_REPORTS_FIXTURE_H_
