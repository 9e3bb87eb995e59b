#ifndef CAUNOI_TESTS_BENCH_BENCH_SUITE_H_
#define CAUNOI_TESTS_BENCH_BENCH_SUITE_H_

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "google/protobuf/arena.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"
#include "tests/support/server_process.h"

// Today's 34 units numbered 1..34, as (code, k), so that loaded records sit
// where real ones would.
#define CAUNOI_BENCH_CURRENT_UNITS                           \
  "(SELECT id AS code, row_number() OVER (ORDER BY id) AS k" \
  " FROM organizations.localities WHERE valid_until IS NULL)"

// Today's 34 unit codes, as an array.
#define CAUNOI_BENCH_CURRENT_CODES \
  "ARRAY(SELECT id FROM organizations.localities WHERE valid_until IS NULL ORDER BY id)"

namespace caunoi::bench {

// `call(context, thread)` with `token` as its bearer token.
template <typename Call>
std::function<bool(int)> WithToken(std::string token, Call call) {
  return [token = std::move(token), call](int thread) {
    grpc::ClientContext context;
    context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
    return call(context, thread);
  };
}

// A measured call's answer, decoded on `arena` and freed with it at once.
// The bench's callers share the cores with the servers they measure: a
// province's answer of 37,800 messages decoded one allocation at a time
// took the caller 3.9 ms of CPU against 2.0 ms on an arena (an idle core).
template <typename Answer>
Answer& AnswerOn(google::protobuf::Arena& arena) {
  return *google::protobuf::Arena::CreateMessage<Answer>(&arena);
}

// Runs `script` on a connection of its own, saying first what it loads,
// then analyzes every table that holds rows and leaves the empty ones
// unanalyzed (tables_with_rows.h says why). Bulk data is loaded by SQL:
// the figures measure reads, and the write paths have their own.
absl::Status LoadBySql(const std::string& dsn, const std::string& what, const std::string& script);

// Vacuums and analyzes the tables that hold rows and writes out what was
// loaded, as a database that has run a while would be, so that neither
// autovacuum nor a checkpoint of the load runs while reads are timed (and
// index-only scans find pages all-visible).
absl::Status SettleLoadedData(const std::string& dsn);

// True when OK; the first failure of a measurement is printed.
bool Explained(const grpc::Status& status, std::atomic<bool>& printed);

// Keeps what a measurement started up for `hold` (nothing when zero),
// printing how to reach its database and the server it called (`entry`,
// e.g. "gateway 127.0.0.1:5000 (token t)"), to look into their plans and
// profiles.
void HoldForInspection(absl::Duration hold, const std::string& dsn, const std::string& entry);

// The directives and reports servers beside a running organizations
// server, all on `dsn`, and what a gateway in front of them needs.
struct BenchSuite {
  std::unique_ptr<testing::ServerProcess> directives;
  std::unique_ptr<testing::ServerProcess> reports;
  std::map<std::string, std::string> gateway_environment;

  // The demo's records, written through the three servers as `make run`
  // writes them.
  absl::Status LoadDemo(const std::string& organizations_address) const;

  // A gateway in front of the three with `tokens` (lines of a tokens
  // file, hashed here: "<token> <principal> <locality> <role>").
  absl::StatusOr<std::unique_ptr<testing::ServerProcess>> StartGateway(
      const std::vector<std::string>& tokens, const std::vector<std::string>& args,
      const std::map<std::string, std::string>& environment = {}) const;
};

// The reports server's arguments for figures that time reads: no alert
// pass runs while they are timed (a pass over a loaded backlog is work of
// its own, sharing the machine with the reads).
inline const std::vector<std::string> kNoAlertPass = {"--alert_interval=24h"};

// `reports_args` are added to the reports server's.
absl::StatusOr<BenchSuite> StartBenchSuite(const std::string& dsn,
                                           const std::string& organizations_address,
                                           const std::vector<std::string>& reports_args = {});

}  // namespace caunoi::bench

#endif  // CAUNOI_TESTS_BENCH_BENCH_SUITE_H_
