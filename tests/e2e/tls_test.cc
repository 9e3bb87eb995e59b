// TLS between the gateway and a service, as the prod overlay runs them: the
// service serves TLS with a certificate of a private CA (its probes on the
// plaintext health port), the gateway verifies it with that CA, and a
// plaintext caller cannot reach the service at all; the gateway's own port
// served over TLS by its frame relay.
#include <filesystem>
#include <fstream>

#include "absl/functional/function_ref.h"
#include "caunoi/v1/organizations.grpc.pb.h"
#include "common/client/channel.h"
#include "common/status/grpc_status.h"
#include "common/testing/error_details.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "services/gateway/token_table.h"
#include "tests/support/certificates.h"
#include "tests/support/grpc_probes.h"
#include "tests/support/postgres_test.h"
#include "tests/support/server_process.h"
#include "tests/support/subprocess.h"

namespace caunoi {
namespace {

using ::caunoi::testing::IsOk;

constexpr char kToken[] = "tls-reader";

TEST(TlsTest, TheGatewayReachesATlsServiceAndPlaintextCallersCannot) {
  auto postgres = caunoi::testing::PostgresServer::Start();
  ASSERT_THAT(postgres.status(), IsOk());
  const std::string directory = caunoi::testing::MakeTempDirectory("caunoi-tls");
  ASSERT_THAT(caunoi::testing::MakeCertificates(directory), IsOk());
  const std::string probes = "127.0.0.1:" + std::to_string(caunoi::testing::PickFreePort());
  auto organizations =
      caunoi::testing::ServerProcess::Start(CAUNOI_ORGANIZATIONS_SERVER, {},
                                            {{"CAUNOI_DATABASE_URL", (*postgres)->dsn()},
                                             {"CAUNOI_GATEWAY_SECRET", "tls-secret"},
                                             {"CAUNOI_TLS_CERT_FILE", directory + "/tls.crt"},
                                             {"CAUNOI_TLS_KEY_FILE", directory + "/tls.key"},
                                             {"CAUNOI_HEALTH_LISTEN", probes}});
  ASSERT_THAT(organizations.status(), IsOk());
  std::ofstream(directory + "/tokens") << gateway::Sha256Hex(kToken) << " r central reader\n";
  auto gateway = caunoi::testing::ServerProcess::Start(
      CAUNOI_GATEWAY_SERVER, {},
      {{"CAUNOI_GATEWAY_SECRET", "tls-secret"},
       {"CAUNOI_TOKENS_FILE", directory + "/tokens"},
       {"CAUNOI_ORGANIZATIONS_ADDRESS", (*organizations)->address()},
       {"CAUNOI_BACKEND_CA_FILE", directory + "/ca.crt"}});
  ASSERT_THAT(gateway.status(), IsOk());

  auto through_gateway = v1::OrganizationService::NewStub((*gateway)->NewChannel());
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  context.AddMetadata("authorization", std::string("Bearer ") + kToken);
  v1::ListLocalitiesResponse localities;
  ASSERT_TRUE(through_gateway->ListLocalities(&context, {}, &localities).ok());
  EXPECT_EQ(localities.localities_size(), 34);

  auto plaintext = v1::OrganizationService::NewStub((*organizations)->NewChannel());
  grpc::ClientContext refused;
  refused.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(3)));
  v1::ListLocalitiesResponse none;
  EXPECT_FALSE(plaintext->ListLocalities(&refused, {}, &none).ok());
}

// A TLS channel to `address` trusting `ca`, presenting `client` when given.
std::shared_ptr<grpc::Channel> TlsChannel(const std::string& address, const std::string& ca,
                                          const std::string& client_directory = "") {
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = caunoi::testing::ReadPem(ca);
  if (!client_directory.empty()) {
    options.pem_private_key = caunoi::testing::ReadPem(client_directory + "/client.key");
    options.pem_cert_chain = caunoi::testing::ReadPem(client_directory + "/client.crt");
  }
  return grpc::CreateChannel(address, grpc::SslCredentials(options));
}

absl::Status CreateCountry(const std::shared_ptr<grpc::Channel>& channel, const std::string& code) {
  v1::CreateCountryRequest request;
  request.mutable_country()->set_code(code);
  request.mutable_country()->set_vietnamese_name("Quốc gia thử");
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  v1::Country country;
  return FromGrpcStatus(
      v1::OrganizationService::NewStub(channel)->CreateCountry(&context, request, &country));
}

TEST(TlsTest, APrincipalLessWriteNeedsTheSuitesClientCertificate) {
  auto postgres = caunoi::testing::PostgresServer::Start();
  ASSERT_THAT(postgres.status(), IsOk());
  const std::string directory = caunoi::testing::MakeTempDirectory("caunoi-mtls");
  ASSERT_THAT(caunoi::testing::MakeCertificates(directory), IsOk());
  ASSERT_THAT(caunoi::testing::MakeClientCertificate(directory), IsOk());

  // Plaintext, not in development mode: reads answer, writes are refused.
  auto plaintext = caunoi::testing::ServerProcess::Start(
      CAUNOI_ORGANIZATIONS_SERVER, {},
      {{"CAUNOI_DATABASE_URL", (*postgres)->dsn()}, {"CAUNOI_DEVELOPMENT_MODE", "false"}});
  ASSERT_THAT(plaintext.status(), IsOk());
  grpc::ClientContext read;
  v1::ListLocalitiesResponse localities;
  EXPECT_TRUE(v1::OrganizationService::NewStub((*plaintext)->NewChannel())
                  ->ListLocalities(&read, {}, &localities)
                  .ok());
  const absl::Status refused = CreateCountry((*plaintext)->NewChannel(), "QA");
  EXPECT_THAT(refused, caunoi::testing::StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_EQ(caunoi::testing::ReasonOf(refused), "PRINCIPAL_REQUIRED");

  // Mutual TLS: the suite's client certificate is trusted to write.
  auto mutual = caunoi::testing::ServerProcess::Start(
      CAUNOI_ORGANIZATIONS_SERVER, {},
      {{"CAUNOI_DATABASE_URL", (*postgres)->dsn()},
       {"CAUNOI_DEVELOPMENT_MODE", "false"},
       {"CAUNOI_TLS_CERT_FILE", directory + "/tls.crt"},
       {"CAUNOI_TLS_KEY_FILE", directory + "/tls.key"},
       {"CAUNOI_TLS_CLIENT_CA_FILE", directory + "/ca.crt"},
       {"CAUNOI_HEALTH_LISTEN", "127.0.0.1:" + std::to_string(caunoi::testing::PickFreePort())}});
  ASSERT_THAT(mutual.status(), IsOk());
  EXPECT_THAT(
      CreateCountry(TlsChannel((*mutual)->address(), directory + "/ca.crt", directory), "QB"),
      IsOk());
  // Without it the handshake itself fails: nothing reaches the handlers.
  EXPECT_FALSE(CreateCountry(TlsChannel((*mutual)->address(), directory + "/ca.crt"), "QC").ok());
}

// A directory serving the certificate pair made in `from`, as a mounted
// Secret does.
std::string ServedCopyOf(const std::string& from) {
  const std::string served = caunoi::testing::MakeTempDirectory("caunoi-tls-served");
  std::filesystem::copy_file(from + "/tls.crt", served + "/tls.crt");
  std::filesystem::copy_file(from + "/tls.key", served + "/tls.key");
  return served;
}

// Replaces the pair `served` holds with the one made in `renewed`, in
// place, as a Secret update does; then whether `answers` holds within
// 15 s, while the server reloads its files.
bool RenewedPairServed(const std::string& served, const std::string& renewed,
                       absl::FunctionRef<bool()> answers) {
  std::filesystem::copy_file(renewed + "/tls.crt", served + "/tls.crt.new");
  std::filesystem::copy_file(renewed + "/tls.key", served + "/tls.key.new");
  std::filesystem::rename(served + "/tls.key.new", served + "/tls.key");
  std::filesystem::rename(served + "/tls.crt.new", served + "/tls.crt");
  for (const absl::Time give_up = absl::Now() + absl::Seconds(15); absl::Now() < give_up;) {
    absl::SleepFor(absl::Milliseconds(500));
    if (answers()) return true;
  }
  return false;
}

TEST(TlsTest, ARotatedCertificateIsServedWithoutARestart) {
  auto postgres = caunoi::testing::PostgresServer::Start();
  ASSERT_THAT(postgres.status(), IsOk());
  const std::string first = caunoi::testing::MakeTempDirectory("caunoi-tls-a");
  const std::string second = caunoi::testing::MakeTempDirectory("caunoi-tls-b");
  ASSERT_THAT(caunoi::testing::MakeCertificates(first), IsOk());
  ASSERT_THAT(caunoi::testing::MakeCertificates(second), IsOk());
  const std::string served = ServedCopyOf(first);
  auto server = caunoi::testing::ServerProcess::Start(
      CAUNOI_ORGANIZATIONS_SERVER, {"--tls_reload_interval=1s"},
      {{"CAUNOI_DATABASE_URL", (*postgres)->dsn()},
       {"CAUNOI_TLS_CERT_FILE", served + "/tls.crt"},
       {"CAUNOI_TLS_KEY_FILE", served + "/tls.key"},
       {"CAUNOI_HEALTH_LISTEN", "127.0.0.1:" + std::to_string(caunoi::testing::PickFreePort())}});
  ASSERT_THAT(server.status(), IsOk());
  auto answers = [&](const std::string& ca) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(3)));
    v1::ListLocalitiesResponse localities;
    return v1::OrganizationService::NewStub(TlsChannel((*server)->address(), ca))
        ->ListLocalities(&context, {}, &localities)
        .ok();
  };
  ASSERT_TRUE(answers(first + "/ca.crt"));
  EXPECT_FALSE(answers(second + "/ca.crt"));

  EXPECT_TRUE(RenewedPairServed(served, second, [&] { return answers(second + "/ca.crt"); }))
      << (*server)->log();
}

// The gateway as the prod overlay runs it: TLS on its port, mutual TLS to
// the services. Its frame relay serves both: a TLS caller is answered, the
// service sees the gateway's client certificate, reflection and health
// answer through TLS, a plaintext caller is not served, and a renewed
// certificate is served without a restart.
TEST(TlsTest, TheGatewaysRelayServesTlsAndReachesServicesOverMutualTls) {
  auto postgres = caunoi::testing::PostgresServer::Start();
  ASSERT_THAT(postgres.status(), IsOk());
  const std::string directory = caunoi::testing::MakeTempDirectory("caunoi-relay-tls");
  const std::string renewed = caunoi::testing::MakeTempDirectory("caunoi-relay-tls-renewed");
  ASSERT_THAT(caunoi::testing::MakeCertificates(directory), IsOk());
  ASSERT_THAT(caunoi::testing::MakeClientCertificate(directory), IsOk());
  ASSERT_THAT(caunoi::testing::MakeCertificates(renewed), IsOk());
  const std::string served = ServedCopyOf(directory);

  auto organizations = caunoi::testing::ServerProcess::Start(
      CAUNOI_ORGANIZATIONS_SERVER, {},
      {{"CAUNOI_DATABASE_URL", (*postgres)->dsn()},
       {"CAUNOI_DEVELOPMENT_MODE", "false"},
       {"CAUNOI_GATEWAY_SECRET", "tls-secret"},
       {"CAUNOI_TLS_CERT_FILE", directory + "/tls.crt"},
       {"CAUNOI_TLS_KEY_FILE", directory + "/tls.key"},
       {"CAUNOI_TLS_CLIENT_CA_FILE", directory + "/ca.crt"},
       {"CAUNOI_HEALTH_LISTEN", "127.0.0.1:" + std::to_string(caunoi::testing::PickFreePort())}});
  ASSERT_THAT(organizations.status(), IsOk());
  std::ofstream(directory + "/tokens") << gateway::Sha256Hex(kToken) << " r central reader\n";
  auto gateway = caunoi::testing::ServerProcess::Start(
      CAUNOI_GATEWAY_SERVER, {"--tls_reload_interval=1s"},
      {{"CAUNOI_GATEWAY_SECRET", "tls-secret"},
       {"CAUNOI_TOKENS_FILE", directory + "/tokens"},
       {"CAUNOI_ORGANIZATIONS_ADDRESS", (*organizations)->address()},
       {"CAUNOI_TLS_CERT_FILE", served + "/tls.crt"},
       {"CAUNOI_TLS_KEY_FILE", served + "/tls.key"},
       {"CAUNOI_BACKEND_CA_FILE", directory + "/ca.crt"},
       {"CAUNOI_BACKEND_CERT_FILE", directory + "/client.crt"},
       {"CAUNOI_BACKEND_KEY_FILE", directory + "/client.key"},
       {"CAUNOI_HEALTH_LISTEN", "127.0.0.1:" + std::to_string(caunoi::testing::PickFreePort())}});
  ASSERT_THAT(gateway.status(), IsOk());
  EXPECT_THAT((*gateway)->log(), ::testing::HasSubstr("\"event\":\"gateway.frame_relay\""));

  auto list = [&](const std::shared_ptr<grpc::Channel>& channel) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
    context.AddMetadata("authorization", std::string("Bearer ") + kToken);
    v1::ListLocalitiesResponse localities;
    const grpc::Status status =
        v1::OrganizationService::NewStub(channel)->ListLocalities(&context, {}, &localities);
    return status.ok() ? localities.localities_size() : -1;
  };
  auto tls = TlsChannel((*gateway)->address(), directory + "/ca.crt");
  EXPECT_EQ(list(tls), 34);
  EXPECT_EQ(caunoi::testing::HealthStatus(tls, ""), caunoi::testing::HealthState::kServing);
  absl::StatusOr<std::vector<std::string>> services = caunoi::testing::ReflectionListServices(tls);
  ASSERT_THAT(services.status(), IsOk());
  EXPECT_THAT(*services, ::testing::Contains("caunoi.v1.OrganizationService"));
  EXPECT_EQ(list((*gateway)->NewChannel()), -1) << "a plaintext caller was served";
  EXPECT_EQ(list(TlsChannel((*gateway)->address(), renewed + "/ca.crt")), -1);

  EXPECT_TRUE(RenewedPairServed(served, renewed, [&] {
    return list(TlsChannel((*gateway)->address(), renewed + "/ca.crt")) == 34;
  })) << (*gateway)->log();
}

}  // namespace
}  // namespace caunoi
