// The channels our clients open (common/client/channel.cc) against a server
// that is slow to greet, as a loaded peer or a TLS handshake can be.
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/client/channel.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "grpcpp/server_posix.h"
#include "gtest/gtest.h"
#include "tests/support/grpc_probes.h"
#include "tests/support/subprocess.h"

namespace caunoi {
namespace {

class ServingHealth final : public grpc::health::v1::Health::Service {
  grpc::Status Check(grpc::ServerContext*, const grpc::health::v1::HealthCheckRequest*,
                     grpc::health::v1::HealthCheckResponse* response) override {
    response->set_status(grpc::health::v1::HealthCheckResponse::SERVING);
    return grpc::Status::OK;
  }
};

TEST(ClientChannelTest, AServerSlowToSendItsSettingsIsWaitedFor) {
  ServingHealth health;
  grpc::ServerBuilder builder;  // no port: the connection is handed over below
  builder.RegisterService(&health);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_NE(server, nullptr);
  // Listening, but nobody accepts: the kernel completes the client's
  // connection, which then waits for the server's SETTINGS.
  const testing::LoopbackSocket listener = testing::BindLoopback();
  ASSERT_NE(listener.port, 0);
  ASSERT_EQ(listen(listener.fd, 8), 0);

  // The server takes the connection half a second after the client made it:
  // longer than a connection attempt once lasted (0.1 s), far less than a
  // call's deadline.
  std::thread slow_server([&] {
    absl::SleepFor(absl::Milliseconds(500));
    const int connection = accept(listener.fd, nullptr, nullptr);
    if (connection < 0) return;
    fcntl(connection, F_SETFL, fcntl(connection, F_GETFL) | O_NONBLOCK);
    grpc::AddInsecureChannelFromFd(server.get(), connection);
  });
  const std::shared_ptr<grpc::Channel> channel =
      MakeInsecureChannel(absl::StrCat("127.0.0.1:", listener.port));
  EXPECT_EQ(testing::HealthStatus(channel, "", absl::Seconds(10)), testing::HealthState::kServing);
  slow_server.join();
  server->Shutdown(absl::ToChronoTime(absl::Now() + absl::Seconds(2)));
  close(listener.fd);
}

}  // namespace
}  // namespace caunoi
