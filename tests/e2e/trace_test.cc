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
