// Prometheus metrics on --metrics_listen: a known number of calls shows up,
// by method and code, on the server that served them and, for the
// gateway's calls to a service, on the gateway as a client.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/create_channel.h"
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

// The value of the series `series` (name and labels, as printed), or -1
// when the scrape has none.
double SeriesValue(const std::string& scrape, const std::string& series) {
  const size_t at = scrape.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  double value = -1;
  (void)absl::SimpleAtod(scrape.substr(at + series.size() + 2, 32), &value);
  return value;
}

// The relay's loops say how many callers each serves, how many calls are
// under way and how busy each is, read when scraped.
TEST_F(MetricsTest, TheRelaysLoopsShowTheirCallersCallsAndBusyShare) {
  const int gateway_port = caunoi::testing::PickFreePort();
  auto gateway = StartGateway({absl::StrCat("--metrics_listen=127.0.0.1:", gateway_port)});
  ASSERT_NE(gateway, nullptr);
  const std::string before = Scrape(gateway_port);
  EXPECT_THAT(before, HasSubstr("# TYPE caunoi_gateway_relay_callers gauge")) << before;
  EXPECT_THAT(before, HasSubstr("# TYPE caunoi_gateway_relay_calls_in_flight gauge"));
  EXPECT_THAT(before, HasSubstr("# TYPE caunoi_gateway_relay_busy_share gauge"));

  // Three connections held open, each having made a call.
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 0; i < 3; ++i) {
    grpc::ChannelArguments arguments;
    arguments.SetInt("caunoi.test.channel", i);
    channels.push_back(grpc::CreateCustomChannel(gateway->address(),
                                                 grpc::InsecureChannelCredentials(), arguments));
    v1::GetLocalityRequest request;
    request.set_name("localities/01");
    v1::Locality locality;
    ASSERT_THAT(Call<v1::OrganizationService>(channels.back(), kReader,
                                              &v1::OrganizationService::Stub::GetLocality, request,
                                              &locality),
                caunoi::testing::IsOk());
  }
  const std::string during = Scrape(gateway_port);
  // A gateway this quiet serves its callers from its first loop (the
  // gateway's start may have left a probe's caller too).
  EXPECT_GE(SeriesValue(during, "caunoi_gateway_relay_callers{loop=\"0\"}"), 3) << during;
  for (const char* loop : {"0", "1"}) {
    // -1 would be a series missing.
    EXPECT_GE(
        SeriesValue(during, absl::StrCat("caunoi_gateway_relay_callers{loop=\"", loop, "\"}")), 0);
    // Nothing under way between calls.
    EXPECT_GE(SeriesValue(during, absl::StrCat("caunoi_gateway_relay_calls_in_flight{loop=\"", loop,
                                               "\"}")),
              0);
    const double busy =
        SeriesValue(during, absl::StrCat("caunoi_gateway_relay_busy_share{loop=\"", loop, "\"}"));
    EXPECT_GE(busy, 0) << loop;
    EXPECT_LT(busy, 0.5) << loop;
  }
}

}  // namespace
}  // namespace caunoi
