#include "common/config/service_config.h"

#include <cstdlib>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

ABSL_FLAG(std::string, listen, "", "host:port to serve gRPC on (port 0: any free port)");
ABSL_FLAG(std::string, port_file, "", "write the bound port to this file once serving");
ABSL_FLAG(bool, development_mode, false,
          "accept writes from callers with no principal and no client certificate (make run and "
          "tests only; never in production)");
ABSL_FLAG(std::string, call_log, "all",
          "which calls get a log line: all, errors (any code but OK) or none");
ABSL_FLAG(std::string, metrics_listen, "",
          "host:port to serve Prometheus metrics on, as HTTP /metrics (empty: none)");
ABSL_FLAG(std::string, database_url, "", "libpq connection string of the PostgreSQL database");
ABSL_FLAG(std::string, organizations_address, "127.0.0.1:50052",
          "host:port of the organizations server, for services that check references there");
ABSL_FLAG(std::string, directives_address, "127.0.0.1:50051",
          "host:port of the directives server, for services that check documents there");
ABSL_FLAG(std::string, health_listen, "",
          "host:port to also serve grpc.health.v1 alone, in plaintext, for probes (empty: none)");
ABSL_FLAG(std::string, reports_address, "127.0.0.1:50053",
          "host:port of the reports server, for the gateway");
ABSL_FLAG(std::string, gateway_secret, "",
          "shared secret the gateway sends with each caller's principal; a service trusts a"
          " principal only with it (empty: the service accepts no principal)");
ABSL_FLAG(std::string, tls_cert_file, "", "PEM certificate chain to serve TLS (empty: plaintext)");
ABSL_FLAG(std::string, tls_key_file, "", "PEM private key for --tls_cert_file");
ABSL_FLAG(absl::Duration, tls_reload_interval, absl::Minutes(1),
          "how often the TLS files are read again, so a rotated certificate is served");
ABSL_FLAG(std::string, tls_client_ca_file, "",
          "PEM CA bundle: when set with TLS, clients must present a certificate it signed (mTLS)");
ABSL_FLAG(std::string, backend_ca_file, "",
          "PEM CA bundle: reach the other services over TLS verified with it (empty: plaintext)");
ABSL_FLAG(std::string, backend_cert_file, "",
          "PEM client certificate presented to the other services (mutual TLS)");
ABSL_FLAG(std::string, backend_key_file, "", "PEM private key for --backend_cert_file");
ABSL_FLAG(int, db_pool_size, 8, "PostgreSQL connections kept by this process");
ABSL_FLAG(int, max_threads, 256, "most threads serving RPCs at once");
ABSL_FLAG(int, max_message_bytes, 4 << 20, "largest request or response message, in bytes");
ABSL_FLAG(absl::Duration, drain_grace, absl::Seconds(2),
          "on SIGTERM, how long health reports NOT_SERVING before new calls are refused");
ABSL_FLAG(absl::Duration, drain_deadline, absl::Seconds(15),
          "on SIGTERM, how long in-flight calls may take to finish before they are cancelled");
ABSL_FLAG(absl::Duration, health_interval, absl::Seconds(1),
          "how often the database is probed for the health status");
ABSL_FLAG(absl::Duration, max_connection_age, absl::Minutes(2),
          "a client connection is closed (GOAWAY) after about this long, so clients resolve the "
          "service's name again and spread onto replicas added since");
ABSL_FLAG(absl::Duration, max_connection_age_grace, absl::Minutes(10),
          "then, how long calls under way on it (streams) may continue before it is closed");
ABSL_FLAG(absl::Duration, change_retention, absl::Hours(24 * 7),
          "how long the change log keeps a change; a watcher's cursor older than that is "
          "OUT_OF_RANGE");

namespace caunoi {
namespace {

std::string EnvironmentName(absl::string_view flag) {
  return absl::StrCat("CAUNOI_", absl::AsciiStrToUpper(flag));
}

// Environment values become the flags' values before argv is parsed, so an
// explicit flag still wins. Every flag has its variable, including those a
// server defines for itself.
absl::Status ApplyEnvironment() {
  for (const auto& [name, flag] : absl::GetAllFlags()) {
    const std::string variable = EnvironmentName(name);
    const char* value = std::getenv(variable.c_str());
    if (value == nullptr) continue;
    std::string error;
    if (!flag->ParseFrom(value, &error)) {
      return absl::InvalidArgumentError(absl::StrCat(variable, "=\"", value, "\": ", error));
    }
  }
  return absl::OkStatus();
}

absl::Status Invalid(absl::string_view flag, absl::string_view problem) {
  return absl::InvalidArgumentError(
      absl::StrCat("--", flag, " (", EnvironmentName(flag), "): ", problem));
}

}  // namespace

absl::StatusOr<ServiceConfig> LoadServiceConfig(int argc, char** argv,
                                                const ServiceDefaults& defaults) {
  absl::SetProgramUsageMessage(absl::StrCat("Cầu Nối ", defaults.service,
                                            " server.\nUsage: ", argv[0], " [migrate] [--flags]"));
  if (absl::Status env = ApplyEnvironment(); !env.ok()) return env;
  std::vector<char*> positional = absl::ParseCommandLine(argc, argv);

  ServiceConfig config;
  config.service = defaults.service;
  config.forwards_bytes = defaults.forwards_bytes;
  for (size_t i = 1; i < positional.size(); ++i) {
    if (absl::string_view(positional[i]) == "migrate" && defaults.needs_database) {
      config.migrate_only = true;
    } else {
      return absl::InvalidArgumentError(absl::StrCat("unknown argument \"", positional[i], "\""));
    }
  }
  config.listen_address = absl::GetFlag(FLAGS_listen);
  if (config.listen_address.empty()) config.listen_address = defaults.listen_address;
  config.port_file = absl::GetFlag(FLAGS_port_file);
  config.database_url = absl::GetFlag(FLAGS_database_url);
  config.organizations_address = absl::GetFlag(FLAGS_organizations_address);
  config.directives_address = absl::GetFlag(FLAGS_directives_address);
  config.reports_address = absl::GetFlag(FLAGS_reports_address);
  config.health_listen = absl::GetFlag(FLAGS_health_listen);
  config.gateway_secret = absl::GetFlag(FLAGS_gateway_secret);
  config.tls_cert_file = absl::GetFlag(FLAGS_tls_cert_file);
  config.tls_key_file = absl::GetFlag(FLAGS_tls_key_file);
  config.tls_client_ca_file = absl::GetFlag(FLAGS_tls_client_ca_file);
  config.backend_ca_file = absl::GetFlag(FLAGS_backend_ca_file);
  config.backend_cert_file = absl::GetFlag(FLAGS_backend_cert_file);
  config.backend_key_file = absl::GetFlag(FLAGS_backend_key_file);
  config.db_pool_size = absl::GetFlag(FLAGS_db_pool_size);
  config.max_threads = absl::GetFlag(FLAGS_max_threads);
  config.max_message_bytes = absl::GetFlag(FLAGS_max_message_bytes);
  config.drain_grace = absl::GetFlag(FLAGS_drain_grace);
  config.drain_deadline = absl::GetFlag(FLAGS_drain_deadline);
  config.health_interval = absl::GetFlag(FLAGS_health_interval);
  config.max_connection_age = absl::GetFlag(FLAGS_max_connection_age);
  config.metrics_listen = absl::GetFlag(FLAGS_metrics_listen);
  config.call_log = absl::GetFlag(FLAGS_call_log);
  config.tls_reload_interval = absl::GetFlag(FLAGS_tls_reload_interval);
  config.development_mode = absl::GetFlag(FLAGS_development_mode);
  config.max_connection_age_grace = absl::GetFlag(FLAGS_max_connection_age_grace);
  config.change_retention = absl::GetFlag(FLAGS_change_retention);
  if (config.change_retention <= absl::ZeroDuration()) {
    return Invalid("change_retention", "must be positive");
  }

  if (config.listen_address.find(':') == std::string::npos) {
    return Invalid("listen", "must be host:port");
  }
  if (defaults.needs_database && config.database_url.empty()) {
    return Invalid("database_url", "is required");
  }
  if (config.tls_cert_file.empty() != config.tls_key_file.empty()) {
    return Invalid("tls_key_file", "TLS needs both --tls_cert_file and --tls_key_file");
  }
  if (!config.tls_client_ca_file.empty() && config.tls_cert_file.empty()) {
    return Invalid("tls_client_ca_file", "mutual TLS needs --tls_cert_file and --tls_key_file");
  }
  if (config.backend_cert_file.empty() != config.backend_key_file.empty()) {
    return Invalid("backend_key_file", "needs --backend_cert_file, and the other way round");
  }
  if (!config.backend_cert_file.empty() && config.backend_ca_file.empty()) {
    return Invalid("backend_ca_file", "a client certificate is only sent over TLS");
  }
  if (config.db_pool_size < 1) return Invalid("db_pool_size", "must be at least 1");
  if (config.max_threads < 2) return Invalid("max_threads", "must be at least 2");
  if (config.max_message_bytes < 1024) return Invalid("max_message_bytes", "must be >= 1024");
  if (config.drain_grace < absl::ZeroDuration()) return Invalid("drain_grace", "is negative");
  if (config.drain_deadline <= absl::ZeroDuration()) {
    return Invalid("drain_deadline", "must be positive");
  }
  if (config.call_log != "all" && config.call_log != "errors" && config.call_log != "none") {
    return Invalid("call_log", "must be all, errors or none");
  }
  if (config.max_connection_age <= absl::ZeroDuration()) {
    return Invalid("max_connection_age", "must be positive");
  }
  if (config.max_connection_age_grace < absl::ZeroDuration()) {
    return Invalid("max_connection_age_grace", "must not be negative");
  }
  if (config.health_interval <= absl::ZeroDuration()) {
    return Invalid("health_interval", "must be positive");
  }
  return config;
}

}  // namespace caunoi
