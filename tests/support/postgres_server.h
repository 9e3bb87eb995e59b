#ifndef CAUNOI_TESTS_SUPPORT_POSTGRES_SERVER_H_
#define CAUNOI_TESTS_SUPPORT_POSTGRES_SERVER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace caunoi::testing {

// A throwaway PostgreSQL 15 from Debian's binaries: its own data directory
// under /tmp, a private port on 127.0.0.1 and a Unix socket in that
// directory, run as a non-root user (`postgres` when the tests run as
// root). The cluster is copied from a template made once per machine and
// run (initdb costs a second; a copy half that). Removed on destruction.
class PostgresServer {
 public:
  struct Options {
    // Tests trade durability for speed (fsync off); benchmarks measure the
    // real cost of a commit.
    bool durable = false;
  };
  static absl::StatusOr<std::unique_ptr<PostgresServer>> Start(Options options);
  static absl::StatusOr<std::unique_ptr<PostgresServer>> Start() { return Start(Options{}); }
  ~PostgresServer();

  // libpq connection string for the database "caunoi".
  std::string dsn() const;
  // Its data directory, socket and logs, under /tmp.
  const std::string& directory() const { return directory_; }
  int port() const { return port_; }

  // Stops the server (fast shutdown: sessions are terminated) and starts it
  // again on the same port and data, for outage tests.
  absl::Status Stop();
  absl::Status Resume();

 private:
  PostgresServer(std::string directory, int port, Options options)
      : directory_(std::move(directory)), port_(port), options_(options) {}

  const std::string directory_;
  const int port_;
  const Options options_;
  bool running_ = false;
  int stop_at_signal_ = -1;  // AtSignal's handle
};

}  // namespace caunoi::testing

#endif  // CAUNOI_TESTS_SUPPORT_POSTGRES_SERVER_H_
