// Which gRPC targets the frame relay reaches, and how it reads them; when
// the gateway's port is served by the relay rather than by gRPC.
#include "services/gateway/relay/upstream_target.h"

#include "common/config/service_config.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/gateway/relay_front.h"

namespace caunoi::gateway::relay {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;

auto Named(const std::string& host, const std::string& port) {
  return AllOf(Field(&HostPort::host, host), Field(&HostPort::port, port));
}

TEST(UpstreamTargetTest, AHostPortAndTheDnsSchemeAreLookedUpAgain) {
  for (const char* target : {"caunoi-directives:50051", "dns:///caunoi-directives:50051",
                             "dns:caunoi-directives:50051"}) {
    absl::StatusOr<UpstreamTarget> parsed = ParseUpstreamTarget(target);
    ASSERT_TRUE(parsed.ok()) << target << ": " << parsed.status();
    EXPECT_FALSE(parsed->fixed) << target;
    EXPECT_THAT(parsed->names, ElementsAre(Named("caunoi-directives", "50051"))) << target;
  }
}

TEST(UpstreamTargetTest, IpAddressListsAreFixed) {
  absl::StatusOr<UpstreamTarget> v4 = ParseUpstreamTarget("ipv4:10.0.0.1:50051,10.0.0.2:50052");
  ASSERT_TRUE(v4.ok()) << v4.status();
  EXPECT_TRUE(v4->fixed);
  EXPECT_THAT(v4->names, ElementsAre(Named("10.0.0.1", "50051"), Named("10.0.0.2", "50052")));
  absl::StatusOr<UpstreamTarget> v6 = ParseUpstreamTarget("ipv6:[::1]:50051");
  ASSERT_TRUE(v6.ok()) << v6.status();
  EXPECT_THAT(v6->names, ElementsAre(Named("::1", "50051")));
  absl::StatusOr<UpstreamTarget> bracketed = ParseUpstreamTarget("[::1]:50051");
  ASSERT_TRUE(bracketed.ok()) << bracketed.status();
  EXPECT_THAT(bracketed->names, ElementsAre(Named("::1", "50051")));
}

TEST(UpstreamTargetTest, WhatTheSystemResolverCannotReachIsRefused) {
  for (const char* target :
       {"dns://8.8.8.8/caunoi-directives:50051", "unix:/run/caunoi.sock", "unix:caunoi.sock",
        "caunoi-directives", "caunoi-directives:http", "dns:///a:1,b:2", "::1:50051",
        "ipv4:10.0.0.1", "xds:///caunoi-directives"}) {
    absl::StatusOr<UpstreamTarget> parsed = ParseUpstreamTarget(target);
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument) << target;
  }
}

ServiceConfig PlaintextGateway() {
  ServiceConfig config;
  config.directives_address = "dns:///caunoi-directives.caunoi.svc.cluster.local:50051";
  config.organizations_address = "caunoi-organizations:50052";
  config.reports_address = "ipv4:127.0.0.1:50053,127.0.0.2:50053";
  return config;
}

TEST(RelayFrontTest, ServesPlaintextCallsToServicesOfManyReplicas) {
  EXPECT_TRUE(RelayFront::Fits(PlaintextGateway()).ok());
}

TEST(RelayFrontTest, ServesTlsOnThePortAndToTheServices) {
  ServiceConfig tls = PlaintextGateway();
  tls.tls_cert_file = "/etc/caunoi/public-tls/tls.crt";
  tls.backend_ca_file = "/etc/caunoi/tls/ca.crt";
  EXPECT_TRUE(RelayFront::Fits(tls).ok());
}

TEST(RelayFrontTest, LeavesTargetsItCannotResolveToGrpc) {
  ServiceConfig own_dns = PlaintextGateway();
  own_dns.reports_address = "dns://10.0.0.10/caunoi-reports:50053";
  EXPECT_THAT(RelayFront::Fits(own_dns).message(), HasSubstr("DNS server of its own"));
}

}  // namespace
}  // namespace caunoi::gateway::relay
