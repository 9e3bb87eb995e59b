// A server outlives its database's outage, and drains on SIGTERM.
#include <signal.h>

#include <atomic>
#include <thread>

#include "caunoi/v1/organizations.grpc.pb.h"
#include "common/pg/connection.h"
#include "common/status/grpc_status.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "tests/support/grpc_probes.h"
#include "tests/support/postgres_test.h"
#include "tests/support/server_process.h"
#include "tests/support/subprocess.h"

namespace caunoi {
namespace {

using ::caunoi::testing::HealthState;
using ::caunoi::testing::IsOk;
using ::caunoi::testing::StatusIs;

class ResilienceTest : public caunoi::testing::PostgresTest {
 protected:
  void StartServer(std::vector<std::string> args) {
    auto server = caunoi::testing::ServerProcess::Start(
        CAUNOI_ORGANIZATIONS_SERVER, args, {{"CAUNOI_DATABASE_URL", postgres_->dsn()}});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    channel_ = server_->NewChannel();
    stub_ = v1::OrganizationService::NewStub(channel_);
  }

  absl::Status ListLocalities(absl::Duration timeout = absl::Seconds(5)) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
    v1::ListLocalitiesResponse response;
    absl::Status status = FromGrpcStatus(stub_->ListLocalities(&context, {}, &response));
    if (status.ok() && response.localities_size() != 34) {
      return absl::DataLossError("wrong number of localities");
    }
    return status;
  }

  bool WaitForHealth(HealthState wanted, absl::Duration timeout) {
    const absl::Time deadline = absl::Now() + timeout;
    while (absl::Now() < deadline) {
      if (caunoi::testing::HealthStatus(channel_, "caunoi.v1.OrganizationService") == wanted) {
        return true;
      }
      absl::SleepFor(absl::Milliseconds(50));
    }
    return false;
  }

  std::unique_ptr<caunoi::testing::ServerProcess> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::OrganizationService::Stub> stub_;
};

TEST_F(ResilienceTest, DatabaseOutageIsUnavailableThenHealsWithoutRestart) {
  const int health_port = caunoi::testing::PickFreePort();
  StartServer(
      {"--health_interval=200ms", "--health_listen=127.0.0.1:" + std::to_string(health_port)});
  ASSERT_THAT(ListLocalities(), IsOk());
  // The probe port answers health alone, in step with the main port.
  auto probe_channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(health_port),
                                           grpc::InsecureChannelCredentials());
  EXPECT_EQ(caunoi::testing::HealthStatus(probe_channel, ""), HealthState::kServing);
  EXPECT_EQ(caunoi::testing::HealthStatus(probe_channel, "liveness"), HealthState::kServing);
  {
    auto on_probe_port = v1::OrganizationService::NewStub(probe_channel);
    grpc::ClientContext context;
    v1::ListLocalitiesResponse response;
    EXPECT_EQ(on_probe_port->ListLocalities(&context, {}, &response).error_code(),
              grpc::StatusCode::UNIMPLEMENTED);
  }

  ASSERT_THAT(postgres_->Stop(), IsOk());
  EXPECT_TRUE(WaitForHealth(HealthState::kNotServing, absl::Seconds(5))) << server_->log();
  // Unready, but alive: the liveness name stays SERVING, so Kubernetes
  // takes the pod out of the Service without restarting it.
  EXPECT_EQ(caunoi::testing::HealthStatus(probe_channel, ""), HealthState::kNotServing);
  EXPECT_EQ(caunoi::testing::HealthStatus(probe_channel, "liveness"), HealthState::kServing);
  const absl::Time outage_end = absl::Now() + absl::Seconds(5);
  int failed_calls = 0;
  while (absl::Now() < outage_end) {
    EXPECT_THAT(ListLocalities(), StatusIs(absl::StatusCode::kUnavailable));
    EXPECT_EQ(caunoi::testing::HealthStatus(channel_, ""), HealthState::kNotServing);
    ++failed_calls;
    absl::SleepFor(absl::Milliseconds(250));
  }
  EXPECT_GT(failed_calls, 5);

  ASSERT_THAT(postgres_->Resume(), IsOk());
  EXPECT_TRUE(WaitForHealth(HealthState::kServing, absl::Seconds(10))) << server_->log();
  EXPECT_THAT(ListLocalities(), IsOk());
  EXPECT_EQ(kill(server_->pid(), 0), 0) << "the server must not have restarted";
}

TEST_F(ResilienceTest, SigtermLetsInFlightCallsFinishThenExitsZero) {
  StartServer({"--drain_grace=300ms", "--drain_deadline=10s", "--db_pool_size=4"});
  ASSERT_THAT(ListLocalities(), IsOk());

  // Hold a lock that makes every ListLocalities wait inside PostgreSQL.
  auto locker = Connect("locker");
  ASSERT_NE(locker, nullptr);
  ASSERT_THAT(locker
                  ->ExecuteScript("BEGIN; LOCK TABLE organizations.localities IN ACCESS "
                                  "EXCLUSIVE MODE")
                  .status(),
              IsOk());

  constexpr int kInFlight = 4;
  std::vector<absl::Status> results(kInFlight, absl::UnknownError("not finished"));
  std::vector<std::thread> callers;
  for (int i = 0; i < kInFlight; ++i) {
    callers.emplace_back([&, i] { results[i] = ListLocalities(absl::Seconds(20)); });
  }
  // Wait until all of them are blocked on the lock in the database.
  auto watcher = Connect("watcher");
  ASSERT_NE(watcher, nullptr);
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  std::string waiting;
  while (absl::Now() < deadline && waiting != absl::StrCat(kInFlight)) {
    auto result = watcher->ExecuteScript(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
        " AND application_name = 'caunoi-organizations'");
    ASSERT_THAT(result.status(), IsOk());
    waiting = std::string(result->Text(0, 0));
    absl::SleepFor(absl::Milliseconds(20));
  }
  ASSERT_EQ(waiting, absl::StrCat(kInFlight));

  server_->Signal(SIGTERM);
  EXPECT_TRUE(WaitForHealth(HealthState::kNotServing, absl::Seconds(2)));
  absl::SleepFor(absl::Seconds(1));  // well past the grace: only in-flight calls remain
  ASSERT_THAT(locker->ExecuteScript("COMMIT").status(), IsOk());

  for (std::thread& caller : callers) caller.join();
  for (const absl::Status& result : results) EXPECT_THAT(result, IsOk());
  absl::StatusOr<int> exit_code = server_->WaitForExit(absl::Seconds(10));
  ASSERT_THAT(exit_code.status(), IsOk());
  EXPECT_EQ(*exit_code, 0) << server_->log();
  // And it no longer accepts calls.
  EXPECT_THAT(ListLocalities(absl::Seconds(1)), StatusIs(absl::StatusCode::kUnavailable));
}

}  // namespace
}  // namespace caunoi
