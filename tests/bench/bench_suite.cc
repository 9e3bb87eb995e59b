#include "tests/bench/bench_suite.h"

#include <cstdio>
#include <fstream>

#include "absl/functional/function_ref.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/pg/connection.h"
#include "common/status/status_macros.h"
#include "services/gateway/token_table.h"
#include "tests/bench/tables_with_rows.h"
#include "tests/support/subprocess.h"

namespace caunoi::bench {
namespace {

constexpr char kSecret[] = "bench-secret";

// Says what it does, then runs `steps` on a connection of its own.
absl::Status OnLoadConnection(const std::string& dsn, const std::string& doing,
                              absl::FunctionRef<absl::Status(pg::Connection&)> steps) {
  std::fprintf(stderr, "%s\n", doing.c_str());
  CAUNOI_ASSIGN_OR_RETURN(std::unique_ptr<pg::Connection> connection,
                          pg::Connection::Open(dsn, "bench-load"));
  return steps(*connection);
}

}  // namespace

absl::Status LoadBySql(const std::string& dsn, const std::string& what, const std::string& script) {
  return OnLoadConnection(dsn, absl::StrCat("loading ", what), [&](pg::Connection& connection) {
    CAUNOI_RETURN_IF_ERROR(connection.ExecuteScript(script).status());
    return OnTablesWithRows(connection, "ANALYZE");
  });
}

absl::Status SettleLoadedData(const std::string& dsn) {
  return OnLoadConnection(dsn, "settling the loaded data", [](pg::Connection& connection) {
    CAUNOI_RETURN_IF_ERROR(OnTablesWithRows(connection, "VACUUM (ANALYZE)"));
    return connection.ExecuteScript("CHECKPOINT").status();
  });
}

bool Explained(const grpc::Status& status, std::atomic<bool>& printed) {
  if (!status.ok() && !printed.exchange(true)) {
    std::fprintf(stderr, "call failed: %d %s\n", static_cast<int>(status.error_code()),
                 status.error_message().c_str());
  }
  return status.ok();
}

void HoldForInspection(absl::Duration hold, const std::string& dsn, const std::string& entry) {
  if (hold <= absl::ZeroDuration()) return;
  std::fprintf(stderr, "holding for %s: psql '%s', %s\n", absl::FormatDuration(hold).c_str(),
               dsn.c_str(), entry.c_str());
  absl::SleepFor(hold);
}

absl::StatusOr<BenchSuite> StartBenchSuite(const std::string& dsn,
                                           const std::string& organizations_address,
                                           const std::vector<std::string>& reports_args) {
  const std::map<std::string, std::string> common = {
      {"CAUNOI_DATABASE_URL", dsn},
      {"CAUNOI_GATEWAY_SECRET", kSecret},
      {"CAUNOI_ORGANIZATIONS_ADDRESS", organizations_address}};
  BenchSuite suite;
  auto directives =
      testing::ServerProcess::Start(CAUNOI_DIRECTIVES_SERVER, {"--db_pool_size=8"}, common);
  if (!directives.ok()) return directives.status();
  suite.directives = *std::move(directives);
  std::map<std::string, std::string> reports_environment = common;
  reports_environment["CAUNOI_DIRECTIVES_ADDRESS"] = suite.directives->address();
  std::vector<std::string> args = {"--db_pool_size=8"};
  args.insert(args.end(), reports_args.begin(), reports_args.end());
  auto reports = testing::ServerProcess::Start(CAUNOI_REPORTS_SERVER, args, reports_environment);
  if (!reports.ok()) return reports.status();
  suite.reports = *std::move(reports);
  suite.gateway_environment = common;
  suite.gateway_environment["CAUNOI_DIRECTIVES_ADDRESS"] = suite.directives->address();
  suite.gateway_environment["CAUNOI_REPORTS_ADDRESS"] = suite.reports->address();
  return suite;
}

absl::Status BenchSuite::LoadDemo(const std::string& organizations_address) const {
  absl::StatusOr<int> loaded = testing::RunCommand(
      {CAUNOI_DEMO_LOADER, "--organizations=" + organizations_address,
       "--directives=" + directives->address(), "--reports=" + reports->address()});
  if (!loaded.ok()) return loaded.status();
  if (*loaded != 0) return absl::InternalError(absl::StrCat("the demo loader exited ", *loaded));
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<testing::ServerProcess>> BenchSuite::StartGateway(
    const std::vector<std::string>& tokens, const std::vector<std::string>& args,
    const std::map<std::string, std::string>& environment) const {
  const std::string path = testing::MakeTempDirectory("caunoi-bench") + "/tokens";
  std::ofstream file(path);
  for (const std::string& line : tokens) {
    std::vector<std::string> words = absl::StrSplit(line, absl::MaxSplits(' ', 1));
    file << gateway::Sha256Hex(words[0]) << ' ' << words[1] << '\n';
  }
  file.close();
  std::map<std::string, std::string> merged = gateway_environment;
  merged["CAUNOI_TOKENS_FILE"] = path;
  for (const auto& [name, value] : environment) merged[name] = value;
  return testing::ServerProcess::Start(CAUNOI_GATEWAY_SERVER, args, merged);
}

}  // namespace caunoi::bench
