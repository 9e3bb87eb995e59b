// Prometheus metrics on --metrics_listen: a known number of calls shows up,
// by method and code, on the server that served them and, for the
// gateway's calls to a service, on the gateway as a client.
#include <string>

#include "absl/strings/str_cat.h"
#include "tests/e2e/gateway_fixture.h"
#include "tests/support/http_client.h"

namespace caunoi {
namespace {

using ::testing::HasSubstr;

// The body of GET http://127.0.0.1:<port>/metrics.
std::string Scrape(int port) { return caunoi::testing::HttpRequest(port, "GET", "/metrics").body; }

class MetricsTest : public GatewayTest {};

TEST_F(MetricsTest, CallsAreCountedByMethodAndCode) {
  const int organizations_port = caunoi::testing::PickFreePort();
  auto organizations =
      StartServer(CAUNOI_ORGANIZATIONS_SERVER, {{"CAUNOI_DATABASE_URL", postgres_->dsn()}},
                  {absl::StrCat("--metrics_listen=127.0.0.1:", organizations_port)});
  ASSERT_NE(organizations, nullptr);
  const int gateway_port = caunoi::testing::PickFreePort();
  auto gateway = StartGateway({absl::StrCat("--metrics_listen=127.0.0.1:", gateway_port)});
  ASSERT_NE(gateway, nullptr);

  // Straight to the service: 3 found, 2 not.
  for (const char* name :
       {"localities/01", "localities/79", "localities/48", "localities/00", "localities/99"}) {
    v1::GetLocalityRequest request;
    request.set_name(name);
    v1::Locality locality;
    (void)Call<v1::OrganizationService>(organizations->NewChannel(), "",
                                        &v1::OrganizationService::Stub::GetLocality, request,
                                        &locality);
  }
  // Through the gateway: 2 found.
  for (const char* name : {"localities/01", "localities/79"}) {
    v1::GetLocalityRequest request;
    request.set_name(name);
    v1::Locality locality;
    ASSERT_THAT(Call<v1::OrganizationService>(gateway->NewChannel(), kReader,
                                              &v1::OrganizationService::Stub::GetLocality, request,
                                              &locality),
                caunoi::testing::IsOk());
  }

  const std::string service = Scrape(organizations_port);
  EXPECT_THAT(service, HasSubstr("grpc_server_started_total{grpc_method=\"GetLocality\","
                                 "grpc_service=\"caunoi.v1.OrganizationService\","
                                 "grpc_type=\"unary\"} 5"))
      << service;
  EXPECT_THAT(service, HasSubstr("grpc_server_handled_total{grpc_code=\"OK\","
                                 "grpc_method=\"GetLocality\","
                                 "grpc_service=\"caunoi.v1.OrganizationService\","
                                 "grpc_type=\"unary\"} 3"));
  EXPECT_THAT(service, HasSubstr("grpc_server_handled_total{grpc_code=\"NOT_FOUND\","
                                 "grpc_method=\"GetLocality\","
                                 "grpc_service=\"caunoi.v1.OrganizationService\","
                                 "grpc_type=\"unary\"} 2"));
  EXPECT_THAT(service, HasSubstr("grpc_server_handling_seconds_count{grpc_method=\"GetLocality\","
                                 "grpc_service=\"caunoi.v1.OrganizationService\","
                                 "grpc_type=\"unary\"} 5"));

  // The suite's own: the connection pool behind those calls.
  EXPECT_THAT(service, HasSubstr("# TYPE caunoi_db_pool_in_use gauge"));

  const std::string gateway_metrics = Scrape(gateway_port);
  EXPECT_THAT(gateway_metrics, HasSubstr("grpc_server_handled_total{grpc_code=\"OK\","
                                         "grpc_method=\"GetLocality\","
                                         "grpc_service=\"caunoi.v1.OrganizationService\","
                                         "grpc_type=\"unary\"} 2"))
      << gateway_metrics;
  // The gateway's own calls to the organizations service, as its client.
  EXPECT_THAT(gateway_metrics, HasSubstr("grpc_client_handled_total{grpc_code=\"OK\","
                                         "grpc_method=\"GetLocality\","
                                         "grpc_service=\"caunoi.v1.OrganizationService\","
                                         "grpc_type=\"unary\"} 2"));
}

}  // namespace
}  // namespace caunoi
