#ifndef CAUNOI_TESTS_BENCH_WRITE_FLOOR_H_
#define CAUNOI_TESTS_BENCH_WRITE_FLOOR_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "echo.grpc.pb.h"
#include "grpcpp/server.h"
#include "tests/bench/load_loop.h"

namespace caunoi::bench {

// pg_insert: one durable single-row INSERT per call straight through libpq,
// `concurrency` connections. Creates the bench_rows table WriteFloor uses.
LoadResult MeasureInsert(const std::string& dsn, int concurrency, absl::Duration duration);

// The floors our calls are compared with: a gRPC server on loopback whose
// Echo answers at once (the gRPC ceiling) and whose Insert does one durable
// INSERT through the pool the servers use (the write floor). It stays up for
// the whole run, so a write can be measured in turns beside its floor: on a
// shared machine the floor measured a minute earlier can be twice or half
// what it is while the write runs.
class WriteFloor {
 public:
  // Serves against `dsn`, whose bench_rows table exists.
  static absl::StatusOr<std::unique_ptr<WriteFloor>> Start(const std::string& dsn);
  ~WriteFloor();

  // One call each, for RunLoad and RunAlternating; false on an error.
  std::function<bool(int)> Echo();
  std::function<bool(int)> Insert();

 private:
  WriteFloor(std::unique_ptr<EchoService::Service> service, std::unique_ptr<grpc::Server> server,
             std::unique_ptr<EchoService::Stub> stub);

  std::unique_ptr<EchoService::Service> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<EchoService::Stub> stub_;
};

}  // namespace caunoi::bench

#endif  // CAUNOI_TESTS_BENCH_WRITE_FLOOR_H_
