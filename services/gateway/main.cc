// The gateway: one authenticated entry point for provincial systems. It
// forwards every RPC of the three services and answers cross-locality
// status by asking them in parallel. It owns no tables.
#include <optional>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "caunoi/v1/directives.grpc.pb.h"
#include "caunoi/v1/organizations.grpc.pb.h"
#include "caunoi/v1/reports.grpc.pb.h"
#include "common/logging/log.h"
#include "common/server/call_log.h"
#include "common/server/service_host.h"
#include "grpcpp/security/credentials.h"
#include "services/gateway/backend.h"
#include "services/gateway/forwarding_service.h"
#include "services/gateway/gatekeeper.h"
#include "services/gateway/rate_limiter.h"
#include "services/gateway/relay_front.h"
#include "services/gateway/status_service.h"
#include "services/gateway/token_table.h"
#include "services/gateway/web/web_listener.h"

ABSL_FLAG(std::string, tokens_file, "",
          "file of hashed bearer tokens: `sha256-hex name locality|central role` per line");
ABSL_FLAG(absl::Duration, tokens_reload_interval, absl::Seconds(10),
          "how often the tokens file is checked for a rotation");
ABSL_FLAG(double, rate_per_second, 100, "calls per second each principal may make on average");
ABSL_FLAG(double, rate_burst, 200, "calls a principal may make at once above its rate");
ABSL_FLAG(double, aggregate_call_cost, 100,
          "rate tokens an aggregate call (a summary, stats, a rollout, a dashboard) takes");
ABSL_FLAG(absl::Duration, rate_free_time, absl::Milliseconds(10),
          "how long a unary call may run for its one rate token");
ABSL_FLAG(absl::Duration, rate_token_time, absl::Milliseconds(2),
          "a unary call takes one more rate token for each such time it runs beyond the free time");
ABSL_FLAG(int64_t, rate_token_bytes, 16 * 1024,
          "a unary call takes one more rate token for each such number of bytes its request and"
          " answer carry beyond the first as many; 0 does not count bytes");
ABSL_FLAG(int, aggregates_in_flight, 1, "aggregate calls one principal may have running at once");
ABSL_FLAG(int, changes_held, 20000,
          "recent changes of each service the gateway keeps for its WatchChanges watchers");
ABSL_FLAG(int, backend_max_in_flight, 256,
          "calls under way to one backend service at once; more are RESOURCE_EXHAUSTED");
ABSL_FLAG(absl::Duration, section_timeout, absl::Seconds(2),
          "deadline of each backend call behind a status answer");
ABSL_FLAG(std::string, web_listen, "",
          "host:port of the web dashboard's HTTP listener (empty: no dashboard)");
ABSL_FLAG(int, aggregates_at_once, 4,
          "composite answers (rollouts, comparisons, dashboards, overdue lists) computed at once;"
          " the others wait their turn in arrival order");
ABSL_FLAG(bool, frame_relay, true,
          "serve the port with the frame relay, which takes the three services' calls straight to"
          " them as HTTP/2 frames (in plaintext or over TLS, as the port and the services are"
          " configured), when it can resolve the services' addresses");
ABSL_FLAG(int, relay_threads, 2, "the frame relay's event loops, each on a thread of its own");
ABSL_FLAG(double, relay_busy_share, 0.5,
          "the share of a core below which a frame relay loop takes new callers before the loops"
          " after it (fewer loops woken for the same calls); a busier loop asks callers to"
          " connect again while another is below half of it; 0 spreads callers evenly");
ABSL_FLAG(absl::Duration, relay_greeting_timeout, absl::Seconds(20),
          "how long the frame relay waits for a new connection's first HTTP/2 frame (over TLS,"
          " its handshake included) before closing it");
ABSL_FLAG(absl::Duration, relay_resolve_interval, absl::Seconds(30),
          "how often the frame relay looks up the services' names again for replicas that came or"
          " went");
ABSL_FLAG(absl::Duration, rollout_cache_ttl, absl::Seconds(5),
          "how long a complete directive rollout may be served again (0s: never)");
namespace {

// Linked in with the generated code, so always found.
const google::protobuf::ServiceDescriptor* ServiceDescriptorOf(const char* full_name) {
  return google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(full_name);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace caunoi;
  using namespace caunoi::gateway;
  auto host = ServiceHost::Start(argc, argv,
                                 {.service = "gateway",
                                  .listen_address = "127.0.0.1:50050",
                                  .needs_database = false,
                                  .forwards_bytes = true});
  const ServiceConfig& config = host->config();
  if (config.gateway_secret.empty()) {
    log::Error("config.invalid", {{"flag", "gateway_secret"}, {"problem", "is required"}});
    return 2;
  }
  if (absl::GetFlag(FLAGS_aggregates_at_once) < 1) {
    log::Error("config.invalid",
               {{"flag", "aggregates_at_once"}, {"problem", "must be at least 1"}});
    return 2;
  }
  if (const double share = absl::GetFlag(FLAGS_relay_busy_share); !(share >= 0 && share <= 1)) {
    log::Error("config.invalid",
               {{"flag", "relay_busy_share"}, {"problem", "must be a share of a core, 0 to 1"}});
    return 2;
  }
  if (absl::GetFlag(FLAGS_rate_token_bytes) < 0) {
    log::Error("config.invalid",
               {{"flag", "rate_token_bytes"}, {"problem", "must be 0 (not counted) or more"}});
    return 2;
  }
  TokenTable tokens;
  if (absl::Status loaded = tokens.Load(absl::GetFlag(FLAGS_tokens_file)); !loaded.ok()) {
    log::Error("config.invalid", {{"flag", "tokens_file"}, {"problem", loaded.message()}});
    return 2;
  }
  log::Info("gateway.tokens_loaded", {{"principals", absl::StrCat(tokens.size())}});

  RateLimiter limiter(absl::GetFlag(FLAGS_rate_per_second), absl::GetFlag(FLAGS_rate_burst));
  Gatekeeper gatekeeper(tokens, limiter,
                        {.aggregate = absl::GetFlag(FLAGS_aggregate_call_cost),
                         .free_time = absl::GetFlag(FLAGS_rate_free_time),
                         .token_time = absl::GetFlag(FLAGS_rate_token_time),
                         .token_bytes = absl::GetFlag(FLAGS_rate_token_bytes),
                         .aggregates_in_flight = absl::GetFlag(FLAGS_aggregates_in_flight)});
  const std::shared_ptr<grpc::ChannelCredentials>& credentials = host->backend_credentials();
  const int cap = absl::GetFlag(FLAGS_backend_max_in_flight);
  const auto* directives_service = ServiceDescriptorOf(v1::DirectiveService::service_full_name());
  const auto* organizations_service =
      ServiceDescriptorOf(v1::OrganizationService::service_full_name());
  const auto* reports_service = ServiceDescriptorOf(v1::ReportService::service_full_name());
  Backend directives("directives", config.directives_address, *directives_service, credentials,
                     cap);
  Backend organizations("organizations", config.organizations_address, *organizations_service,
                        credentials, cap);
  Backend reports("reports", config.reports_address, *reports_service, credentials, cap);
  ForwardingService forward_directives(*directives_service, directives, gatekeeper,
                                       config.gateway_secret);
  ForwardingService forward_organizations(*organizations_service, organizations, gatekeeper,
                                          config.gateway_secret);
  ForwardingService forward_reports(*reports_service, reports, gatekeeper, config.gateway_secret);
  // Callers are known here by their tokens; their log lines name them so.
  SetCallerNamer([&gatekeeper](const std::multimap<grpc::string_ref, grpc::string_ref>& metadata) {
    absl::StatusOr<auth::Principal> principal = gatekeeper.Authenticate(metadata);
    return principal.ok() ? principal->name : std::string();
  });
  // One stream from each service for every watcher of the gateway.
  const size_t held = static_cast<size_t>(absl::GetFlag(FLAGS_changes_held));
  UpstreamChanges directive_changes(
      "directives",
      ChangeCallsOf(std::shared_ptr(v1::DirectiveService::NewStub(directives.channel()))), held);
  UpstreamChanges organization_changes(
      "organizations",
      ChangeCallsOf(std::shared_ptr(v1::OrganizationService::NewStub(organizations.channel()))),
      held);
  UpstreamChanges report_changes(
      "reports", ChangeCallsOf(std::shared_ptr(v1::ReportService::NewStub(reports.channel()))),
      held);
  MergedChanges merged({&directive_changes, &organization_changes, &report_changes});
  StatusService status(
      directives, organizations, reports, gatekeeper, merged,
      {absl::GetFlag(FLAGS_section_timeout), absl::GetFlag(FLAGS_rollout_cache_ttl),
       absl::GetFlag(FLAGS_aggregates_at_once)});

  // A rotated Secret is mounted in place; pick it up without a restart.
  absl::Notification stop;
  std::thread reloader([&] {
    while (!stop.WaitForNotificationWithTimeout(absl::GetFlag(FLAGS_tokens_reload_interval))) {
      if (absl::Status reloaded = tokens.ReloadIfChanged(); !reloaded.ok()) {
        log::Error("gateway.tokens_reload_failed", {{"error", reloaded.message()}});
      }
    }
  });
  std::vector<CompanionListener*> companions;
  std::optional<web::WebListener> dashboard;
  if (const std::string web_listen = absl::GetFlag(FLAGS_web_listen); !web_listen.empty()) {
    // A dashboard call waits for its sections as a gRPC caller would.
    dashboard.emplace(web_listen, absl::GetFlag(FLAGS_section_timeout) + absl::Seconds(10));
    companions.push_back(&*dashboard);
  }
  // The relay takes the port when it can; the gRPC forwarding then serves
  // what reaches the gRPC server some other way (the dashboard in-process).
  std::optional<RelayFront> front;
  const RelayTuning relay_tuning{.threads = std::max(1, absl::GetFlag(FLAGS_relay_threads)),
                                 .greeting_timeout = absl::GetFlag(FLAGS_relay_greeting_timeout),
                                 .resolve_interval = absl::GetFlag(FLAGS_relay_resolve_interval),
                                 .busy_share = absl::GetFlag(FLAGS_relay_busy_share)};
  if (absl::GetFlag(FLAGS_frame_relay)) {
    if (absl::Status fits = RelayFront::Fits(config); fits.ok()) {
      front.emplace(
          std::vector<RelayedBackend>{
              {directives_service, &directives, config.directives_address},
              {organizations_service, &organizations, config.organizations_address},
              {reports_service, &reports, config.reports_address}},
          gatekeeper, config, ParseCallLogLevel(config.call_log).value_or(CallLogLevel::kAll),
          relay_tuning);
      log::Info("gateway.frame_relay", {{"threads", absl::StrCat(relay_tuning.threads)}});
    } else {
      log::Info("gateway.frame_relay_off", {{"reason", fits.message()}});
    }
  }
  const int exit_code = host->Serve({{&status, v1::GatewayService::service_full_name()},
                                     {&forward_directives, directives_service->full_name()},
                                     {&forward_organizations, organizations_service->full_name()},
                                     {&forward_reports, reports_service->full_name()}},
                                    {}, companions, front ? &*front : nullptr);
  stop.Notify();
  reloader.join();
  return exit_code;
}
