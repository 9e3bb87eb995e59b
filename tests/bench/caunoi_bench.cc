// `make bench`: throughput of the real servers next to baselines measured in
// the same run on the same machine, so results are compared as ratios.
//   echo        a bare gRPC unary call on loopback (the gRPC ceiling)
//   pg_insert   one durable single-row INSERT per call through libpq
//   grpc_insert a gRPC call whose handler does that INSERT (the write floor)
//   ...         our RPCs through the servers and a durable PostgreSQL
#include <atomic>
#include <cstdio>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "caunoi/v1/organizations.grpc.pb.h"
#include "common/client/channel.h"
#include "grpcpp/client_context.h"
#include "tests/bench/bench_suite.h"
#include "tests/bench/communes_bench.h"
#include "tests/bench/dashboard_bench.h"
#include "tests/bench/directives_bench.h"
#include "tests/bench/flood_bench.h"
#include "tests/bench/gateway_bench.h"
#include "tests/bench/indicators_bench.h"
#include "tests/bench/load_loop.h"
#include "tests/bench/national_data.h"
#include "tests/bench/reads_bench.h"
#include "tests/bench/watch_bench.h"
#include "tests/bench/write_floor.h"
#include "tests/support/postgres_server.h"
#include "tests/support/server_process.h"
#include "tests/support/stop_on_signal.h"

ABSL_FLAG(int, seconds, 3, "duration of each measurement");
ABSL_FLAG(int, concurrency, 16, "concurrent callers in each measurement");
ABSL_FLAG(int, watchers, 10000, "WatchChanges watchers held on one gateway");
ABSL_FLAG(int, watched_changes, 10, "changes timed to every watcher, a second apart");
ABSL_FLAG(std::string, only, "",
          "filing, forwarding, flood, communes, dashboard, indicators, watchers or reads: the"
          " baselines and that one"
          " measurement, with only the data it needs (a minute or two); empty: everything");
ABSL_FLAG(std::string, reads, "",
          "with --only=reads: measure only the reads whose label holds this text (or one of its"
          " |-separated parts)");
ABSL_FLAG(int, dashboard_views, 30, "cold first views of the dashboard in chromium");

ABSL_FLAG(int, hold_seconds, 0,
          "after --only=communes, --only=indicators or --only=reads, keep its PostgreSQL and"
          " servers up this long, printing how to reach them, to look into their plans and"
          " profiles");

namespace caunoi::bench {
namespace {

// Organizations created one per call, each with its own request_id;
// `sequence` counts them.
LoadResult MeasureCreateOrganization(v1::OrganizationService::Stub& stub, int concurrency,
                                     absl::Duration duration, std::atomic<int64_t>& sequence) {
  return RunLoad("CreateOrganization", concurrency, duration, [&](int) {
    const int64_t n = sequence++;
    v1::CreateOrganizationRequest request;
    request.set_request_id(absl::StrCat("bench-create-", n));
    v1::Organization* organization = request.mutable_organization();
    organization->set_display_name(absl::StrCat("Hội hữu nghị Việt Nam - Nhật Bản số ", n));
    organization->set_kind(v1::ORGANIZATION_KIND_FRIENDSHIP_ASSOCIATION);
    organization->set_level(v1::ORGANIZATION_LEVEL_PROVINCIAL);
    organization->set_locality("localities/01");
    grpc::ClientContext context;
    v1::Organization response;
    return stub.CreateOrganization(&context, request, &response).ok();
  });
}

// The writes against their targets: creates with p99 under 50 ms, report
// filing at 0.8 x the grpc_insert floor or more, the floor measured in turns
// with it.
void PrintWriteTargets(const std::vector<const LoadResult*>& results) {
  const LoadResult* floor = nullptr;
  for (const LoadResult* result : results) {
    if (result->name == kFloorInTurnsWithFiling) floor = result;
  }
  for (const LoadResult* result : results) {
    if (result->name == "CreateOrganization" || result->name == "CreateDocument") {
      const double p99 = absl::ToDoubleMilliseconds(result->p99);
      std::printf("target p99 < 50 ms: %-28s %8.1f ms  %s\n", result->name.c_str(), p99,
                  p99 < 50 ? "met" : "not met");
    } else if (absl::StartsWith(result->name, "CreateReport") && floor != nullptr) {
      const double ratio = result->per_second / floor->per_second;
      std::printf("target >= 0.8 x grpc_insert (in turns): %-19s %8.2f x  %s\n",
                  result->name.c_str(), ratio, ratio >= 0.8 ? "met" : "not met");
    }
  }
}

void Print(const LoadResult& result, const LoadResult& echo, const LoadResult& insert) {
  std::printf(
      "%-28s %10.0f/s  p50 %8.3f ms  p99 %8.3f ms  errors %-4lld  x echo %5.2f  x insert %6.2f%s\n",
      result.name.c_str(), result.per_second, absl::ToDoubleMilliseconds(result.p50),
      absl::ToDoubleMilliseconds(result.p99), static_cast<long long>(result.errors),
      result.per_second / echo.per_second, result.per_second / insert.per_second,
      BenchShareNote(result).c_str());
}

// Prints every result; false when any call failed.
bool PrintAll(const std::vector<const LoadResult*>& first, const std::vector<LoadResult>& rest,
              const LoadResult& echo, const LoadResult& insert) {
  int64_t errors = 0;
  for (const LoadResult* result : first) {
    Print(*result, echo, insert);
    errors += result->errors;
  }
  for (const LoadResult& result : rest) {
    Print(result, echo, insert);
    errors += result.errors;
  }
  return errors == 0;
}

// The commune tier's reads against their targets: p99 under 50 ms with one
// caller and under 150 ms with `concurrency`. False when a measurement is
// missing.
bool PrintCommuneTargets(const std::vector<LoadResult>& communes, int concurrency) {
  if (communes.size() < 16) {
    std::fprintf(stderr, "commune measurements incomplete\n");
    return false;
  }
  // Both targets of every read, so a slow one cannot hide.
  for (const LoadResult& result : communes) {
    const bool alone = result.name.find("(1 caller)") != std::string::npos;
    const double limit = alone ? 50 : 150;
    const double p99 = absl::ToDoubleMilliseconds(result.p99);
    std::printf("target p99 < %.0f ms: %-60s %8.1f ms  %s%s\n", limit,
                alone ? result.name.c_str()
                      : absl::StrCat(result.name, " (", concurrency, " callers)").c_str(),
                p99, p99 < limit ? "met" : "not met", BenchShareNote(result).c_str());
  }
  return true;
}

// Prints the flood's figures against their targets; false when a valid
// call failed or the servers were still working a second after the flood.
bool PrintFlood(const FloodResult& flood, const LoadResult& echo, const LoadResult& insert) {
  if (!flood.complete) {
    std::fprintf(stderr, "flood measurement incomplete\n");
    return false;
  }
  Print(flood.alone, echo, insert);
  Print(flood.flooded, echo, insert);
  const double p99_ratio =
      absl::ToDoubleMilliseconds(flood.flooded.p99) / absl::ToDoubleMilliseconds(flood.alone.p99);
  std::printf(
      "flood: %lld calls sent, %lld refused or abandoned; valid p99 %.2f x quiet (target <= 1.5:"
      " %s), servers idle %.0f ms after the flood (target <= 1000)\n",
      static_cast<long long>(flood.flood_calls), static_cast<long long>(flood.flood_refused),
      p99_ratio, p99_ratio <= 1.5 ? "met" : "not met",
      absl::ToDoubleMilliseconds(flood.idle_after));
  return flood.alone.errors == 0 && flood.flooded.errors == 0 &&
         flood.idle_after <= absl::Seconds(1);
}

int Main() {
  const int concurrency = absl::GetFlag(FLAGS_concurrency);
  const absl::Duration duration = absl::Seconds(absl::GetFlag(FLAGS_seconds));
  auto postgres = testing::PostgresServer::Start({.durable = true});
  if (!postgres.ok()) {
    std::fprintf(stderr, "PostgreSQL: %s\n", std::string(postgres.status().message()).c_str());
    return 1;
  }
  auto server = testing::ServerProcess::Start(CAUNOI_ORGANIZATIONS_SERVER, {"--db_pool_size=8"},
                                              {{"CAUNOI_DATABASE_URL", (*postgres)->dsn()}});
  if (!server.ok()) {
    std::fprintf(stderr, "organizations_server: %s\n",
                 std::string(server.status().message()).c_str());
    return 1;
  }
  auto stub = v1::OrganizationService::NewStub((*server)->NewChannel());

  std::printf("concurrency %d, %d s per measurement\n", concurrency, absl::GetFlag(FLAGS_seconds));
  std::fflush(stdout);  // before the progress lines on stderr
  const LoadResult insert = MeasureInsert((*postgres)->dsn(), concurrency, duration);
  absl::StatusOr<std::unique_ptr<WriteFloor>> floor = WriteFloor::Start((*postgres)->dsn());
  if (!floor.ok()) {
    std::fprintf(stderr, "%s\n", std::string(floor.status().message()).c_str());
    return 1;
  }
  const LoadResult echo =
      ServedByTheBench(RunLoad("echo (baseline)", concurrency, duration, (*floor)->Echo()));
  const LoadResult grpc_insert = ServedByTheBench(
      RunLoad("grpc_insert (one INSERT behind gRPC)", concurrency, duration, (*floor)->Insert()));
  const std::string only = absl::GetFlag(FLAGS_only);
  if (!only.empty()) {
    if (only != "filing" && only != "forwarding" && only != "flood" && only != "communes" &&
        only != "dashboard" && only != "indicators" && only != "watchers" && only != "reads") {
      std::fprintf(stderr,
                   "--only must be filing, forwarding, flood, communes, dashboard, indicators,"
                   " watchers or reads\n");
      return 2;
    }
    if (only == "reads") {
      const ReadsResult reads = MeasureReads(concurrency, duration, absl::GetFlag(FLAGS_reads),
                                             absl::Seconds(absl::GetFlag(FLAGS_hold_seconds)));
      const bool baselines = PrintAll({&echo, &insert, &grpc_insert}, {}, echo, insert);
      return PrintReads(reads) && baselines ? 0 : 1;
    }
    if (only == "watchers") {
      const WatchResult watchers =
          MeasureWatchers((*postgres)->dsn(), (*server)->address(), absl::GetFlag(FLAGS_watchers),
                          absl::GetFlag(FLAGS_watched_changes));
      const bool baselines = PrintAll({&echo, &insert, &grpc_insert}, {}, echo, insert);
      return PrintWatchers(watchers) && baselines ? 0 : 1;
    }
    if (only == "indicators") {
      const IndicatorsResult indicators =
          MeasureIndicators(duration, absl::Seconds(absl::GetFlag(FLAGS_hold_seconds)));
      const bool baselines = PrintAll({&echo, &insert, &grpc_insert}, {}, echo, insert);
      return PrintIndicators(indicators) && baselines ? 0 : 1;
    }
    if (only == "dashboard") {
      const DashboardResult dashboard = MeasureDashboard(absl::GetFlag(FLAGS_dashboard_views));
      const bool baselines = PrintAll({&echo, &insert, &grpc_insert}, {}, echo, insert);
      return PrintDashboard(dashboard) && baselines ? 0 : 1;
    }
    if (only == "communes") {
      const std::vector<LoadResult> communes =
          MeasureCommunes((*postgres)->dsn(), (*server)->address(), concurrency, duration,
                          absl::Seconds(absl::GetFlag(FLAGS_hold_seconds)));
      return PrintAll({&echo, &insert, &grpc_insert}, communes, echo, insert) &&
                     PrintCommuneTargets(communes, concurrency)
                 ? 0
                 : 1;
    }
    if (only == "flood") {
      if (absl::Status loaded = LoadOrganizations((*postgres)->dsn(), kLoadedOrganizations);
          !loaded.ok()) {
        std::fprintf(stderr, "loading organizations: %s\n", std::string(loaded.message()).c_str());
        return 1;
      }
      // The flood's most expensive call, alone.
      const LoadResult stats = RunLoad("GetLocalityStats (100k, 1 caller)", 1, duration, [&](int) {
        grpc::ClientContext context;
        v1::GetLocalityStatsResponse response;
        return stub->GetLocalityStats(&context, v1::GetLocalityStatsRequest(), &response).ok() &&
               response.stats_size() == 34;
      });
      const FloodResult flood = MeasureFlood((*postgres)->dsn(), (*server)->address(), duration);
      const bool baselines = PrintAll({&echo, &insert, &grpc_insert, &stats}, {}, echo, insert);
      return PrintFlood(flood, echo, insert) && baselines ? 0 : 1;
    }
    std::vector<LoadResult> measured;
    if (only == "filing") {
      std::atomic<int64_t> sequence{0};
      measured.push_back(MeasureCreateOrganization(*stub, concurrency, duration, sequence));
      for (LoadResult& result : MeasureDirectives((*postgres)->dsn(), (*server)->address(),
                                                  concurrency, duration, /*creates_only=*/true)) {
        measured.push_back(std::move(result));
      }
    }
    for (LoadResult& result :
         MeasureReportsAndGateway((*postgres)->dsn(), (*server)->address(), concurrency, duration,
                                  {.filing = only == "filing",
                                  .forwarding = only == "forwarding",
                                  .bulk = false,
                                  .floor = (*floor)->Insert()})) {
      measured.push_back(std::move(result));
    }
    const bool printed = PrintAll({&echo, &insert, &grpc_insert}, measured, echo, insert);
    std::vector<const LoadResult*> writes;
    for (const LoadResult& result : measured) writes.push_back(&result);
    PrintWriteTargets(writes);
    return printed && measured.size() >= (only == "filing" ? 3u : 1u) ? 0 : 1;
  }

  v1::ListLocalitiesRequest list;
  list.set_page_size(50);
  const LoadResult list_result =
      RunLoad("ListLocalities (34 units)", concurrency, duration, [&](int) {
        grpc::ClientContext context;
        v1::ListLocalitiesResponse response;
        return stub->ListLocalities(&context, list, &response).ok() &&
               response.localities_size() == 34;
      });
  v1::GetLocalityRequest get;
  get.set_name("localities/79");
  const LoadResult get_result = RunLoad("GetLocality", concurrency, duration, [&](int) {
    grpc::ClientContext context;
    v1::Locality response;
    return stub->GetLocality(&context, get, &response).ok();
  });

  std::atomic<int64_t> sequence{0};
  const LoadResult create_result =
      MeasureCreateOrganization(*stub, concurrency, duration, sequence);

  if (absl::Status loaded = LoadOrganizations((*postgres)->dsn(), kLoadedOrganizations);
      !loaded.ok()) {
    std::fprintf(stderr, "loading organizations: %s\n", std::string(loaded.message()).c_str());
    return 1;
  }
  auto list_page = [&](const std::string& name, const std::string& filter) {
    v1::ListOrganizationsRequest request;
    request.set_page_size(100);
    request.set_filter(filter);
    return RunLoad(name, concurrency, duration, [&, request](int) {
      grpc::ClientContext context;
      v1::ListOrganizationsResponse response;
      return stub->ListOrganizations(&context, request, &response).ok() &&
             response.organizations_size() == 100;
    });
  };
  const LoadResult by_locality = list_page("List locality+kind (100k)",
                                           "locality = \"localities/01\" AND kind = "
                                           "FRIENDSHIP_ASSOCIATION");
  const LoadResult by_name = list_page("List name search (100k)", "display_name : \"huu nghi\"");
  // The first bulk-loaded union, after the organizations created above.
  const LoadResult by_ancestor =
      list_page("List ancestor subtree (100k)",
                absl::StrCat("ancestor = \"organizations/", sequence.load() + 1, "\""));
  v1::GetLocalityStatsRequest stats;
  const LoadResult stats_result =
      RunLoad("GetLocalityStats (100k)", concurrency, duration, [&](int) {
        grpc::ClientContext context;
        v1::GetLocalityStatsResponse response;
        return stub->GetLocalityStats(&context, stats, &response).ok() &&
               response.stats_size() == 34;
      });

  const FloodResult flood = MeasureFlood((*postgres)->dsn(), (*server)->address(), duration);
  const std::vector<LoadResult> directives =
      MeasureDirectives((*postgres)->dsn(), (*server)->address(), concurrency, duration);
  std::vector<LoadResult> later = directives;
  const std::vector<LoadResult> gateway =
      MeasureReportsAndGateway((*postgres)->dsn(), (*server)->address(), concurrency, duration,
                               {.floor = (*floor)->Insert()});
  later.insert(later.end(), gateway.begin(), gateway.end());
  const std::vector<LoadResult> communes =
      MeasureCommunes((*postgres)->dsn(), (*server)->address(), concurrency, duration);
  later.insert(later.end(), communes.begin(), communes.end());
  const bool complete =
      PrintAll({&echo, &insert, &grpc_insert, &list_result, &get_result, &create_result,
                &by_locality, &by_name, &by_ancestor, &stats_result},
               later, echo, insert) &&
      PrintCommuneTargets(communes, concurrency);
  std::vector<const LoadResult*> writes = {&create_result};
  for (const LoadResult& result : later) writes.push_back(&result);
  PrintWriteTargets(writes);
  const bool flood_held = PrintFlood(flood, echo, insert);
  const bool dashboard_drawn =
      PrintDashboard(MeasureDashboard(absl::GetFlag(FLAGS_dashboard_views)));
  const bool indicators_added = PrintIndicators(MeasureIndicators(duration));
  const bool reads_listed = PrintReads(MeasureReads(concurrency, duration));
  const bool watchers_told = PrintWatchers(MeasureWatchers((*postgres)->dsn(), (*server)->address(),
                                                           absl::GetFlag(FLAGS_watchers),
                                                           absl::GetFlag(FLAGS_watched_changes)));
  if (directives.size() < 4 || gateway.size() < 6) {
    std::fprintf(stderr, "directives or gateway measurements incomplete\n");
    return 1;
  }
  return complete && flood_held && dashboard_drawn && indicators_added && reads_listed &&
                 watchers_told
             ? 0
             : 1;
}

}  // namespace
}  // namespace caunoi::bench

int main(int argc, char** argv) {
  // As the servers do (common/server/service_host.cc): no lock-order
  // tracking under load.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  absl::ParseCommandLine(argc, argv);
  // Ctrl-C on `make bench` stops its PostgreSQL too.
  caunoi::testing::StopOnSignal();
  return caunoi::bench::Main();
}
