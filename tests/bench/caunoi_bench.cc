// `make bench`: throughput of the real servers next to baselines measured in
// the same run on the same machine, so results are compared as ratios.
//   echo        a bare gRPC unary call on loopback (the gRPC ceiling)
//   pg_insert   one durable single-row INSERT per call through libpq
//   ...         our RPCs through organizations_server and a durable PostgreSQL
#include <cstdio>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "caunoi/v1/organizations.grpc.pb.h"
#include "common/client/channel.h"
#include "common/pg/connection.h"
#include "echo.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "tests/bench/load_loop.h"
#include "tests/support/postgres_server.h"
#include "tests/support/server_process.h"

ABSL_FLAG(int, seconds, 3, "duration of each measurement");
ABSL_FLAG(int, concurrency, 16, "concurrent callers in each measurement");

namespace caunoi::bench {
namespace {

class EchoServiceImpl final : public EchoService::Service {
  grpc::Status Echo(grpc::ServerContext*, const EchoMessage* request,
                    EchoMessage* response) override {
    response->set_text(request->text());
    return grpc::Status::OK;
  }
};

LoadResult MeasureEcho(int concurrency, absl::Duration duration) {
  EchoServiceImpl service;
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  auto stub = EchoService::NewStub(MakeInsecureChannel(absl::StrCat("127.0.0.1:", port)));
  EchoMessage request;
  request.set_text("Cầu Nối");
  LoadResult result = RunLoad("echo (baseline)", concurrency, duration, [&](int) {
    grpc::ClientContext context;
    EchoMessage response;
    return stub->Echo(&context, request, &response).ok();
  });
  server->Shutdown();
  return result;
}

LoadResult MeasureInsert(const std::string& dsn, int concurrency, absl::Duration duration) {
  std::vector<std::unique_ptr<pg::Connection>> connections;
  for (int i = 0; i < concurrency; ++i) connections.push_back(*pg::Connection::Open(dsn, "bench"));
  (void)connections[0]->ExecuteScript(
      "CREATE TABLE IF NOT EXISTS bench_rows (id bigserial PRIMARY KEY, note text NOT NULL)");
  constexpr pg::Statement kInsert{"bench_insert", "INSERT INTO bench_rows (note) VALUES ($1)"};
  return RunLoad("pg_insert (baseline)", concurrency, duration, [&](int thread) {
    return connections[thread]->Execute(kInsert, {"Hội hữu nghị"}).ok();
  });
}

void Print(const LoadResult& result, const LoadResult& echo, const LoadResult& insert) {
  std::printf(
      "%-28s %10.0f/s  p50 %8.3f ms  p99 %8.3f ms  errors %-4lld  x echo %5.2f  x insert %6.2f\n",
      result.name.c_str(), result.per_second, absl::ToDoubleMilliseconds(result.p50),
      absl::ToDoubleMilliseconds(result.p99), static_cast<long long>(result.errors),
      result.per_second / echo.per_second, result.per_second / insert.per_second);
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
  const LoadResult echo = MeasureEcho(concurrency, duration);
  const LoadResult insert = MeasureInsert((*postgres)->dsn(), concurrency, duration);

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

  for (const LoadResult* result : {&echo, &insert, &list_result, &get_result}) {
    Print(*result, echo, insert);
  }
  return (list_result.errors + get_result.errors + insert.errors + echo.errors) == 0 ? 0 : 1;
}

}  // namespace
}  // namespace caunoi::bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return caunoi::bench::Main();
}
