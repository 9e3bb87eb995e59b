// TLS between the gateway and a service, as the prod overlay runs them: the
// service serves TLS with a certificate of a private CA (its probes on the
// plaintext health port), the gateway verifies it with that CA, and a
// plaintext caller cannot reach the service at all.
#include <filesystem>
#include <fstream>
#include <iterator>

#include "caunoi/v1/organizations.grpc.pb.h"
#include "common/client/channel.h"
#include "common/status/grpc_status.h"
#include "common/testing/error_details.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "services/gateway/token_table.h"
#include "tests/support/postgres_test.h"
#include "tests/support/server_process.h"
#include "tests/support/subprocess.h"

namespace caunoi {
namespace {

using ::caunoi::testing::IsOk;

constexpr char kToken[] = "tls-reader";

// A CA and a certificate for 127.0.0.1 signed by it, in `directory`.
void MakeCertificates(const std::string& directory) {
  std::ofstream(directory + "/san.ext") << "subjectAltName=IP:127.0.0.1,DNS:localhost\n";
  const std::vector<std::vector<std::string>> commands = {
      {"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", directory + "/ca.key",
       "-out", directory + "/ca.crt", "-subj", "/CN=caunoi-test-ca", "-days", "2"},
      {"openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", directory + "/tls.key", "-out",
       directory + "/tls.csr", "-subj", "/CN=127.0.0.1"},
      {"openssl", "x509", "-req", "-in", directory + "/tls.csr", "-CA", directory + "/ca.crt",
       "-CAkey", directory + "/ca.key", "-CAcreateserial", "-out", directory + "/tls.crt", "-days",
       "2", "-extfile", directory + "/san.ext"},
  };
  for (const auto& command : commands) {
    absl::StatusOr<int> exit_code = caunoi::testing::RunCommand(command);
    ASSERT_THAT(exit_code.status(), IsOk());
    ASSERT_EQ(*exit_code, 0) << command[1] << " " << command[2];
  }
}

TEST(TlsTest, TheGatewayReachesATlsServiceAndPlaintextCallersCannot) {
  auto postgres = caunoi::testing::PostgresServer::Start();
  ASSERT_THAT(postgres.status(), IsOk());
  const std::string directory = caunoi::testing::MakeTempDirectory("caunoi-tls");
  ASSERT_NO_FATAL_FAILURE(MakeCertificates(directory));
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

// A client certificate signed by the CA in `directory`.
void MakeClientCertificate(const std::string& directory) {
  const std::vector<std::vector<std::string>> commands = {
      {"openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", directory + "/client.key",
       "-out", directory + "/client.csr", "-subj", "/CN=caunoi-gateway"},
      {"openssl", "x509", "-req", "-in", directory + "/client.csr", "-CA", directory + "/ca.crt",
       "-CAkey", directory + "/ca.key", "-CAcreateserial", "-out", directory + "/client.crt",
       "-days", "2"},
  };
  for (const auto& command : commands) {
    absl::StatusOr<int> exit_code = caunoi::testing::RunCommand(command);
    ASSERT_THAT(exit_code.status(), IsOk());
    ASSERT_EQ(*exit_code, 0) << command[1];
  }
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A TLS channel to `address` trusting `ca`, presenting `client` when given.
std::shared_ptr<grpc::Channel> TlsChannel(const std::string& address, const std::string& ca,
                                          const std::string& client_directory = "") {
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = ReadAll(ca);
  if (!client_directory.empty()) {
    options.pem_private_key = ReadAll(client_directory + "/client.key");
    options.pem_cert_chain = ReadAll(client_directory + "/client.crt");
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
  ASSERT_NO_FATAL_FAILURE(MakeCertificates(directory));
  ASSERT_NO_FATAL_FAILURE(MakeClientCertificate(directory));

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

TEST(TlsTest, ARotatedCertificateIsServedWithoutARestart) {
  auto postgres = caunoi::testing::PostgresServer::Start();
  ASSERT_THAT(postgres.status(), IsOk());
  const std::string first = caunoi::testing::MakeTempDirectory("caunoi-tls-a");
  const std::string second = caunoi::testing::MakeTempDirectory("caunoi-tls-b");
  ASSERT_NO_FATAL_FAILURE(MakeCertificates(first));
  ASSERT_NO_FATAL_FAILURE(MakeCertificates(second));
  const std::string served = caunoi::testing::MakeTempDirectory("caunoi-tls-served");
  std::filesystem::copy_file(first + "/tls.crt", served + "/tls.crt");
  std::filesystem::copy_file(first + "/tls.key", served + "/tls.key");
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

  // The renewed pair replaces the old one in place, as a Secret update does.
  std::filesystem::copy_file(second + "/tls.crt", served + "/tls.crt.new");
  std::filesystem::copy_file(second + "/tls.key", served + "/tls.key.new");
  std::filesystem::rename(served + "/tls.key.new", served + "/tls.key");
  std::filesystem::rename(served + "/tls.crt.new", served + "/tls.crt");
  bool rotated = false;
  for (const absl::Time give_up = absl::Now() + absl::Seconds(15);
       !rotated && absl::Now() < give_up;) {
    absl::SleepFor(absl::Milliseconds(500));
    rotated = answers(second + "/ca.crt");
  }
  EXPECT_TRUE(rotated) << (*server)->log();
}

}  // namespace
}  // namespace caunoi
