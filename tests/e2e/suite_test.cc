// All four servers against one PostgreSQL, as `make run` starts them: what
// grpcurl and Kubernetes see on every port.
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "caunoi/v1/organizations.grpc.pb.h"
#include "caunoi/v1/server_info.grpc.pb.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "tests/support/grpc_probes.h"
#include "tests/support/postgres_test.h"
#include "tests/support/server_process.h"
#include "tests/support/subprocess.h"

namespace caunoi {
namespace {

using ::caunoi::testing::HealthState;
using ::caunoi::testing::IsOk;
using ::testing::Contains;
using ::testing::IsSupersetOf;

struct Expected {
  const char* service;
  const char* binary;
  std::vector<std::string> own_services;
  int schema_version;
};

const std::vector<Expected>& Servers() {
  static const auto* servers = new std::vector<Expected>{
      {"organizations", CAUNOI_ORGANIZATIONS_SERVER, {"caunoi.v1.OrganizationService"}, 20},
      {"directives", CAUNOI_DIRECTIVES_SERVER, {"caunoi.v1.DirectiveService"}, 23},
      {"reports", CAUNOI_REPORTS_SERVER, {"caunoi.v1.ReportService"}, 24},
      {"gateway",
       CAUNOI_GATEWAY_SERVER,
       {"caunoi.v1.GatewayService", "caunoi.v1.DirectiveService", "caunoi.v1.OrganizationService",
        "caunoi.v1.ReportService"},
       0},
  };
  return *servers;
}

class SuiteTest : public caunoi::testing::PostgresTest {
 protected:
  void SetUp() override {
    PostgresTest::SetUp();
    if (HasFatalFailure()) return;
    // The gateway needs a secret and a tokens file; an empty one will do.
    const std::string tokens = caunoi::testing::MakeTempDirectory("caunoi-suite") + "/tokens";
    std::ofstream(tokens) << "# no principals\n";
    for (const Expected& expected : Servers()) {
      auto server =
          caunoi::testing::ServerProcess::Start(expected.binary, {},
                                                {{"CAUNOI_DATABASE_URL", postgres_->dsn()},
                                                 {"CAUNOI_GATEWAY_SECRET", "suite-secret"},
                                                 {"CAUNOI_TOKENS_FILE", tokens}});
      ASSERT_TRUE(server.ok()) << expected.service << ": " << server.status();
      servers_.push_back(*std::move(server));
    }
  }

  std::vector<std::unique_ptr<caunoi::testing::ServerProcess>> servers_;
};

TEST_F(SuiteTest, EveryPortAnswersReflectionHealthAndServerInfo) {
  for (size_t i = 0; i < servers_.size(); ++i) {
    const Expected& expected = Servers()[i];
    SCOPED_TRACE(expected.service);
    auto channel = servers_[i]->NewChannel();

    auto listed = caunoi::testing::ReflectionListServices(channel);
    ASSERT_THAT(listed.status(), IsOk());
    std::vector<std::string> wanted = {"grpc.health.v1.Health",
                                       "grpc.reflection.v1alpha.ServerReflection",
                                       "caunoi.v1.ServerInfoService"};
    wanted.insert(wanted.end(), expected.own_services.begin(), expected.own_services.end());
    EXPECT_THAT(*listed, IsSupersetOf(wanted));
    // grpcurl describes a service before it calls it: health included.
    for (const std::string& service : wanted) {
      EXPECT_THAT(caunoi::testing::ReflectionDescribe(channel, service), IsOk()) << service;
    }

    EXPECT_EQ(caunoi::testing::HealthStatus(channel, ""), HealthState::kServing);
    for (const std::string& service : expected.own_services) {
      EXPECT_EQ(caunoi::testing::HealthStatus(channel, service), HealthState::kServing);
    }
    EXPECT_EQ(caunoi::testing::HealthStatus(channel, "caunoi.v1.NoSuchService"),
              HealthState::kServiceUnknown);

    auto stub = v1::ServerInfoService::NewStub(channel);
    grpc::ClientContext context;
    v1::ServerInfo info;
    ASSERT_TRUE(stub->GetServerInfo(&context, {}, &info).ok());
    EXPECT_EQ(info.service(), expected.service);
    EXPECT_EQ(info.schema_version(), expected.schema_version);
    EXPECT_THAT(info.services(), Contains("caunoi.v1.ServerInfoService"));
  }
}

// Each server allocates through jemalloc (linked in, not preloaded): the
// figures in tests/bench/RESULTS.md depend on it.
TEST_F(SuiteTest, EveryServerAllocatesThroughJemalloc) {
  for (size_t i = 0; i < servers_.size(); ++i) {
    SCOPED_TRACE(Servers()[i].service);
    std::ifstream maps(absl::StrCat("/proc/", servers_[i]->pid(), "/maps"));
    ASSERT_TRUE(maps.good());
    std::stringstream mapped;
    mapped << maps.rdbuf();
    EXPECT_THAT(mapped.str(), ::testing::HasSubstr("libjemalloc.so"));
  }
}

TEST_F(SuiteTest, OrganizationsAnswersOverItsOwnPort) {
  auto stub = v1::OrganizationService::NewStub(servers_[0]->NewChannel());
  grpc::ClientContext context;
  v1::ListLocalitiesRequest request;
  request.set_page_size(50);
  v1::ListLocalitiesResponse response;
  ASSERT_TRUE(stub->ListLocalities(&context, request, &response).ok());
  EXPECT_EQ(response.localities_size(), 34);
}

}  // namespace
}  // namespace caunoi
