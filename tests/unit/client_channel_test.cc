// The channels our clients open (common/client/channel.cc) against a server
// that is slow to greet, as a loaded peer or a TLS handshake can be.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
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

namespace caunoi {
namespace {

// A listening socket on loopback: the kernel completes connections to it
// while nobody accepts them, so a client waits for the server's SETTINGS.
struct Listener {
  Listener() {
    fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    if (bind(fd, reinterpret_cast<sockaddr*>(&address), length) != 0 || listen(fd, 8) != 0 ||
        getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      return;
    }
    port = ntohs(address.sin_port);
  }
  ~Listener() { close(fd); }
  int fd = -1;
  int port = 0;
};

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
  Listener listener;
  ASSERT_NE(listener.port, 0);

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
}

}  // namespace
}  // namespace caunoi
