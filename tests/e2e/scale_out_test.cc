// Scale-out on one machine: two replicas of each service on loopback ports,
// the gateway balancing over them, a bounded mixed load, and one replica of
// each service killed halfway. No read may fail, every acknowledged write
// must be there exactly once, and the load must have reached every replica.
#include <csignal>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "caunoi/v1/directives.grpc.pb.h"
#include "caunoi/v1/organizations.grpc.pb.h"
#include "caunoi/v1/reports.grpc.pb.h"
#include "caunoi/v1/server_info.grpc.pb.h"
#include "common/pg/connection.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/gateway/token_table.h"
#include "tests/support/postgres_test.h"
#include "tests/support/server_process.h"
#include "tests/support/subprocess.h"

namespace caunoi {
namespace {

using ::caunoi::testing::IsOk;
using ::caunoi::testing::ServerProcess;

constexpr char kReader[] = "scale-reader";
constexpr char kWriter[] = "scale-writer";
constexpr char kSecret[] = "scale-secret";
constexpr absl::Duration kLoad = absl::Seconds(20);
constexpr int kReaders = 4;
constexpr int kWriters = 2;

// One service's replicas, all on the same database.
struct Replicated {
  std::string name;  // "organizations": also its CAUNOI_<NAME>_ADDRESS
  std::string binary;
  std::vector<std::unique_ptr<ServerProcess>> replicas;
  std::string Target() const {
    std::vector<std::string> addresses;
    for (const auto& replica : replicas) addresses.push_back(replica->address());
    return "ipv4:" + absl::StrJoin(addresses, ",");
  }
};

int64_t CallsServed(const ServerProcess& server) {
  auto stub = v1::ServerInfoService::NewStub(server.NewChannel());
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  v1::ServerInfo info;
  return stub->GetServerInfo(&context, {}, &info).ok() ? info.calls_served() : -1;
}

class ScaleOutTest : public caunoi::testing::PostgresTest {
 protected:
  void SetUp() override {
    PostgresTest::SetUp();
    if (HasFatalFailure()) return;
    const std::string tokens = caunoi::testing::MakeTempDirectory("caunoi-scale") + "/tokens";
    std::ofstream(tokens) << gateway::Sha256Hex(kReader) << " scale-reader central reader\n"
                          << gateway::Sha256Hex(kWriter) << " scale-writer central central\n";
    std::map<std::string, std::string> environment = {{"CAUNOI_DATABASE_URL", postgres_->dsn()},
                                                      {"CAUNOI_GATEWAY_SECRET", kSecret}};
    // One replica at a time, so the first applies the migrations alone.
    for (Replicated* service : {&organizations_, &directives_, &reports_}) {
      for (int i = 0; i < 2; ++i) {
        auto replica = ServerProcess::Start(service->binary, {}, environment);
        ASSERT_TRUE(replica.ok()) << service->name << ": " << replica.status();
        service->replicas.push_back(*std::move(replica));
      }
      environment["CAUNOI_" + absl::AsciiStrToUpper(service->name) + "_ADDRESS"] =
          service->Target();
    }
    environment["CAUNOI_TOKENS_FILE"] = tokens;
    environment["CAUNOI_RATE_PER_SECOND"] = "100000";
    environment["CAUNOI_RATE_BURST"] = "100000";
    auto gateway = ServerProcess::Start(CAUNOI_GATEWAY_SERVER, {}, environment);
    ASSERT_TRUE(gateway.ok()) << gateway.status();
    gateway_ = *std::move(gateway);
  }

  Replicated organizations_{"organizations", CAUNOI_ORGANIZATIONS_SERVER, {}};
  Replicated directives_{"directives", CAUNOI_DIRECTIVES_SERVER, {}};
  Replicated reports_{"reports", CAUNOI_REPORTS_SERVER, {}};
  std::unique_ptr<ServerProcess> gateway_;
};

grpc::ClientContext* WithToken(grpc::ClientContext& context, const char* token) {
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  context.AddMetadata("authorization", std::string("Bearer ") + token);
  return &context;
}

TEST_F(ScaleOutTest, LoadSpreadsOverReplicasAndSurvivesLosingOneOfEach) {
  auto channel = gateway_->NewChannel();
  auto organizations = v1::OrganizationService::NewStub(channel);
  auto directives = v1::DirectiveService::NewStub(channel);
  auto reports = v1::ReportService::NewStub(channel);

  const absl::Time end = absl::Now() + kLoad;
  std::atomic<int64_t> reads{0}, failed_reads{0}, writes{0}, write_retries{0};
  std::mutex mutex;
  std::vector<std::string> read_failures;
  std::vector<std::string> acknowledged;  // display names of acknowledged creates

  std::vector<std::thread> threads;
  for (int t = 0; t < kReaders; ++t) {
    threads.emplace_back([&, t] {
      for (int64_t n = 0; absl::Now() < end; ++n) {
        grpc::ClientContext context;
        grpc::Status status;
        switch ((n + t) % 3) {
          case 0: {
            v1::ListLocalitiesResponse response;
            status = organizations->ListLocalities(WithToken(context, kReader), {}, &response);
            if (status.ok() && response.localities_size() != 34) {
              status = grpc::Status(grpc::StatusCode::DATA_LOSS, "not 34 localities");
            }
            break;
          }
          case 1: {
            v1::ListDocumentsResponse response;
            status = directives->ListDocuments(WithToken(context, kReader), {}, &response);
            break;
          }
          default: {
            v1::ListObligationsResponse response;
            status = reports->ListObligations(WithToken(context, kReader), {}, &response);
          }
        }
        ++reads;
        if (!status.ok()) {
          ++failed_reads;
          std::lock_guard<std::mutex> lock(mutex);
          read_failures.push_back(absl::StrCat(status.error_code(), " ", status.error_message()));
        }
      }
    });
  }
  for (int t = 0; t < kWriters; ++t) {
    threads.emplace_back([&, t] {
      for (int64_t n = 0; absl::Now() < end; ++n) {
        v1::CreateOrganizationRequest request;
        request.set_request_id(absl::StrCat("scale-", t, "-", n));
        const std::string name = absl::StrCat("Hội hữu nghị thử tải ", t, "-", n);
        request.mutable_organization()->set_display_name(name);
        request.mutable_organization()->set_kind(v1::ORGANIZATION_KIND_FRIENDSHIP_ASSOCIATION);
        request.mutable_organization()->set_level(v1::ORGANIZATION_LEVEL_PROVINCIAL);
        request.mutable_organization()->set_locality("localities/01");
        // Retried with the same request_id until acknowledged: at most one
        // organization may result, whichever replica took which attempt.
        for (int attempt = 0; absl::Now() < end + absl::Seconds(10); ++attempt) {
          grpc::ClientContext context;
          v1::Organization created;
          if (organizations->CreateOrganization(WithToken(context, kWriter), request, &created)
                  .ok()) {
            ++writes;
            std::lock_guard<std::mutex> lock(mutex);
            acknowledged.push_back(name);
            break;
          }
          ++write_retries;
          absl::SleepFor(absl::Milliseconds(50));
        }
      }
    });
  }

  absl::SleepFor(kLoad / 2);
  std::map<std::string, std::vector<int64_t>> served_before_kill;
  for (Replicated* service : {&organizations_, &directives_, &reports_}) {
    for (const auto& replica : service->replicas) {
      served_before_kill[service->name].push_back(CallsServed(*replica));
    }
    service->replicas[1]->Signal(SIGKILL);
  }
  for (std::thread& thread : threads) thread.join();

  std::printf("scale-out: %lld reads (%lld failed), %lld writes acknowledged (%lld retries)\n",
              static_cast<long long>(reads.load()), static_cast<long long>(failed_reads.load()),
              static_cast<long long>(writes.load()), static_cast<long long>(write_retries.load()));
  for (const auto& [service, counts] : served_before_kill) {
    std::printf("scale-out: %s replicas served %s calls before the kill\n", service.c_str(),
                absl::StrJoin(counts, " and ").c_str());
    ASSERT_EQ(counts.size(), 2u);
    const int64_t total = counts[0] + counts[1];
    EXPECT_GT(total, 0) << service;
    for (int64_t count : counts) {
      EXPECT_GE(count * 5, total) << service << ": a replica got under a fifth of the calls";
    }
  }

  EXPECT_EQ(failed_reads.load(), 0) << absl::StrJoin(read_failures, "\n");
  EXPECT_GT(reads.load(), 100);
  EXPECT_GT(writes.load(), 20);

  auto connection = Connect("scale-check");
  ASSERT_NE(connection, nullptr);
  constexpr pg::Statement kCount{"scale_count",
                                 "SELECT display_name, count(*) FROM organizations.organizations"
                                 " WHERE display_name LIKE 'Hội hữu nghị thử tải %' GROUP BY 1"};
  auto rows = connection->Execute(kCount);
  ASSERT_THAT(rows.status(), IsOk());
  std::map<std::string, int64_t> stored;
  for (int i = 0; i < rows->rows(); ++i) {
    stored[std::string(rows->Text(i, 0))] = std::stoll(std::string(rows->Text(i, 1)));
  }
  for (const std::string& name : acknowledged) {
    EXPECT_EQ(stored[name], 1) << name << " must be stored exactly once";
  }
  for (const auto& [name, count] : stored) EXPECT_EQ(count, 1) << name;
}

}  // namespace
}  // namespace caunoi
