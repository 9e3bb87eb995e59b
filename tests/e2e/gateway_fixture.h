// The gateway in front of the three real services on one PostgreSQL, with
// the demo data `make run` loads, and a principal of each kind.
#ifndef CAUNOI_TESTS_E2E_GATEWAY_FIXTURE_H_
#define CAUNOI_TESTS_E2E_GATEWAY_FIXTURE_H_

#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "caunoi/v1/directives.grpc.pb.h"
#include "caunoi/v1/gateway.grpc.pb.h"
#include "caunoi/v1/organizations.grpc.pb.h"
#include "caunoi/v1/reports.grpc.pb.h"
#include "common/status/grpc_status.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/gateway/token_table.h"
#include "tests/support/postgres_test.h"
#include "tests/support/server_process.h"
#include "tests/support/subprocess.h"

namespace caunoi {

constexpr char kSecret[] = "test-gateway-secret";
constexpr char kCentral[] = "central-token";
constexpr char kHanoi[] = "hanoi-token";
constexpr char kHoChiMinhCity[] = "hcmc-token";
constexpr char kReader[] = "reader-token";
// HAUFO, organizations/2 in the demo data.
constexpr char kHaufo[] = "haufo-token";
constexpr char kHaufoName[] = "organizations/2";
// Two wards of Hanoi: Ba Đình (00004) and Ngọc Hà (00008).
constexpr char kBaDinh[] = "ba-dinh-token";
constexpr char kNgocHa[] = "ngoc-ha-token";

inline std::string WriteTokenFile() {
  const std::string path = caunoi::testing::MakeTempDirectory("caunoi-tokens") + "/tokens";
  std::ofstream out(path);
  out << "# sha256(token) name locality role\n";
  out << gateway::Sha256Hex(kCentral) << " ban-doi-ngoai-trung-uong central central\n";
  out << gateway::Sha256Hex(kHanoi) << " ha-noi 01 locality\n";
  out << gateway::Sha256Hex(kHoChiMinhCity) << " tp-ho-chi-minh 79 locality\n";
  out << gateway::Sha256Hex(kReader) << " doc-gia central reader\n";
  out << gateway::Sha256Hex(kHaufo) << " haufo 01 unit " << kHaufoName << "\n";
  out << gateway::Sha256Hex(kBaDinh) << " phuong-ba-dinh 01/00004 locality\n";
  out << gateway::Sha256Hex(kNgocHa) << " phuong-ngoc-ha 01/00008 locality\n";
  // The tokens `make run` creates, as the README's examples use them.
  out << gateway::Sha256Hex("demo-central") << " ban-doi-ngoai-trung-uong central central\n";
  out << gateway::Sha256Hex("demo-ha-noi") << " ha-noi 01 locality\n";
  out << gateway::Sha256Hex("demo-haufo") << " haufo 01 unit organizations/2\n";
  out << gateway::Sha256Hex("demo-tp-hcm") << " tp-ho-chi-minh 79 locality\n";
  out << gateway::Sha256Hex("demo-reader") << " doc-gia central reader\n";
  out << gateway::Sha256Hex("demo-phuong-ba-dinh") << " phuong-ba-dinh 01/00004 locality\n";
  return path;
}

class GatewayTest : public caunoi::testing::PostgresTest {
 protected:
  void SetUp() override {
    PostgresTest::SetUp();
    if (HasFatalFailure()) return;
    tokens_file_ = WriteTokenFile();
    const std::string dsn = postgres_->dsn();
    organizations_ = StartServer(CAUNOI_ORGANIZATIONS_SERVER, {{"CAUNOI_DATABASE_URL", dsn}});
    ASSERT_NE(organizations_, nullptr);
    directives_ = StartServer(CAUNOI_DIRECTIVES_SERVER,
                              {{"CAUNOI_DATABASE_URL", dsn},
                               {"CAUNOI_ORGANIZATIONS_ADDRESS", organizations_->address()}});
    ASSERT_NE(directives_, nullptr);
    reports_ = StartServer(CAUNOI_REPORTS_SERVER,
                           {{"CAUNOI_DATABASE_URL", dsn},
                            {"CAUNOI_ORGANIZATIONS_ADDRESS", organizations_->address()},
                            {"CAUNOI_DIRECTIVES_ADDRESS", directives_->address()}});
    ASSERT_NE(reports_, nullptr);
    gateway_ = StartGateway({});
    ASSERT_NE(gateway_, nullptr);
    absl::StatusOr<int> loaded = caunoi::testing::RunCommand(
        {CAUNOI_DEMO_LOADER, "--organizations=" + organizations_->address(),
         "--directives=" + directives_->address(), "--reports=" + reports_->address()});
    ASSERT_THAT(loaded.status(), caunoi::testing::IsOk());
    ASSERT_EQ(*loaded, 0);
  }

  std::unique_ptr<caunoi::testing::ServerProcess> StartServer(
      const std::string& binary, std::map<std::string, std::string> environment,
      const std::vector<std::string>& args = {}) {
    environment["CAUNOI_GATEWAY_SECRET"] = kSecret;
    auto server = caunoi::testing::ServerProcess::Start(binary, args, environment);
    EXPECT_TRUE(server.ok()) << server.status();
    return server.ok() ? *std::move(server) : nullptr;
  }

  std::unique_ptr<caunoi::testing::ServerProcess> StartGateway(
      const std::vector<std::string>& args) {
    return StartServer(CAUNOI_GATEWAY_SERVER,
                       {{"CAUNOI_TOKENS_FILE", tokens_file_},
                        {"CAUNOI_ORGANIZATIONS_ADDRESS", organizations_->address()},
                        {"CAUNOI_DIRECTIVES_ADDRESS", directives_->address()},
                        {"CAUNOI_REPORTS_ADDRESS", reports_->address()},
                        {"CAUNOI_RATE_PER_SECOND", "1000"},
                        {"CAUNOI_RATE_BURST", "2000"},
                        {"CAUNOI_SECTION_TIMEOUT", "1s"}},
                       args);
  }

  // Calls `method` on `channel` with `token` (none when empty).
  template <typename Service, typename Request, typename Response>
  absl::Status Call(const std::shared_ptr<grpc::Channel>& channel, const std::string& token,
                    grpc::Status (Service::Stub::*method)(grpc::ClientContext*, const Request&,
                                                          Response*),
                    const Request& request, Response* response,
                    absl::Duration timeout = absl::Seconds(10)) {
    auto stub = Service::NewStub(channel);
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
    if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
    return FromGrpcStatus((stub.get()->*method)(&context, request, response));
  }

  // Ho Chi Minh City's union of friendship organizations, as a request.
  static v1::CreateOrganizationRequest HoChiMinhCityUnion() {
    v1::CreateOrganizationRequest request;
    request.mutable_organization()->set_display_name(
        "Liên hiệp các tổ chức hữu nghị Thành phố Hồ Chí Minh");
    request.mutable_organization()->set_kind(v1::ORGANIZATION_KIND_FRIENDSHIP_UNION);
    request.mutable_organization()->set_level(v1::ORGANIZATION_LEVEL_PROVINCIAL);
    request.mutable_organization()->set_locality("localities/79");
    return request;
  }

  // The city's union, written by the city, with a yearly duty from 2022
  // to report on `document`, set by the centre; "" when a write failed.
  std::string HoChiMinhCityUnionDuty(const std::string& document, v1::Organization& hufo) {
    auto channel = gateway_->NewChannel();
    EXPECT_THAT(Call<v1::OrganizationService>(channel, kHoChiMinhCity,
                                              &v1::OrganizationService::Stub::CreateOrganization,
                                              HoChiMinhCityUnion(), &hufo),
                caunoi::testing::IsOk());
    v1::CreateObligationRequest duty;
    duty.mutable_obligation()->set_document(document);
    duty.mutable_obligation()->set_unit(hufo.name());
    duty.mutable_obligation()->set_cadence(v1::CADENCE_YEARLY);
    duty.mutable_obligation()->set_timely_days(30);
    duty.mutable_obligation()->set_first_period("2022");
    v1::Obligation obligation;
    EXPECT_THAT(
        Call<v1::ReportService>(channel, kCentral, &v1::ReportService::Stub::CreateObligation, duty,
                                &obligation),
        caunoi::testing::IsOk());
    return obligation.name();
  }

  std::string FindDocument(const std::string& symbol) {
    v1::ListDocumentsRequest request;
    request.set_filter("symbol = \"" + symbol + "\"");
    v1::ListDocumentsResponse found;
    EXPECT_THAT(
        Call<v1::DirectiveService>(gateway_->NewChannel(), kReader,
                                   &v1::DirectiveService::Stub::ListDocuments, request, &found),
        caunoi::testing::IsOk());
    return found.documents_size() == 1 ? found.documents(0).name() : "";
  }

  // The demo document with `symbol`, whole.
  v1::Document DemoDocument(const std::string& symbol) {
    v1::GetDocumentRequest request;
    request.set_name(FindDocument(symbol));
    v1::Document found;
    EXPECT_THAT(
        Call<v1::DirectiveService>(gateway_->NewChannel(), kReader,
                                   &v1::DirectiveService::Stub::GetDocument, request, &found),
        caunoi::testing::IsOk());
    return found;
  }

  // The demo's Secretariat, issuer of 12-CT/TW.
  std::string CentralIssuer() { return DemoDocument("12-CT/TW").issuing_organization(); }

  std::string tokens_file_;
  std::unique_ptr<caunoi::testing::ServerProcess> organizations_, directives_, reports_, gateway_;
};

}  // namespace caunoi

#endif  // CAUNOI_TESTS_E2E_GATEWAY_FIXTURE_H_
