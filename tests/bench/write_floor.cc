#include "tests/bench/write_floor.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/client/channel.h"
#include "common/client/keepalive.h"
#include "common/pg/connection.h"
#include "common/pg/pool.h"
#include "grpcpp/client_context.h"
#include "grpcpp/server_builder.h"

namespace caunoi::bench {
namespace {

constexpr pg::Statement kBenchInsert{"bench_insert", "INSERT INTO bench_rows (note) VALUES ($1)"};

class EchoServiceImpl final : public EchoService::Service {
 public:
  explicit EchoServiceImpl(const std::string& dsn) : pool_({.dsn = dsn, .size = 8}) {}

  grpc::Status Echo(grpc::ServerContext*, const EchoMessage* request,
                    EchoMessage* response) override {
    response->set_text(request->text());
    return grpc::Status::OK;
  }

  // Through the same pool the servers use, with no transaction around it.
  grpc::Status Insert(grpc::ServerContext*, const EchoMessage* request,
                      EchoMessage* response) override {
    absl::StatusOr<pg::Pool::Lease> lease = pool_.Acquire(absl::InfiniteFuture());
    if (!lease.ok() || !(**lease).Execute(kBenchInsert, {request->text()}).ok()) {
      return grpc::Status(grpc::StatusCode::UNAVAILABLE, "insert failed");
    }
    response->set_text(request->text());
    return grpc::Status::OK;
  }

 private:
  pg::Pool pool_;
};

EchoMessage Text() {
  EchoMessage message;
  message.set_text("Cầu Nối");
  return message;
}

}  // namespace

LoadResult MeasureInsert(const std::string& dsn, int concurrency, absl::Duration duration) {
  std::vector<std::unique_ptr<pg::Connection>> connections;
  for (int i = 0; i < concurrency; ++i) connections.push_back(*pg::Connection::Open(dsn, "bench"));
  (void)connections[0]->ExecuteScript(
      "CREATE TABLE IF NOT EXISTS bench_rows (id bigserial PRIMARY KEY, note text NOT NULL)");
  return RunLoad("pg_insert (baseline)", concurrency, duration, [&](int thread) {
    return connections[thread]->Execute(kBenchInsert, {"Hội hữu nghị"}).ok();
  });
}

absl::StatusOr<std::unique_ptr<WriteFloor>> WriteFloor::Start(const std::string& dsn) {
  auto service = std::make_unique<EchoServiceImpl>(dsn);
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  // As the suite's servers: the floor idles through the bulk loads between
  // its turns, while our clients keep pinging.
  keepalive::ApplyToServer(builder);
  builder.RegisterService(service.get());
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    return absl::UnavailableError("the floor server did not start");
  }
  auto stub = EchoService::NewStub(MakeInsecureChannel(absl::StrCat("127.0.0.1:", port)));
  return std::unique_ptr<WriteFloor>(
      new WriteFloor(std::move(service), std::move(server), std::move(stub)));
}

WriteFloor::WriteFloor(std::unique_ptr<EchoService::Service> service,
                       std::unique_ptr<grpc::Server> server,
                       std::unique_ptr<EchoService::Stub> stub)
    : service_(std::move(service)), server_(std::move(server)), stub_(std::move(stub)) {}

WriteFloor::~WriteFloor() { server_->Shutdown(); }

std::function<bool(int)> WriteFloor::Echo() {
  return [stub = stub_.get(), request = Text()](int) {
    grpc::ClientContext context;
    EchoMessage response;
    return stub->Echo(&context, request, &response).ok();
  };
}

std::function<bool(int)> WriteFloor::Insert() {
  return [stub = stub_.get(), request = Text()](int) {
    grpc::ClientContext context;
    EchoMessage response;
    return stub->Insert(&context, request, &response).ok();
  };
}

}  // namespace caunoi::bench
