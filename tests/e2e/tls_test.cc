// TLS between the gateway and a service, as the prod overlay runs them: the
// service serves TLS with a certificate of a private CA (its probes on the
// plaintext health port), the gateway verifies it with that CA, and a
// plaintext caller cannot reach the service at all.
#include <fstream>

#include "caunoi/v1/organizations.grpc.pb.h"
#include "common/client/channel.h"
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

}  // namespace
}  // namespace caunoi
