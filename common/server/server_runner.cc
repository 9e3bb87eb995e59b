#include "common/server/server_runner.h"

#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "common/client/keepalive.h"
#include "common/config/read_file.h"
#include "common/logging/log.h"
#include "common/metrics/metrics.h"
#include "common/server/call_counter.h"
#include "common/server/call_log.h"
#include "common/server/request_parse_errors.h"
#include "common/server/server_info_service.h"
#include "common/server/signals.h"
#include "common/status/status_macros.h"
#include "google/protobuf/util/time_util.h"
#include "grpc/health/v1/health.pb.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/resource_quota.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/security/tls_certificate_provider.h"
#include "grpcpp/security/tls_credentials_options.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"

namespace caunoi {
namespace {

constexpr absl::string_view kLivenessName = "liveness";

int Millis(absl::Duration duration) {
  return static_cast<int>(absl::ToInt64Milliseconds(duration));
}

void ApplyLimits(const ServiceConfig& config, grpc::ServerBuilder& builder,
                 grpc::ResourceQuota& quota) {
  quota.SetMaxThreads(config.max_threads);
  builder.SetResourceQuota(quota);
  // A handler thread that finishes goes back to polling instead of exiting
  // (gRPC's default keeps two pollers): handlers that wait on PostgreSQL
  // would otherwise make the server create and destroy a thread per call.
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MAX_POLLERS,
                              config.max_threads);
  builder.SetMaxReceiveMessageSize(config.max_message_bytes);
  builder.SetMaxSendMessageSize(config.max_message_bytes);
  keepalive::ApplyToServer(builder);
  // gRPC's DNS resolver looks again only when a connection closes: recycling
  // connections bounds how long a new replica waits for traffic.
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS, Millis(config.max_connection_age));
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS,
                             Millis(config.max_connection_age_grace));
}

// Plaintext unless a certificate is configured; mutual TLS with a client
// CA. The files are watched: a rotated certificate (a renewed Secret
// mounted in place) is served without a restart.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentialsFor(
    const ServiceConfig& config) {
  if (config.tls_cert_file.empty()) return grpc::InsecureServerCredentials();
  // Read once now, so a missing or unreadable file fails the start clearly.
  for (const auto& [path, flag] : {std::pair{config.tls_cert_file, "tls_cert_file"},
                                   std::pair{config.tls_key_file, "tls_key_file"}}) {
    if (absl::Status readable = ReadFlagFile(path, flag).status(); !readable.ok()) return readable;
  }
  const bool mutual = !config.tls_client_ca_file.empty();
  if (mutual) {
    CAUNOI_RETURN_IF_ERROR(ReadFlagFile(config.tls_client_ca_file, "tls_client_ca_file").status());
  }
  const unsigned int refresh_seconds = static_cast<unsigned int>(
      std::max<int64_t>(1, absl::ToInt64Seconds(config.tls_reload_interval)));
  auto provider = std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
      config.tls_key_file, config.tls_cert_file, mutual ? config.tls_client_ca_file : "",
      refresh_seconds);
  grpc::experimental::TlsServerCredentialsOptions options(provider);
  options.watch_identity_key_cert_pairs();
  if (mutual) {
    options.watch_root_certs();
    options.set_cert_request_type(GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  } else {
    options.set_cert_request_type(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  }
  return grpc::experimental::TlsServerCredentials(options);
}

absl::Status WritePortFile(const std::string& path, int port) {
  const std::string temporary = absl::StrCat(path, ".tmp");
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << port << "\n";
    if (!out) return absl::InternalError(absl::StrCat("cannot write ", temporary));
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    return absl::InternalError(absl::StrCat("cannot rename ", temporary, " to ", path));
  }
  return absl::OkStatus();
}

// Keeps health in step with the readiness probe until stopped.
class HealthMonitor {
 public:
  HealthMonitor(std::vector<grpc::HealthCheckServiceInterface*> health,
                std::vector<std::string> names, std::function<absl::Status()> probe,
                absl::Duration interval)
      : health_(std::move(health)),
        names_(std::move(names)),
        probe_(std::move(probe)),
        interval_(interval) {}

  void Start() {
    Update();
    thread_ = std::thread([this] {
      while (!stop_.WaitForNotificationWithTimeout(interval_)) Update();
    });
  }
  void Stop() {
    stop_.Notify();
    if (thread_.joinable()) thread_.join();
  }

 private:
  void Update() {
    const absl::Status status = probe_ ? probe_() : absl::OkStatus();
    const bool serving = status.ok();
    if (serving != last_serving_) {
      log::Info("health.changed",
                {{"serving", serving ? "true" : "false"}, {"reason", status.message()}});
      last_serving_ = serving;
    }
    for (grpc::HealthCheckServiceInterface* health : health_) {
      for (const std::string& name : names_) health->SetServingStatus(name, serving);
      // The process itself answers: what a liveness probe asks, so a
      // database outage makes pods unready, never restarts them.
      health->SetServingStatus(std::string(kLivenessName), true);
    }
  }

  std::vector<grpc::HealthCheckServiceInterface*> health_;
  const std::vector<std::string> names_;
  std::function<absl::Status()> probe_;
  const absl::Duration interval_;
  absl::Notification stop_;
  std::thread thread_;
  std::optional<bool> last_serving_;
};

v1::ServerInfo DescribeServer(const ServiceConfig& config, const ServerParts& parts) {
  v1::ServerInfo info;
  info.set_service(config.service);
  info.set_version(CAUNOI_VERSION);
  *info.mutable_start_time() =
      google::protobuf::util::TimeUtil::NanosecondsToTimestamp(absl::GetCurrentTimeNanos());
  info.set_schema_version(parts.readiness.schema_version);
  info.add_services(v1::ServerInfoService::service_full_name());
  for (const HostedService& hosted : parts.services) info.add_services(hosted.full_name);
  return info;
}

}  // namespace

int RunServer(const ServiceConfig& config, const ServerParts& parts) {
  grpc::EnableDefaultHealthCheckService(true);
  // Keeps the health types linked and registered, so reflection can
  // describe grpc.health.v1.Health.
  (void)grpc::health::v1::HealthCheckRequest::descriptor();
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  ServerInfoServiceImpl server_info(DescribeServer(config, parts));
  grpc::ServerBuilder builder;
  grpc::ResourceQuota quota(absl::StrCat("caunoi-", config.service));
  ApplyLimits(config, builder, quota);
  int port = 0;
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      ServerCredentialsFor(config);
  if (!credentials.ok()) {
    log::Error("server.tls_failed", {{"error", credentials.status().message()}});
    return 1;
  }
  // Behind a front, gRPC's server is reached from this host alone, by the
  // front, which serves the port's TLS itself.
  if (parts.front != nullptr) {
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  } else {
    builder.AddListeningPort(config.listen_address, *credentials, &port);
  }
  builder.RegisterService(&server_info);
  for (const HostedService& hosted : parts.services) builder.RegisterService(hosted.service);
  InstallProtobufLogHandler();
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  if (!config.forwards_bytes) interceptors.push_back(MakeParseErrorInterceptorFactory());
  interceptors.push_back(MakeCallCounterInterceptorFactory());
  interceptors.push_back(metrics::ServerCalls());
  interceptors.push_back(MakeCallLogInterceptorFactory(
      ParseCallLogLevel(config.call_log).value_or(CallLogLevel::kAll)));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  if (!config.metrics_listen.empty()) {
    absl::StatusOr<int> metrics_port = metrics::Serve(config.metrics_listen);
    if (!metrics_port.ok()) {
      log::Error("server.metrics_failed", {{"error", metrics_port.status().message()}});
      return 1;
    }
    log::Info("server.metrics",
              {{"listen", config.metrics_listen}, {"port", absl::StrCat(*metrics_port)}});
  }

  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    log::Error("server.listen_failed", {{"listen", config.listen_address}});
    return 1;
  }
  if (parts.front != nullptr) {
    absl::StatusOr<int> front_port =
        parts.front->Start(config.listen_address, absl::StrCat("127.0.0.1:", port));
    if (!front_port.ok()) {
      log::Error("server.listen_failed",
                 {{"listen", config.listen_address}, {"error", front_port.status().message()}});
      return 1;
    }
    port = *front_port;
  }
  if (!config.port_file.empty()) {
    if (absl::Status written = WritePortFile(config.port_file, port); !written.ok()) {
      log::Error("server.port_file_failed", {{"error", written.message()}});
      return 1;
    }
  }
  // Health alone on a plaintext port, for probes that cannot speak TLS
  // (Kubernetes' native gRPC probe) when the main port does.
  std::unique_ptr<grpc::Server> health_server;
  if (!config.health_listen.empty()) {
    grpc::ServerBuilder health_builder;
    int health_port = 0;
    health_builder.AddListeningPort(config.health_listen, grpc::InsecureServerCredentials(),
                                    &health_port);
    health_server = health_builder.BuildAndStart();
    if (health_server == nullptr || health_port == 0 ||
        health_server->GetHealthCheckService() == nullptr) {
      log::Error("server.listen_failed", {{"listen", config.health_listen}});
      return 1;
    }
  }
  // "" is the whole server, as Kubernetes' gRPC probe asks by default.
  std::vector<std::string> health_names = {""};
  for (const std::string& name : server_info.info().services()) health_names.push_back(name);
  std::vector<grpc::HealthCheckServiceInterface*> health_services = {
      server->GetHealthCheckService()};
  if (health_server) health_services.push_back(health_server->GetHealthCheckService());
  for (CompanionListener* companion : parts.companions) {
    if (absl::Status started = companion->Start(*server); !started.ok()) {
      log::Error("server.companion_failed", {{"error", started.message()}});
      return 1;
    }
  }
  HealthMonitor monitor(health_services, std::move(health_names), parts.readiness.probe,
                        config.health_interval);
  monitor.Start();
  log::Info("server.started", {{"listen", config.listen_address}, {"port", absl::StrCat(port)}});

  const int signal_number = WaitForTerminationSignal();
  log::Info("server.draining", {{"signal", absl::StrCat(signal_number)},
                                {"grace", absl::FormatDuration(config.drain_grace)},
                                {"deadline", absl::FormatDuration(config.drain_deadline)}});
  monitor.Stop();
  for (CompanionListener* companion : parts.companions) companion->Stop();
  for (grpc::HealthCheckServiceInterface* health : health_services) health->Shutdown();
  absl::SleepFor(config.drain_grace);
  const absl::Time deadline = absl::Now() + config.drain_deadline;
  if (parts.front != nullptr) parts.front->Drain(deadline);
  server->Shutdown(absl::ToChronoTime(deadline));
  server->Wait();
  if (health_server) health_server->Shutdown(absl::ToChronoTime(absl::Now()));
  log::Info(
      "server.stopped",
      {{"late_by", absl::FormatDuration(std::max(absl::ZeroDuration(), absl::Now() - deadline))}});
  return 0;
}

}  // namespace caunoi
