// A call's W3C trace: taken from the caller through the gateway to the
// service, on the per-call log lines of both and in the audit record of the
// write; an error names the request it answered.
#include <string>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "tests/e2e/gateway_fixture.h"

namespace caunoi {
namespace {

using ::testing::HasSubstr;

constexpr char kTraceId[] = "4bf92f3577b34da6a3ce929d0e0e4736";
constexpr char kTraceparent[] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

class TraceTest : public GatewayTest {};

TEST_F(TraceTest, ATraceRunsFromTheCallerToTheAuditRecord) {
  v1::UpdateOrganizationRequest update;
  update.mutable_organization()->set_name(kHaufoName);
  update.mutable_organization()->set_english_name("Hanoi Union of Friendship Organizations");
  update.mutable_update_mask()->add_paths("english_name");
  update.set_reason("as printed on the letterhead");
  auto stub = v1::OrganizationService::NewStub(gateway_->NewChannel());
  grpc::ClientContext context;
  context.AddMetadata("authorization", std::string("Bearer ") + kCentral);
  context.AddMetadata("traceparent", kTraceparent);
  context.AddMetadata("x-request-id", "letterhead-1");
  v1::Organization updated;
  ASSERT_TRUE(stub->UpdateOrganization(&context, update, &updated).ok());

  v1::ListAuditRecordsRequest audit;
  audit.set_resource(kHaufoName);
  v1::ListAuditRecordsResponse records;
  ASSERT_THAT(Call<v1::OrganizationService>(gateway_->NewChannel(), kReader,
                                            &v1::OrganizationService::Stub::ListAuditRecords, audit,
                                            &records),
              caunoi::testing::IsOk());
  ASSERT_GT(records.audit_records_size(), 0);
  EXPECT_EQ(records.audit_records(0).trace_id(), kTraceId);

  // Both servers wrote the call's line with its trace and request id.
  for (const auto* server : {gateway_.get(), organizations_.get()}) {
    const std::string log = server->log();
    EXPECT_THAT(log, HasSubstr(std::string("\"method\":\"/caunoi.v1.OrganizationService/"
                                           "UpdateOrganization\",\"code\":\"OK\"")))
        << log;
    EXPECT_THAT(log, HasSubstr(std::string("\"trace_id\":\"") + kTraceId +
                               "\",\"request_id\":"
                               "\"letterhead-1\""));
    // The gateway knows the caller by its token, the service by the
    // principal the gateway vouched for.
    EXPECT_THAT(log, HasSubstr("\"principal\":\"ban-doi-ngoai-trung-uong\""));
  }
}

// A filing is written by a worker of the reports service, not by the
// thread that took the call: its audit record still carries the trace.
TEST_F(TraceTest, AFilingsAuditRecordCarriesTheTraceOfTheCallThatFiledIt) {
  auto channel = gateway_->NewChannel();
  v1::CreateOrganizationRequest unit_request;
  unit_request.mutable_organization()->set_display_name("Hội hữu nghị Việt Nam - Phần Lan Hà Nội");
  unit_request.mutable_organization()->set_kind(v1::ORGANIZATION_KIND_FRIENDSHIP_ASSOCIATION);
  unit_request.mutable_organization()->set_level(v1::ORGANIZATION_LEVEL_PROVINCIAL);
  unit_request.mutable_organization()->set_locality("localities/01");
  v1::Organization unit;
  ASSERT_THAT(
      Call<v1::OrganizationService>(
          channel, kHanoi, &v1::OrganizationService::Stub::CreateOrganization, unit_request, &unit),
      caunoi::testing::IsOk());
  v1::CreateObligationRequest duty;
  duty.mutable_obligation()->set_document(FindDocument("12-CT/TW"));
  duty.mutable_obligation()->set_unit(unit.name());
  duty.mutable_obligation()->set_cadence(v1::CADENCE_YEARLY);
  duty.mutable_obligation()->set_timely_days(30);
  duty.mutable_obligation()->set_first_period("2022");
  v1::Obligation obligation;
  ASSERT_THAT(Call<v1::ReportService>(channel, kCentral, &v1::ReportService::Stub::CreateObligation,
                                      duty, &obligation),
              caunoi::testing::IsOk());

  v1::CreateReportRequest filing;
  filing.set_parent(obligation.name());
  filing.mutable_report()->set_period("2023");
  filing.mutable_report()->set_summary("Báo cáo kết quả thực hiện Chỉ thị 12-CT/TW năm 2023");
  auto stub = v1::ReportService::NewStub(channel);
  grpc::ClientContext context;
  context.AddMetadata("authorization", std::string("Bearer ") + kHanoi);
  context.AddMetadata("traceparent", kTraceparent);
  v1::Report report;
  const grpc::Status filed = stub->CreateReport(&context, filing, &report);
  ASSERT_TRUE(filed.ok()) << filed.error_message();

  v1::ListReportAuditRecordsRequest audit;
  audit.set_resource(report.name());
  v1::ListReportAuditRecordsResponse records;
  ASSERT_THAT(
      Call<v1::ReportService>(channel, kReader, &v1::ReportService::Stub::ListReportAuditRecords,
                              audit, &records),
      caunoi::testing::IsOk());
  ASSERT_EQ(records.audit_records_size(), 1);
  EXPECT_EQ(records.audit_records(0).trace_id(), kTraceId);
}

TEST_F(TraceTest, AnErrorNamesTheRequestItAnswered) {
  auto stub = v1::OrganizationService::NewStub(gateway_->NewChannel());
  grpc::ClientContext context;
  context.AddMetadata("authorization", std::string("Bearer ") + kReader);
  context.AddMetadata("x-request-id", "lookup-7");
  v1::GetOrganizationRequest request;
  request.set_name("organizations/999999");
  v1::Organization organization;
  const grpc::Status status = stub->GetOrganization(&context, request, &organization);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(status.error_details()));
  bool named = false;
  for (const google::protobuf::Any& detail : details.details()) {
    google::rpc::RequestInfo info;
    if (detail.UnpackTo(&info) && info.request_id() == "lookup-7") named = true;
  }
  EXPECT_TRUE(named) << details.DebugString();
}

}  // namespace
}  // namespace caunoi
