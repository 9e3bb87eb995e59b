#include "tests/bench/nginx_proxy.h"

#include <signal.h>
#include <unistd.h>

#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "tests/support/raw_connection.h"
#include "tests/support/subprocess.h"

namespace caunoi::bench {
namespace {

constexpr char kNginx[] = "/usr/sbin/nginx";

// Configured as an operator tuning it for gRPC would: no access log, HTTP/2
// on the listener, upstream connections kept alive and reused for as many
// calls as the run makes (nginx closes a connection after 1,000 requests
// by default, on both sides); over TLS, the upstream's certificate
// verified and TLS sessions reused.
std::string Configuration(const std::string& directory, int port, const std::string& upstream,
                          const std::optional<std::string>& certificates) {
  std::string listen = absl::StrCat("    listen 127.0.0.1:", port, " http2;\n");
  std::string location = "    location / { grpc_pass grpc://backend; }\n";
  if (certificates.has_value()) {
    const std::string& tls = *certificates;
    listen = absl::StrCat("    listen 127.0.0.1:", port, " ssl http2;\n    ssl_certificate ", tls,
                          "/tls.crt;\n    ssl_certificate_key ", tls, "/tls.key;\n");
    location = absl::StrCat(
        "    location / {\n      grpc_pass grpcs://backend;\n"
        "      grpc_ssl_verify on;\n      grpc_ssl_name localhost;\n"
        "      grpc_ssl_session_reuse on;\n      grpc_ssl_trusted_certificate ",
        tls, "/ca.crt;\n      grpc_ssl_certificate ", tls,
        "/client.crt;\n      grpc_ssl_certificate_key ", tls, "/client.key;\n    }\n");
  }
  return absl::StrCat(
      "daemon off;\n"
      "worker_processes auto;\n"
      "pid ",
      directory, "/nginx.pid;\nerror_log ", directory,
      "/error.log warn;\n"
      "events { worker_connections 4096; }\n"
      "http {\n"
      "  access_log off;\n"
      "  client_body_temp_path ",
      directory,
      "/body;\n"
      "  keepalive_requests 100000000;\n"
      "  keepalive_timeout 600s;\n"
      "  upstream backend {\n"
      "    server ",
      upstream,
      ";\n"
      "    keepalive 64;\n"
      "    keepalive_requests 100000000;\n"
      "    keepalive_timeout 600s;\n"
      "  }\n"
      "  server {\n",
      listen, location,
      "  }\n"
      "}\n");
}

}  // namespace

absl::StatusOr<std::unique_ptr<NginxProxy>> NginxProxy::Start(
    const std::string& upstream, const std::optional<std::string>& certificates) {
  if (access(kNginx, X_OK) != 0) {
    return absl::UnavailableError("nginx is not installed (make deps installs nginx-light)");
  }
  const std::string directory = testing::MakeTempDirectory("caunoi-nginx");
  const int port = testing::PickFreePort();
  const std::string configuration = absl::StrCat(directory, "/nginx.conf");
  std::ofstream(configuration) << Configuration(directory, port, upstream, certificates);
  absl::StatusOr<pid_t> pid = testing::Spawn({kNginx, "-p", directory, "-c", configuration}, {},
                                             absl::StrCat(directory, "/nginx.log"));
  if (!pid.ok()) return pid.status();
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (!testing::RawConnection(port).connected()) {
    const bool exited = testing::WaitForExit(*pid, absl::ZeroDuration()).ok();
    if (exited || absl::Now() > deadline) {
      if (!exited) {
        kill(*pid, SIGKILL);
        (void)testing::WaitForExit(*pid, absl::Seconds(10));
      }
      return absl::UnavailableError(absl::StrCat(
          "nginx did not start: ", testing::ReadFileTail(absl::StrCat(directory, "/error.log")),
          testing::ReadFileTail(absl::StrCat(directory, "/nginx.log"))));
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  return std::unique_ptr<NginxProxy>(new NginxProxy(*pid, port, directory));
}

NginxProxy::~NginxProxy() {
  kill(pid_, SIGTERM);
  if (!testing::WaitForExit(pid_, absl::Seconds(10)).ok()) kill(pid_, SIGKILL);
}

std::string NginxProxy::address() const { return absl::StrCat("127.0.0.1:", port_); }

}  // namespace caunoi::bench
