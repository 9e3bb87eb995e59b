#ifndef CAUNOI_TESTS_SUPPORT_ORGANIZATIONS_SERVER_TEST_H_
#define CAUNOI_TESTS_SUPPORT_ORGANIZATIONS_SERVER_TEST_H_

#include <memory>

#include "absl/time/clock.h"
#include "caunoi/v1/organizations.grpc.pb.h"
#include "common/status/grpc_status.h"
#include "grpcpp/client_context.h"
#include "tests/support/postgres_test.h"
#include "tests/support/rpc.h"
#include "tests/support/server_process.h"

namespace caunoi::testing {

// A real organizations_server on its own PostgreSQL, and a stub to call it.
class OrganizationsServerTest : public PostgresTest {
 protected:
  using Stub = v1::OrganizationService::Stub;

  void SetUp() override {
    PostgresTest::SetUp();
    if (HasFatalFailure()) return;
    auto server = ServerProcess::Start(CAUNOI_ORGANIZATIONS_SERVER, {},
                                       {{"CAUNOI_DATABASE_URL", postgres_->dsn()}});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    stub_ = v1::OrganizationService::NewStub(server_->NewChannel());
  }

  template <typename Request, typename Response>
  absl::Status Call(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                    const Request& request, Response* response) {
    return CallRpc(*stub_, method, request, response);
  }

  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<Stub> stub_;
};

}  // namespace caunoi::testing

#endif  // CAUNOI_TESTS_SUPPORT_ORGANIZATIONS_SERVER_TEST_H_
