#ifndef CAUNOI_TESTS_BENCH_NGINX_PROXY_H_
#define CAUNOI_TESTS_BENCH_NGINX_PROXY_H_

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"

namespace caunoi::bench {

// Debian's nginx-light with `grpc_pass` (HTTP/2 on both sides, kept-alive
// upstream connections) in front of one gRPC server: the proxy operators
// would otherwise put where the gateway stands, measured beside it.
class NginxProxy {
 public:
  // Starts nginx on a free port of 127.0.0.1 forwarding every call to
  // `upstream` (host:port), a worker process per core, and waits until it
  // accepts connections. With `certificates` (a directory made by
  // testing::MakeCertificates and MakeClientCertificate), it serves TLS
  // and reaches the upstream over mutual TLS (grpc_pass grpcs://).
  // UNAVAILABLE when nginx is not installed.
  static absl::StatusOr<std::unique_ptr<NginxProxy>> Start(
      const std::string& upstream, const std::optional<std::string>& certificates = std::nullopt);
  // Stops nginx and its workers (SIGTERM to the master, which ends them).
  ~NginxProxy();

  std::string address() const;

 private:
  NginxProxy(pid_t pid, int port, std::string directory)
      : pid_(pid), port_(port), directory_(std::move(directory)) {}

  const pid_t pid_;
  const int port_;
  const std::string directory_;
};

}  // namespace caunoi::bench

#endif  // CAUNOI_TESTS_BENCH_NGINX_PROXY_H_
