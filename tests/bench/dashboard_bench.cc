#include "tests/bench/dashboard_bench.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tests/bench/bench_suite.h"
#include "tests/support/postgres_server.h"
#include "tests/support/server_process.h"
#include "tests/support/subprocess.h"

namespace caunoi::bench {
namespace {

constexpr char kToken[] = "bench-dashboard-reader";

LoadResult Summarize(std::string name, std::vector<double> millis, int errors) {
  LoadResult result;
  result.name = std::move(name);
  result.calls = static_cast<int64_t>(millis.size());
  result.errors = errors;
  if (millis.empty()) return result;
  std::sort(millis.begin(), millis.end());
  auto at = [&](double quantile) {
    const size_t index = std::min(millis.size() - 1, static_cast<size_t>(quantile * millis.size()));
    return absl::Milliseconds(millis[index]);
  };
  result.p50 = at(0.50);
  result.p99 = at(0.99);
  double total = 0;
  for (double value : millis) total += value;
  result.per_second = 1000.0 * millis.size() / total;
  return result;
}

void Fail(const std::string& what, const absl::Status& status) {
  std::fprintf(stderr, "dashboard: %s: %s\n", what.c_str(), std::string(status.message()).c_str());
}

}  // namespace

DashboardResult MeasureDashboard(int views) {
  DashboardResult result;
  auto postgres = testing::PostgresServer::Start({.durable = true});
  if (!postgres.ok()) return Fail("PostgreSQL", postgres.status()), result;
  const std::string dsn = (*postgres)->dsn();
  auto organizations = testing::ServerProcess::Start(CAUNOI_ORGANIZATIONS_SERVER, {},
                                                     {{"CAUNOI_DATABASE_URL", dsn}});
  if (!organizations.ok()) return Fail("organizations_server", organizations.status()), result;
  absl::StatusOr<BenchSuite> suite = StartBenchSuite(dsn, (*organizations)->address());
  if (!suite.ok()) return Fail("servers", suite.status()), result;
  if (absl::Status loaded = suite->LoadDemo((*organizations)->address()); !loaded.ok()) {
    return Fail("demo data", loaded), result;
  }
  const int web_port = testing::PickFreePort();
  // Computed on every call, and a rate that lets every view through: the
  // page is timed, not the limiter.
  auto gateway = suite->StartGateway(
      {absl::StrCat(kToken, " doc-gia central reader")},
      {absl::StrCat("--web_listen=127.0.0.1:", web_port), "--rollout_cache_ttl=0s",
       "--rate_per_second=100000", "--rate_burst=100000"});
  if (!gateway.ok()) return Fail("gateway", gateway.status()), result;

  std::fprintf(stderr, "dashboard: %d cold first views in chromium\n", views);
  const std::string log = testing::MakeTempDirectory("caunoi-bench") + "/views";
  absl::StatusOr<int> ran = testing::RunCommand(
      {"node", std::string(CAUNOI_SOURCE_DIR) + "/tests/web/first_view.bench.mjs",
       absl::StrCat("--url=http://127.0.0.1:", web_port, "/"), absl::StrCat("--token=", kToken),
       absl::StrCat("--views=", views)},
      log);
  std::ifstream in(log);
  std::vector<double> first_view, data_alone;
  int errors = 0;
  for (std::string line; std::getline(in, line);) {
    double view_ms = 0, data_ms = 0;
    if (std::sscanf(line.c_str(), "view %lf %lf", &view_ms, &data_ms) != 2) continue;
    first_view.push_back(view_ms);
    if (data_ms >= 0)
      data_alone.push_back(data_ms);
    else
      ++errors;
  }
  if (!ran.ok() || *ran != 0 || static_cast<int>(first_view.size()) != views) {
    std::fprintf(stderr, "dashboard: the browser stopped early:\n%s\n",
                 testing::ReadFileTail(log).c_str());
    return result;
  }
  result.first_view = Summarize("dashboard first view (cold)", first_view, 0);
  result.data_alone = Summarize("its rollout over /api alone", data_alone, errors);
  result.complete = true;
  return result;
}

bool PrintDashboard(const DashboardResult& result) {
  if (!result.complete) {
    std::fprintf(stderr, "dashboard measurement incomplete\n");
    return false;
  }
  for (const LoadResult* figure : {&result.first_view, &result.data_alone}) {
    std::printf("%-34s %4lld views  p50 %8.1f ms  p99 %8.1f ms  errors %lld\n",
                figure->name.c_str(), static_cast<long long>(figure->calls),
                absl::ToDoubleMilliseconds(figure->p50), absl::ToDoubleMilliseconds(figure->p99),
                static_cast<long long>(figure->errors));
  }
  const double p99 = absl::ToDoubleMilliseconds(result.first_view.p99);
  std::printf(
      "target: the first view of the 34-province rollout drawn in under 1 s: p99 %.0f ms (%s),"
      " %.1f x its data alone\n",
      p99, p99 < 1000 ? "met" : "not met",
      p99 / std::max(0.001, absl::ToDoubleMilliseconds(result.data_alone.p99)));
  return result.data_alone.errors == 0;
}

}  // namespace caunoi::bench
