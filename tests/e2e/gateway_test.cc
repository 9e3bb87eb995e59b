// The gateway in front of the three real services on one PostgreSQL, with
// the demo data `make run` loads: forwarding of every RPC, tokens, roles,
// locality rules enforced by the services, rate limits, the rollout, and
// what happens when a backend is down.
#include <algorithm>
#include <csignal>
#include <fstream>
#include <limits>
#include <map>
#include <set>

#include "absl/synchronization/notification.h"
#include "caunoi/v1/directives.grpc.pb.h"
#include "caunoi/v1/gateway.grpc.pb.h"
#include "caunoi/v1/organizations.grpc.pb.h"
#include "caunoi/v1/reports.grpc.pb.h"
#include "common/pg/connection.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/generic/generic_stub.h"
#include "gtest/gtest.h"
#include "services/gateway/token_table.h"
#include "tests/e2e/gateway_fixture.h"
#include "tests/support/grpc_probes.h"
#include "tests/support/postgres_test.h"
#include "tests/support/raw_connection.h"
#include "tests/support/server_process.h"
#include "tests/support/subprocess.h"

namespace caunoi {
namespace {

using ::caunoi::testing::IsOk;
using ::caunoi::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::IsSupersetOf;
using ::testing::Not;

using DirectiveStub = v1::DirectiveService;
using OrganizationStub = v1::OrganizationService;
using ReportStub = v1::ReportService;
using GatewayStub = v1::GatewayService;

// A unary call of raw bytes, as a client that knows only the method path.
grpc::Status RawCall(const std::shared_ptr<grpc::Channel>& channel, const std::string& path,
                     const std::string& token) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
  grpc::Slice empty_message("");
  grpc::ByteBuffer request(&empty_message, 1);
  grpc::ByteBuffer response;
  grpc::Status status;
  absl::Notification done;
  stub.UnaryCall(&context, path, grpc::StubOptions(), &request, &response, [&](grpc::Status s) {
    status = std::move(s);
    done.Notify();
  });
  done.WaitForNotification();
  return status;
}

// A call to `path` that ends without sending its request, as a client
// that half-closes at once: a stream of no message.
grpc::Status CallWithoutRequest(const std::shared_ptr<grpc::Channel>& channel,
                                const std::string& path, const std::string& token) {
  class Silent final : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
   public:
    void OnDone(const grpc::Status& status) override {
      status_ = status;
      done_.Notify();
    }
    grpc::Status Wait() {
      done_.WaitForNotification();
      return status_;
    }

   private:
    grpc::Status status_;
    absl::Notification done_;
  };
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
  Silent call;
  stub.PrepareBidiStreamingCall(&context, path, grpc::StubOptions(), &call);
  call.StartWritesDone();
  call.StartCall();
  return call.Wait();
}

// The error details a status carries, in a stable order (a server may
// attach them in any order).
// The details of an answer, but for RequestInfo, which names each request.
std::vector<std::string> SortedDetails(const grpc::Status& status) {
  google::rpc::Status parsed;
  parsed.ParseFromString(status.error_details());
  std::vector<std::string> details;
  for (const auto& detail : parsed.details()) {
    if (detail.Is<google::rpc::RequestInfo>()) continue;
    details.push_back(detail.type_url() + " " + detail.value());
  }
  std::sort(details.begin(), details.end());
  return details;
}

TEST_F(GatewayTest, EveryUnaryRpcOfEveryServiceAnswersThroughTheGatewayAsItDoesDirectly) {
  const std::map<std::string, caunoi::testing::ServerProcess*> backends = {
      {"caunoi.v1.DirectiveService", directives_.get()},
      {"caunoi.v1.OrganizationService", organizations_.get()},
      {"caunoi.v1.ReportService", reports_.get()}};
  int compared = 0;
  for (const auto& [service_name, backend] : backends) {
    const auto* service =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(service_name);
    ASSERT_NE(service, nullptr);
    for (int i = 0; i < service->method_count(); ++i) {
      const google::protobuf::MethodDescriptor& method = *service->method(i);
      if (method.server_streaming()) continue;  // streams are tested below
      const std::string path = "/" + service_name + "/" + method.name();
      SCOPED_TRACE(path);
      // An empty request: reads answer or refuse it, writes refuse it for a
      // missing field; either way the gateway must relay exactly that.
      const grpc::Status direct = RawCall(backend->NewChannel(), path, "");
      const grpc::Status forwarded = RawCall(gateway_->NewChannel(), path, kCentral);
      EXPECT_EQ(forwarded.error_code(), direct.error_code());
      EXPECT_EQ(forwarded.error_message(), direct.error_message());
      EXPECT_EQ(SortedDetails(forwarded), SortedDetails(direct));
      ++compared;
    }
  }
  EXPECT_GT(compared, 80);

  v1::ListLocalitiesRequest request;
  v1::ListLocalitiesResponse localities;
  ASSERT_THAT(
      Call<OrganizationStub>(gateway_->NewChannel(), kReader,
                             &v1::OrganizationService::Stub::ListLocalities, request, &localities),
      IsOk());
  EXPECT_EQ(localities.localities_size(), 34);
}

TEST_F(GatewayTest, AUnaryCallThatSendsNoRequestIsRefusedAndTheGatewayGoesOn) {
  const std::string path = "/caunoi.v1.OrganizationService/GetLocality";
  const grpc::Status direct = CallWithoutRequest(organizations_->NewChannel(), path, "");
  const grpc::Status forwarded = CallWithoutRequest(gateway_->NewChannel(), path, kCentral);
  EXPECT_NE(direct.error_code(), grpc::StatusCode::OK);
  EXPECT_EQ(forwarded.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << forwarded.error_message() << " (directly: " << direct.error_code() << " "
      << direct.error_message() << ")";
  EXPECT_THAT(forwarded.error_message(), HasSubstr("no request"));

  v1::GetLocalityRequest request;
  request.set_name("localities/01");
  v1::Locality hanoi;
  EXPECT_THAT(Call<OrganizationStub>(gateway_->NewChannel(), kReader,
                                     &v1::OrganizationService::Stub::GetLocality, request, &hanoi),
              IsOk());
  EXPECT_EQ(hanoi.name(), "localities/01");
}

// Plaintext on both sides, the gateway's port is the frame relay's, and a
// forwarded call is logged by the gateway as it was before: its caller
// named by the token, its peer the caller's own address.
TEST_F(GatewayTest, TheFrameRelayServesThePortAndEachForwardedCallIsLogged) {
  v1::GetLocalityRequest request;
  request.set_name("localities/79");
  v1::Locality locality;
  ASSERT_THAT(
      Call<OrganizationStub>(gateway_->NewChannel(), kReader,
                             &v1::OrganizationService::Stub::GetLocality, request, &locality),
      IsOk());
  // The relay writes a call's line at the end of its turn, which may come
  // after the caller has the answer.
  const std::string log = gateway_->LogOnceItHolds(
      "\"method\":\"/caunoi.v1.OrganizationService/GetLocality\",\"code\":\"OK\"");
  EXPECT_THAT(log, HasSubstr("\"event\":\"gateway.frame_relay\""));
  EXPECT_THAT(log, HasSubstr("\"method\":\"/caunoi.v1.OrganizationService/GetLocality\","
                             "\"code\":\"OK\""));
  EXPECT_THAT(log, HasSubstr("\"principal\":\"doc-gia\",\"peer\":\"ipv4:127.0.0.1:"));

  auto without = StartGateway({"--frame_relay=false"});
  ASSERT_NE(without, nullptr);
  EXPECT_THAT(
      Call<OrganizationStub>(without->NewChannel(), kReader,
                             &v1::OrganizationService::Stub::GetLocality, request, &locality),
      IsOk());
  EXPECT_THAT(without->log(), Not(HasSubstr("\"event\":\"gateway.frame_relay\"")));
}

// A connection that never says a word is closed once the relay's greeting
// timeout, an operator's flag, has passed; a caller that greeted is kept.
TEST_F(GatewayTest, TheRelayClosesAConnectionSilentPastItsGreetingTimeout) {
  auto gateway = StartGateway({"--relay_greeting_timeout=300ms"});
  ASSERT_NE(gateway, nullptr);
  // Well under the default 20 s: only the flag closes it this soon.
  caunoi::testing::RawConnection silent(gateway->port(), /*read_timeout_seconds=*/10);
  ASSERT_TRUE(silent.connected());
  caunoi::testing::RawConnection greeted(gateway->port());
  ASSERT_TRUE(greeted.connected());
  greeted.Send(caunoi::testing::kHttp2Greeting);
  EXPECT_TRUE(silent.ClosedByTheServer());
  EXPECT_FALSE(greeted.ClosedAlready());
  v1::GetLocalityRequest request;
  request.set_name("localities/01");
  v1::Locality locality;
  EXPECT_THAT(
      Call<OrganizationStub>(gateway->NewChannel(), kReader,
                             &v1::OrganizationService::Stub::GetLocality, request, &locality),
      IsOk());
}

// A flag out of its range (a relay busy share that is no share of a core,
// a negative number of bytes) stops the gateway as it starts, naming the
// flag, rather than serving with a rule nobody meant.
TEST_F(GatewayTest, AFlagOutOfItsRangeStopsTheGatewayNamingIt) {
  const std::pair<std::string, std::string> out_of_range[] = {
      {"relay_busy_share", "1.5"},  // no share of a core
      {"rate_token_bytes", "-1"},
  };
  for (const auto& [flag, value] : out_of_range) {
    const std::string argument = absl::StrCat("--", flag, "=", value);
    absl::StatusOr<std::unique_ptr<caunoi::testing::ServerProcess>> gateway =
        caunoi::testing::ServerProcess::Start(
            CAUNOI_GATEWAY_SERVER, {argument},
            {{"CAUNOI_GATEWAY_SECRET", kSecret}, {"CAUNOI_TOKENS_FILE", tokens_file_}});
    ASSERT_FALSE(gateway.ok()) << "the gateway served with " << argument;
    EXPECT_THAT(gateway.status().message(), HasSubstr("exited with 2"));
    EXPECT_THAT(gateway.status().message(), HasSubstr(absl::StrCat("\"flag\":\"", flag, "\"")));
  }
}

// The services named as Kubernetes names them, dns:///name:port for every
// replica of each, are still the relay's: it resolves each name and takes
// the calls to the addresses that answer (localhost's ::1, where it has
// one, answers nothing here).
TEST_F(GatewayTest, TheFrameRelayServesServicesNamedByDns) {
  auto by_name = [](const std::unique_ptr<caunoi::testing::ServerProcess>& server) {
    const std::string address = server->address();
    return "dns:///localhost:" + address.substr(address.rfind(':') + 1);
  };
  auto gateway = StartGateway({"--organizations_address=" + by_name(organizations_),
                               "--directives_address=" + by_name(directives_),
                               "--reports_address=" + by_name(reports_)});
  ASSERT_NE(gateway, nullptr);
  auto channel = gateway->NewChannel();
  v1::GetLocalityRequest locality_request;
  locality_request.set_name("localities/01");
  v1::Locality hanoi;
  EXPECT_THAT(Call<OrganizationStub>(channel, kReader, &v1::OrganizationService::Stub::GetLocality,
                                     locality_request, &hanoi),
              IsOk());
  v1::ListDocumentsRequest documents_request;
  v1::ListDocumentsResponse documents;
  EXPECT_THAT(Call<DirectiveStub>(channel, kReader, &v1::DirectiveService::Stub::ListDocuments,
                                  documents_request, &documents),
              IsOk());
  EXPECT_GT(documents.documents_size(), 0);
  v1::ListObligationsRequest obligations_request;
  v1::ListObligationsResponse obligations;
  EXPECT_THAT(Call<ReportStub>(channel, kReader, &v1::ReportService::Stub::ListObligations,
                               obligations_request, &obligations),
              IsOk());
  EXPECT_GT(obligations.obligations_size(), 0);
  // A call's log line is written at the end of the relay's turn, which
  // may come after the caller has the answer.
  const std::string log = gateway->LogOnceItHolds(
      "\"method\":\"/caunoi.v1.DirectiveService/ListDocuments\",\"code\":\"OK\"");
  EXPECT_THAT(log, HasSubstr("\"event\":\"gateway.frame_relay\""));
  EXPECT_THAT(log, HasSubstr("\"method\":\"/caunoi.v1.DirectiveService/ListDocuments\","
                             "\"code\":\"OK\""));
}

TEST_F(GatewayTest, TokensAreRequiredButHealthAndReflectionStayOpen) {
  v1::ListLocalitiesRequest request;
  v1::ListLocalitiesResponse ignored;
  auto channel = gateway_->NewChannel();
  EXPECT_THAT(Call<OrganizationStub>(channel, "", &v1::OrganizationService::Stub::ListLocalities,
                                     request, &ignored),
              StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_THAT(
      Call<OrganizationStub>(channel, "forged-token",
                             &v1::OrganizationService::Stub::ListLocalities, request, &ignored),
      StatusIs(absl::StatusCode::kUnauthenticated));
  v1::GetDirectiveRolloutRequest rollout;
  v1::DirectiveRollout no_rollout;
  EXPECT_THAT(Call<GatewayStub>(channel, "", &v1::GatewayService::Stub::GetDirectiveRollout,
                                rollout, &no_rollout),
              StatusIs(absl::StatusCode::kUnauthenticated));

  EXPECT_EQ(caunoi::testing::HealthStatus(channel, ""), caunoi::testing::HealthState::kServing);
  auto listed = caunoi::testing::ReflectionListServices(channel);
  ASSERT_THAT(listed.status(), IsOk());
  const std::vector<std::string> api = {"caunoi.v1.GatewayService", "caunoi.v1.DirectiveService",
                                        "caunoi.v1.OrganizationService", "caunoi.v1.ReportService"};
  EXPECT_THAT(*listed, IsSupersetOf(api));
  for (const std::string& service : api) {
    EXPECT_THAT(caunoi::testing::ReflectionDescribe(channel, service), IsOk()) << service;
  }

  // A principal sent straight to a service without the gateway's secret is
  // refused there.
  auto stub = v1::ReportService::NewStub(reports_->NewChannel());
  grpc::ClientContext context;
  context.AddMetadata("caunoi-principal", "intruder;;central");
  context.AddMetadata("caunoi-gateway-secret", "guessed");
  v1::SubmitReportRequest submit;
  submit.set_name("obligations/1/reports/1");
  v1::Report submitted;
  EXPECT_EQ(stub->SubmitReport(&context, submit, &submitted).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(GatewayTest, LocalitiesWriteOnlyTheirOwnRecordsAndReadersOnlyRead) {
  auto channel = gateway_->NewChannel();
  // A Ho Chi Minh City union with a duty to report on 12-CT/TW, which
  // Hanoi may not write.
  v1::Organization hufo;
  EXPECT_THAT(
      Call<OrganizationStub>(channel, kHanoi, &v1::OrganizationService::Stub::CreateOrganization,
                             HoChiMinhCityUnion(), &hufo),
      StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("localities/79")));
  const std::string obligation = HoChiMinhCityUnionDuty(FindDocument("12-CT/TW"), hufo);
  ASSERT_FALSE(obligation.empty());

  v1::CreateReportRequest report;
  report.set_parent(obligation);
  report.mutable_report()->set_period("2023");
  report.mutable_report()->set_summary("Báo cáo kết quả thực hiện Chỉ thị 12-CT/TW năm 2023");
  v1::Report created;
  absl::Status refused =
      Call<ReportStub>(channel, kHanoi, &v1::ReportService::Stub::CreateReport, report, &created);
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kPermissionDenied));
  ASSERT_TRUE(GetErrorInfo(refused).has_value());
  EXPECT_EQ(GetErrorInfo(refused)->reason(), "WRITE_NOT_ALLOWED");
  EXPECT_THAT(
      Call<ReportStub>(channel, kReader, &v1::ReportService::Stub::CreateReport, report, &created),
      StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("only reads")));
  ASSERT_THAT(Call<ReportStub>(channel, kHoChiMinhCity, &v1::ReportService::Stub::CreateReport,
                               report, &created),
              IsOk());

  // Submitting is a write of the same locality's record.
  v1::SubmitReportRequest submit;
  submit.set_name(created.name());
  v1::Report submitted;
  EXPECT_THAT(
      Call<ReportStub>(channel, kHanoi, &v1::ReportService::Stub::SubmitReport, submit, &submitted),
      StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(Call<ReportStub>(channel, kHoChiMinhCity, &v1::ReportService::Stub::SubmitReport,
                               submit, &submitted),
              IsOk());
  // The audit names the principal the gateway authenticated.
  v1::ListReportAuditRecordsRequest audit;
  audit.set_resource(created.name());
  v1::ListReportAuditRecordsResponse records;
  ASSERT_THAT(Call<ReportStub>(channel, kReader, &v1::ReportService::Stub::ListReportAuditRecords,
                               audit, &records),
              IsOk());
  ASSERT_GT(records.audit_records_size(), 0);
  EXPECT_EQ(records.audit_records(0).actor(), "tp-ho-chi-minh");

  // Registry-wide records are for central principals.
  v1::CreateCountryRequest country;
  country.mutable_country()->set_code("IS");
  country.mutable_country()->set_vietnamese_name("Ai-xơ-len");
  country.mutable_country()->set_english_name("Iceland");
  v1::Country no_country;
  absl::Status central_only = Call<OrganizationStub>(
      channel, kHanoi, &v1::OrganizationService::Stub::CreateCountry, country, &no_country);
  EXPECT_THAT(central_only, StatusIs(absl::StatusCode::kPermissionDenied));
  ASSERT_TRUE(GetErrorInfo(central_only).has_value());
  EXPECT_EQ(GetErrorInfo(central_only)->reason(), "CENTRAL_ONLY");

  // A proposal belongs to the locality of the unit that raised it.
  v1::CreateProposalRequest proposal;
  proposal.mutable_proposal()->set_text("Đề nghị bồi dưỡng ngoại ngữ cho cán bộ");
  proposal.mutable_proposal()->set_raised_by(hufo.name());
  *proposal.mutable_proposal()->mutable_raised_date() = v1::Date();
  proposal.mutable_proposal()->mutable_raised_date()->set_year(2024);
  proposal.mutable_proposal()->mutable_raised_date()->set_month(5);
  proposal.mutable_proposal()->mutable_raised_date()->set_day(2);
  v1::Proposal raised;
  EXPECT_THAT(Call<ReportStub>(channel, kHanoi, &v1::ReportService::Stub::CreateProposal, proposal,
                               &raised),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("localities/79")));
  ASSERT_THAT(Call<ReportStub>(channel, kHoChiMinhCity, &v1::ReportService::Stub::CreateProposal,
                               proposal, &raised),
              IsOk());
  v1::UpdateProposalRequest progress;
  progress.mutable_proposal()->set_name(raised.name());
  progress.mutable_proposal()->set_status(v1::PROPOSAL_STATUS_IN_PROGRESS);
  progress.mutable_update_mask()->add_paths("status");
  v1::Proposal moved;
  EXPECT_THAT(
      Call<ReportStub>(channel, kHanoi, &v1::ReportService::Stub::UpdateProposal, progress, &moved),
      StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(Call<ReportStub>(channel, kHoChiMinhCity, &v1::ReportService::Stub::UpdateProposal,
                               progress, &moved),
              IsOk());

  // Hanoi edits its own organizations, not Ho Chi Minh City's.
  v1::UpdateOrganizationRequest rename;
  rename.mutable_organization()->set_name(hufo.name());
  rename.mutable_organization()->set_english_name("HUFO");
  rename.mutable_update_mask()->add_paths("english_name");
  v1::Organization renamed;
  EXPECT_THAT(
      Call<OrganizationStub>(channel, kHanoi, &v1::OrganizationService::Stub::UpdateOrganization,
                             rename, &renamed),
      StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(
      Call<OrganizationStub>(channel, kHoChiMinhCity,
                             &v1::OrganizationService::Stub::UpdateOrganization, rename, &renamed),
      IsOk());

  // Only central principals write central documents.
  v1::CreateDocumentRequest directive;
  directive.mutable_document()->set_symbol("99-CT/TW");
  directive.mutable_document()->set_issuing_body("Ban Bí thư");
  directive.mutable_document()->set_issuing_organization(CentralIssuer());
  directive.mutable_document()->set_level(v1::DOCUMENT_LEVEL_CENTRAL);
  *directive.mutable_document()->mutable_issue_date() = v1::Date();
  directive.mutable_document()->mutable_issue_date()->set_year(2024);
  directive.mutable_document()->mutable_issue_date()->set_month(3);
  directive.mutable_document()->mutable_issue_date()->set_day(1);
  directive.mutable_document()->set_title("Chỉ thị thử");
  v1::Document document;
  EXPECT_THAT(Call<DirectiveStub>(channel, kHanoi, &v1::DirectiveService::Stub::CreateDocument,
                                  directive, &document),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("central")));

  // Tasks belong to their document's locality: Hanoi's 05-TT/TU is Hanoi's.
  v1::CreateTaskRequest task;
  task.set_parent(FindDocument("05-TT/TU"));
  task.mutable_task()->set_number("9");
  task.mutable_task()->set_title("Tổng kết 3 năm thực hiện Thông tri");
  task.mutable_task()->set_lead(hufo.name());
  task.mutable_task()->set_phase(v1::TASK_PHASE_LONG_TERM);
  v1::Task created_task;
  EXPECT_THAT(Call<DirectiveStub>(channel, kHoChiMinhCity, &v1::DirectiveService::Stub::CreateTask,
                                  task, &created_task),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("05-TT/TU")));
}

TEST_F(GatewayTest, RolloutOf12CtTwShowsHanoiAndTheProvinceWithTheirLags) {
  v1::Organization hufo;
  ASSERT_FALSE(HoChiMinhCityUnionDuty(FindDocument("12-CT/TW"), hufo).empty());
  v1::GetDirectiveRolloutRequest request;
  request.set_document(FindDocument("12-CT/TW"));
  v1::DirectiveRollout rollout;
  ASSERT_THAT(Call<GatewayStub>(gateway_->NewChannel(), kReader,
                                &v1::GatewayService::Stub::GetDirectiveRollout, request, &rollout),
              IsOk());
  ASSERT_EQ(rollout.localities_size(), 34);
  std::map<std::string, const v1::LocalityRollout*> by_locality;
  for (const v1::LocalityRollout& locality : rollout.localities()) {
    by_locality[locality.locality()] = &locality;
  }
  const v1::LocalityRollout* hanoi = by_locality["localities/01"];
  ASSERT_NE(hanoi, nullptr);
  ASSERT_GE(hanoi->documents_size(), 1);
  EXPECT_EQ(hanoi->documents(0).symbol(), "05-TT/TU");
  EXPECT_EQ(hanoi->documents(0).lag_days(), 138);
  EXPECT_EQ(hanoi->display_name(), "Thành phố Hà Nội");
  EXPECT_GT(hanoi->reports().expected(), 0);  // HAUFO reports half-yearly on 05-TT/TU
  const v1::LocalityRollout* province = by_locality["localities/52"];
  ASSERT_NE(province, nullptr);
  ASSERT_GE(province->documents_size(), 1);
  EXPECT_EQ(province->documents(0).symbol(), "24-CT/TU");
  EXPECT_EQ(province->documents(0).lag_days(), 126);
  EXPECT_EQ(rollout.localities_not_implementing_size(), 34 - 2);
  // Each place's report periods are its own: Hanoi's union's half-years
  // on 05-TT/TU, Ho Chi Minh City's union's years on 12-CT/TW.
  const v1::LocalityRollout* city = by_locality["localities/79"];
  ASSERT_NE(city, nullptr);
  EXPECT_GT(city->report_periods_size(), 0);
  EXPECT_GT(hanoi->report_periods_size(), 0);
  for (const v1::LocalityRollout& locality : rollout.localities()) {
    for (const v1::PeriodCompliance& period : locality.report_periods()) {
      EXPECT_EQ(period.locality(), locality.locality());
    }
  }
  for (const v1::SectionStatus& section : rollout.sections()) {
    EXPECT_TRUE(section.available()) << section.section() << ": " << section.reason();
  }
  EXPECT_EQ(rollout.cache_age_ms(), 0);  // computed for this call

  // Asked again within the cache's lifetime: the same answer, with its age.
  absl::SleepFor(absl::Milliseconds(20));
  v1::DirectiveRollout again;
  ASSERT_THAT(Call<GatewayStub>(gateway_->NewChannel(), kReader,
                                &v1::GatewayService::Stub::GetDirectiveRollout, request, &again),
              IsOk());
  EXPECT_GE(again.cache_age_ms(), 20);
  again.clear_cache_age_ms();
  EXPECT_EQ(again.SerializeAsString(), rollout.SerializeAsString());

  // Totals only: the same counts, without the rows per period.
  ASSERT_GT(hanoi->report_periods_size(), 0);
  v1::GetDirectiveRolloutRequest totals_request = request;
  totals_request.set_totals_only(true);
  v1::DirectiveRollout totals;
  ASSERT_THAT(
      Call<GatewayStub>(gateway_->NewChannel(), kReader,
                        &v1::GatewayService::Stub::GetDirectiveRollout, totals_request, &totals),
      IsOk());
  ASSERT_EQ(totals.localities_size(), rollout.localities_size());
  EXPECT_EQ(totals.reports().SerializeAsString(), rollout.reports().SerializeAsString());
  for (int i = 0; i < totals.localities_size(); ++i) {
    v1::LocalityRollout whole = rollout.localities(i);
    EXPECT_EQ(totals.localities(i).report_periods_size(), 0);
    whole.clear_report_periods();
    EXPECT_EQ(totals.localities(i).SerializeAsString(), whole.SerializeAsString())
        << whole.locality();
  }

  v1::CompareLocalitiesRequest compare;
  compare.set_document(request.document());
  compare.set_metric(v1::LOCALITY_METRIC_IMPLEMENTATION_LAG_DAYS);
  v1::CompareLocalitiesResponse ranked;
  ASSERT_THAT(Call<GatewayStub>(gateway_->NewChannel(), kReader,
                                &v1::GatewayService::Stub::CompareLocalities, compare, &ranked),
              IsOk());
  ASSERT_EQ(ranked.ranks_size(), 34);
  EXPECT_EQ(ranked.ranks(0).locality(), "localities/52");  // 126 days beats 138
  EXPECT_EQ(ranked.ranks(1).locality(), "localities/01");
  EXPECT_FALSE(ranked.ranks(2).has_value());

  request.set_document("directives/424242");
  EXPECT_THAT(Call<GatewayStub>(gateway_->NewChannel(), kReader,
                                &v1::GatewayService::Stub::GetDirectiveRollout, request, &rollout),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(GatewayTest, WithTheReportsServiceStoppedTheRolloutStillAnswersInTime) {
  v1::GetDirectiveRolloutRequest request;
  request.set_document(FindDocument("12-CT/TW"));
  reports_->Signal(SIGKILL);
  ASSERT_THAT(reports_->WaitForExit(absl::Seconds(10)).status(), IsOk());

  const absl::Duration deadline = absl::Seconds(4);
  const absl::Time start = absl::Now();
  v1::DirectiveRollout rollout;
  ASSERT_THAT(Call<GatewayStub>(gateway_->NewChannel(), kReader,
                                &v1::GatewayService::Stub::GetDirectiveRollout, request, &rollout,
                                deadline),
              IsOk());
  EXPECT_LT(absl::Now() - start, deadline);
  std::map<std::string, v1::SectionStatus> sections;
  for (const v1::SectionStatus& section : rollout.sections()) sections[section.section()] = section;
  EXPECT_FALSE(sections["reports"].available());
  EXPECT_THAT(sections["reports"].reason(), HasSubstr("UNAVAILABLE"));
  EXPECT_TRUE(sections["implementation"].available());
  EXPECT_EQ(rollout.localities_size(), 34);
  EXPECT_EQ(rollout.reports().expected(), 0);

  // Forwarded calls to the stopped service fail clearly, not by hanging.
  v1::ListObligationsRequest list;
  v1::ListObligationsResponse ignored;
  EXPECT_THAT(Call<ReportStub>(gateway_->NewChannel(), kReader,
                               &v1::ReportService::Stub::ListObligations, list, &ignored),
              StatusIs(absl::StatusCode::kUnavailable));
}

TEST_F(GatewayTest, AStreamOfTenThousandReportsPassesThroughTheGateway) {
  // 10,000 reports of one obligation, written straight into the table.
  v1::ListObligationsRequest list;
  v1::ListObligationsResponse obligations;
  ASSERT_THAT(Call<ReportStub>(gateway_->NewChannel(), kReader,
                               &v1::ReportService::Stub::ListObligations, list, &obligations),
              IsOk());
  ASSERT_GT(obligations.obligations_size(), 0);
  const std::string obligation_id(
      obligations.obligations(0).name().substr(std::string("obligations/").size()));
  auto connection = Connect("bulk");
  ASSERT_NE(connection, nullptr);
  ASSERT_THAT(connection
                  ->ExecuteScript(absl::StrCat(
                      "INSERT INTO reports.reports (obligation_id, period, period_first,"
                      " period_last, summary) SELECT ",
                      obligation_id,
                      ", '1900-01@' || n, date '1900-01-01', date '1900-01-02', 'bulk'"
                      " FROM generate_series(1, 28) n;"
                      "INSERT INTO reports.reports (obligation_id, period, period_first,"
                      " period_last, summary) SELECT ",
                      obligation_id,
                      ", 'bulk-' || n, date '1901-01-01', date '1901-01-01', 'bulk'"
                      " FROM generate_series(1, 9972) n"))
                  .status(),
              IsOk());

  auto stub = v1::ReportService::NewStub(gateway_->NewChannel());
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
  context.AddMetadata("authorization", std::string("Bearer ") + kReader);
  v1::ExportReportsRequest request;
  request.set_from_period("1900");
  request.set_to_period("1901");
  auto stream = stub->ExportReports(&context, request);
  v1::Report report;
  int received = 0;
  while (stream->Read(&report)) ++received;
  EXPECT_THAT(FromGrpcStatus(stream->Finish()), IsOk());
  EXPECT_EQ(received, 10000);
}

TEST_F(GatewayTest, APrincipalOverItsRateIsToldWhenToRetry) {
  // Calls counted one token each, however long a busy machine makes them.
  auto limited = StartGateway({"--rate_per_second=1", "--rate_burst=3", "--rate_free_time=60s"});
  ASSERT_NE(limited, nullptr);
  v1::ListLocalitiesRequest request;
  v1::ListLocalitiesResponse ignored;
  absl::Status status;
  int admitted = 0;
  for (int i = 0; i < 10; ++i) {
    status =
        Call<OrganizationStub>(limited->NewChannel(), kReader,
                               &v1::OrganizationService::Stub::ListLocalities, request, &ignored);
    if (!status.ok()) break;
    ++admitted;
  }
  EXPECT_GE(admitted, 3);
  EXPECT_LT(admitted, 10);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kResourceExhausted));
  ASSERT_TRUE(GetRetryInfo(status).has_value());
  EXPECT_GT(
      GetRetryInfo(status)->retry_delay().nanos() + GetRetryInfo(status)->retry_delay().seconds(),
      0);
  // Another principal has its own allowance.
  EXPECT_THAT(
      Call<OrganizationStub>(limited->NewChannel(), kCentral,
                             &v1::OrganizationService::Stub::ListLocalities, request, &ignored),
      IsOk());
}

// A call's bytes count toward its principal's rate, through the relay and
// through the gRPC forwarding alike: one 40 KB request spends what forty
// small calls would, though it is answered at once.
TEST_F(GatewayTest, ACallThatCarriesManyBytesSpendsItsPrincipalsRateForThem) {
  for (const std::string relay : {"--frame_relay=true", "--frame_relay=false"}) {
    SCOPED_TRACE(relay);
    auto limited = StartGateway({relay, "--rate_per_second=0.01", "--rate_burst=20",
                                 "--rate_free_time=60s", "--rate_token_bytes=1024"});
    ASSERT_NE(limited, nullptr);
    v1::ListLocalitiesRequest small;
    v1::ListLocalitiesResponse ignored;
    auto list = [&](const char* token) {
      return Call<OrganizationStub>(limited->NewChannel(), token,
                                    &v1::OrganizationService::Stub::ListLocalities, small,
                                    &ignored);
    };
    ASSERT_THAT(list(kReader), IsOk());
    v1::GetLocalityRequest large;
    large.set_name("localities/" + std::string(40 * 1024, '9'));
    v1::Locality locality;
    EXPECT_THAT(
        Call<OrganizationStub>(limited->NewChannel(), kReader,
                               &v1::OrganizationService::Stub::GetLocality, large, &locality),
        Not(StatusIs(absl::StatusCode::kResourceExhausted)));
    // The charge is settled when the call's line is written.
    limited->LogOnceItHolds("\"method\":\"/caunoi.v1.OrganizationService/GetLocality\"");
    const absl::Status after = list(kReader);
    EXPECT_THAT(after, StatusIs(absl::StatusCode::kResourceExhausted));
    EXPECT_THAT(after.message(), HasSubstr("over its call rate"));
    // Another principal's allowance is its own.
    EXPECT_THAT(list(kCentral), IsOk());
  }
}

TEST_F(GatewayTest, DashboardAndOverdueGatherEveryService) {
  v1::GetLocalityDashboardRequest request;
  request.set_locality("localities/01");
  v1::LocalityDashboard dashboard;
  ASSERT_THAT(
      Call<GatewayStub>(gateway_->NewChannel(), kHanoi,
                        &v1::GatewayService::Stub::GetLocalityDashboard, request, &dashboard),
      IsOk());
  for (const v1::SectionStatus& section : dashboard.sections()) {
    EXPECT_TRUE(section.available()) << section.section() << ": " << section.reason();
  }
  EXPECT_EQ(dashboard.display_name(), "Thành phố Hà Nội");
  EXPECT_GE(dashboard.organizations(), 26);  // HAUFO and its 25 associations
  std::vector<std::string> symbols;
  for (const auto& document : dashboard.documents()) symbols.push_back(document.symbol());
  EXPECT_THAT(symbols, ::testing::Contains("05-TT/TU"));
  int64_t open_proposals = 0;
  for (const auto& [age, count] : dashboard.open_proposals_by_age()) open_proposals += count;
  EXPECT_GT(open_proposals, 0);  // HAUFO's proposals went to the city's departments

  v1::ListOverdueRequest overdue;
  overdue.set_page_size(2);
  v1::ListOverdueResponse first;
  ASSERT_THAT(Call<GatewayStub>(gateway_->NewChannel(), kReader,
                                &v1::GatewayService::Stub::ListOverdue, overdue, &first),
              IsOk());
  ASSERT_GT(first.items_size(), 0);
  for (int i = 1; i < first.items_size(); ++i) {
    EXPECT_GE(first.items(i - 1).days_overdue(), first.items(i).days_overdue());
  }
  if (!first.next_page_token().empty()) {
    overdue.set_page_token(first.next_page_token());
    v1::ListOverdueResponse second;
    ASSERT_THAT(Call<GatewayStub>(gateway_->NewChannel(), kReader,
                                  &v1::GatewayService::Stub::ListOverdue, overdue, &second),
                IsOk());
    ASSERT_GT(second.items_size(), 0);
    EXPECT_GE(first.items(first.items_size() - 1).days_overdue(), second.items(0).days_overdue());
  }
}

// More overdue tasks than one page of the directives service (500): the
// gateway reads page after page, each its own call.
TEST_F(GatewayTest, ListOverdueReadsEveryPageOfTheBackends) {
  auto connection = Connect("bulk");
  ASSERT_NE(connection, nullptr);
  ASSERT_THAT(
      connection
          ->ExecuteScript("INSERT INTO directives.tasks (document_id, number, title, due_date)"
                          " SELECT (SELECT min(id) FROM directives.documents"
                          "   WHERE current_locality_id = '01'), 'bulk-' || n, 'Nhiệm vụ', date"
                          " '2024-01-01' + n % 300 FROM generate_series(1, 1200) n")
          .status(),
      IsOk());
  auto expected = connection->ExecuteScript(
      "SELECT count(*) FROM directives.tasks t JOIN directives.documents d"
      " ON d.id = t.document_id WHERE d.current_locality_id = '01'"
      " AND t.completed_date IS NULL AND t.due_date < current_date");
  ASSERT_THAT(expected.status(), IsOk());

  v1::ListOverdueRequest request;
  request.set_locality("localities/01");
  request.set_page_size(500);
  int64_t tasks = 0;
  std::set<std::string> seen;
  int32_t previous_days = std::numeric_limits<int32_t>::max();
  for (int page = 0; page < 10; ++page) {
    v1::ListOverdueResponse response;
    ASSERT_THAT(Call<GatewayStub>(gateway_->NewChannel(), kReader,
                                  &v1::GatewayService::Stub::ListOverdue, request, &response),
                IsOk());
    for (const v1::SectionStatus& section : response.sections()) {
      EXPECT_TRUE(section.available()) << section.section() << ": " << section.reason();
    }
    for (const v1::OverdueItem& item : response.items()) {
      tasks += item.kind() == v1::OverdueItem::KIND_TASK ? 1 : 0;
      EXPECT_TRUE(seen.insert(absl::StrCat(item.name(), "@", item.period())).second)
          << item.name() << " twice";
      EXPECT_LE(item.days_overdue(), previous_days);  // most overdue first, across pages
      previous_days = item.days_overdue();
    }
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  EXPECT_GE(tasks, 1200);
  EXPECT_EQ(tasks, *expected->Int64(0, 0));
}

}  // namespace
}  // namespace caunoi
