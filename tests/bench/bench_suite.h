#ifndef CAUNOI_TESTS_BENCH_BENCH_SUITE_H_
#define CAUNOI_TESTS_BENCH_BENCH_SUITE_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tests/support/server_process.h"

namespace caunoi::bench {

// The directives and reports servers beside a running organizations
// server, all on `dsn`, and what a gateway in front of them needs.
struct BenchSuite {
  std::unique_ptr<testing::ServerProcess> directives;
  std::unique_ptr<testing::ServerProcess> reports;
  std::map<std::string, std::string> gateway_environment;

  // A gateway in front of the three with `tokens` (lines of a tokens
  // file, hashed here: "<token> <principal> <locality> <role>").
  absl::StatusOr<std::unique_ptr<testing::ServerProcess>> StartGateway(
      const std::vector<std::string>& tokens, const std::vector<std::string>& args,
      const std::map<std::string, std::string>& environment = {}) const;
};

absl::StatusOr<BenchSuite> StartBenchSuite(const std::string& dsn,
                                           const std::string& organizations_address);

}  // namespace caunoi::bench

#endif  // CAUNOI_TESTS_BENCH_BENCH_SUITE_H_
