#ifndef CAUNOI_COMMON_CONFIG_SERVICE_CONFIG_H_
#define CAUNOI_COMMON_CONFIG_SERVICE_CONFIG_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace caunoi {

// What one server process needs to start. Every field comes from a flag,
// or when the flag is absent from the environment variable CAUNOI_<FLAG>
// (e.g. --database_url / CAUNOI_DATABASE_URL), or from the default.
struct ServiceConfig {
  std::string service;                // "organizations", ...
  std::string listen_address;         // host:port; port 0 picks a free one
  std::string port_file;              // when set, the bound port is written here
  std::string database_url;           // libpq connection string; empty for the gateway
  std::string organizations_address;  // host:port of organizations_server
  std::string directives_address;     // host:port of directives_server
  std::string reports_address;        // host:port of reports_server
  std::string health_listen;          // host:port serving only health, plaintext
  std::string gateway_secret;         // authenticates principals the gateway forwards
  std::string tls_cert_file;          // PEM; TLS is served when set
  std::string tls_key_file;
  std::string tls_client_ca_file;  // PEM; clients must present a certificate (mTLS)
  std::string backend_ca_file;     // PEM; calls to other services use TLS when set
  std::string backend_cert_file;   // PEM client certificate for those calls
  std::string backend_key_file;
  int db_pool_size = 8;
  int max_threads = 64;
  int max_message_bytes = 4 << 20;
  absl::Duration drain_grace = absl::Seconds(2);
  absl::Duration drain_deadline = absl::Seconds(15);
  absl::Duration health_interval = absl::Seconds(1);
  absl::Duration max_connection_age = absl::Minutes(2);
  std::string metrics_listen;
  std::string call_log = "all";
  bool development_mode = false;
  absl::Duration tls_reload_interval = absl::Minutes(1);
  absl::Duration max_connection_age_grace = absl::Minutes(10);
  absl::Duration change_retention = absl::Hours(24 * 7);
  // `<server> migrate`: apply migrations and exit (the Kubernetes Job).
  bool migrate_only = false;
  bool forwards_bytes = false;  // from ServiceDefaults
};

struct ServiceDefaults {
  std::string service;
  std::string listen_address;
  bool needs_database = true;
  // Its requests pass through as bytes (the gateway's forwarding), so no
  // protobuf parse failure needs rewriting and the interceptor that does it
  // would only cost time.
  bool forwards_bytes = false;
};

// Parses argv and the environment. On a missing or malformed value returns
// INVALID_ARGUMENT naming the flag and its variable.
absl::StatusOr<ServiceConfig> LoadServiceConfig(int argc, char** argv,
                                                const ServiceDefaults& defaults);

}  // namespace caunoi

#endif  // CAUNOI_COMMON_CONFIG_SERVICE_CONFIG_H_
