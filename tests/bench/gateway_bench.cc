#include "tests/bench/gateway_bench.h"

#include <atomic>
#include <cstdio>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "caunoi/v1/gateway.grpc.pb.h"
#include "caunoi/v1/organizations.grpc.pb.h"
#include "caunoi/v1/reports.grpc.pb.h"
#include "common/client/channel.h"
#include "common/pg/connection.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "tests/bench/bench_suite.h"
#include "tests/bench/national_data.h"
#include "tests/bench/nginx_proxy.h"
#include "tests/support/certificates.h"
#include "tests/support/server_process.h"
#include "tests/support/subprocess.h"

namespace caunoi::bench {
namespace {

constexpr char kToken[] = "bench-token";
constexpr char kTokenLine[] = "bench-token bench central central";

// Obligations under directives/1000000 (the root MeasureDirectives loads)
// for the filing measurement: monthly ones from 2022-01 (ids 1..2000).
absl::Status LoadFilingObligations(const std::string& dsn) {
  return LoadBySql(
      dsn, "the filing obligations",
      absl::StrCat(
          "INSERT INTO reports.obligations (id, document_id, unit_id, locality_id, cadence,"
          " timely_days, first_period, first_day)"
          " SELECT n, 1000000, n, (" CAUNOI_BENCH_CURRENT_CODES
          ")[n % 34 + 1], 'MONTHLY', 10, '2022-01',"
          " '2022-01-01' FROM generate_series(1, ",
          kFilingObligations, ") n;", "SELECT setval('reports.obligations_id_seq', ",
          kFilingObligations, ");"));
}

// Reports filed on the 2,000 obligations, month after month from 2022-01,
// each with its own request_id, in turns with the grpc_insert `floor`:
// twice the usual time in eight turns, since the two are compared as a ratio.
std::pair<LoadResult, LoadResult> MeasureFiling(
    const std::unique_ptr<v1::ReportService::Stub>& stub, const std::function<bool(int)>& floor,
    int concurrency, absl::Duration duration) {
  std::atomic<int64_t> sequence{0};
  std::atomic<bool> explained{false};
  auto file = [&](int) {
    const int64_t n = sequence++;
    const int64_t month = n / kFilingObligations;
    v1::CreateReportRequest request;
    request.set_parent(absl::StrCat("obligations/", n % kFilingObligations + 1));
    request.set_request_id(absl::StrCat("bench-report-", n));
    request.mutable_report()->set_period(
        absl::StrFormat("%04d-%02d", 2022 + month / 12, month % 12 + 1));
    request.mutable_report()->set_summary("Kết quả thực hiện trong tháng");
    request.mutable_report()->mutable_figures()->set_dissemination_sessions(2);
    grpc::ClientContext context;
    v1::Report created;
    return Explained(stub->CreateReport(&context, request, &created), explained);
  };
  auto [floor_result, filing] =
      RunAlternating(kFloorInTurnsWithFiling, floor, "CreateReport (filing, durable)", file,
                     concurrency, 2 * duration, 8);
  return {ServedByTheBench(std::move(floor_result)), std::move(filing)};
}

using OrganizationStub = v1::OrganizationService::Stub;

// `count` channels to `address`, each with a connection of its own (gRPC
// shares one connection between channels whose arguments are equal).
std::vector<std::unique_ptr<OrganizationStub>> Stubs(
    const std::string& address, int count,
    const std::shared_ptr<grpc::ChannelCredentials>& credentials) {
  std::vector<std::unique_ptr<OrganizationStub>> stubs;
  for (int i = 0; i < count; ++i) {
    grpc::ChannelArguments arguments = ClientChannelArguments();
    arguments.SetInt("caunoi.bench.channel", i);
    stubs.push_back(v1::OrganizationService::NewStub(
        grpc::CreateCustomChannel(address, credentials, arguments)));
  }
  return stubs;
}

// Where the routes of MeasureRoutes lead, and how callers reach them.
struct Routes {
  std::string direct;
  std::string nginx;
  std::string gateway;
  std::shared_ptr<grpc::ChannelCredentials> to_direct;
  std::shared_ptr<grpc::ChannelCredentials> to_proxies;  // nginx and the gateway
};

// One call made straight to the server, through nginx and through the
// gateway, in turns; `channels` channels per route, thread t on channel
// t % channels. Prints the gateway against nginx as it completes.
template <typename Invoke>
std::vector<LoadResult> MeasureRoutes(const std::string& what, const Invoke& invoke,
                                      const Routes& routes, int concurrency, int channels,
                                      absl::Duration duration) {
  auto direct = Stubs(routes.direct, channels, routes.to_direct);
  auto proxied = Stubs(routes.nginx, channels, routes.to_proxies);
  auto forwarded = Stubs(routes.gateway, channels, routes.to_proxies);
  auto through = [&](std::vector<std::unique_ptr<OrganizationStub>>& stubs, bool token) {
    return [&stubs, token, &invoke](int thread) {
      grpc::ClientContext context;
      if (token) context.AddMetadata("authorization", absl::StrCat("Bearer ", kToken));
      return invoke(*stubs[thread % stubs.size()], context);
    };
  };
  const std::string shape = channels == 1 ? absl::StrCat("1 channel x ", concurrency, " streams")
                                          : absl::StrCat(channels, " channels");
  // Twice the usual time, in ten turns: the three are compared as ratios,
  // and this machine's run-to-run noise is as large as the margins.
  std::vector<LoadResult> results =
      RunInTurns({{absl::StrCat(what, " direct, ", shape), through(direct, false)},
                  {absl::StrCat(what, " via nginx, ", shape), through(proxied, false)},
                  {absl::StrCat(what, " via gateway, ", shape), through(forwarded, true)}},
                 concurrency, 2 * duration, 10);
  const LoadResult& straight = results[0];
  const LoadResult& nginx = results[1];
  const LoadResult& gateway = results[2];
  const double throughput = gateway.per_second / nginx.per_second;
  const double p99 = absl::ToDoubleMilliseconds(gateway.p99);
  const double nginx_p99 = absl::ToDoubleMilliseconds(nginx.p99);
  std::printf(
      "target gateway vs nginx, %s, %s: throughput %.2f x nginx (>= 1: %s), p99 %.2f ms vs"
      " %.2f ms (<=: %s); of direct: nginx %.2f x, gateway %.2f x\n",
      what.c_str(), shape.c_str(), throughput, throughput >= 1 ? "met" : "not met", p99, nginx_p99,
      p99 <= nginx_p99 ? "met" : "not met", nginx.per_second / straight.per_second,
      gateway.per_second / straight.per_second);
  std::fflush(stdout);
  return results;
}

// A point read (300 bytes) and the list a provincial system asks for
// (today's 34 units with the units each replaced, about 6 KB), straight to
// organizations_server, through nginx's grpc_pass and through the gateway
// (token check, rate limit, byte forwarding), on one channel carrying
// every caller's streams and on a channel per caller. `over` names the
// transport in each figure's name.
std::vector<LoadResult> MeasureForwardingThrough(const Routes& routes, const std::string& over,
                                                 int concurrency, absl::Duration duration) {
  v1::GetLocalityRequest locality;
  locality.set_name("localities/79");
  auto get = [&](OrganizationStub& stub, grpc::ClientContext& context) {
    v1::Locality response;
    return stub.GetLocality(&context, locality, &response).ok();
  };
  v1::ListLocalitiesRequest list;
  list.set_page_size(50);
  auto list_all = [&](OrganizationStub& stub, grpc::ClientContext& context) {
    v1::ListLocalitiesResponse response;
    return stub.ListLocalities(&context, list, &response).ok() && response.localities_size() == 34;
  };
  std::vector<LoadResult> results;
  for (const int channels : {1, concurrency}) {
    for (LoadResult& result : MeasureRoutes(absl::StrCat("GetLocality", over), get, routes,
                                            concurrency, channels, duration)) {
      results.push_back(std::move(result));
    }
    for (LoadResult& result : MeasureRoutes(absl::StrCat("ListLocalities", over), list_all, routes,
                                            concurrency, channels, duration)) {
      results.push_back(std::move(result));
    }
  }
  return results;
}

std::vector<LoadResult> MeasureForwarding(const std::string& organizations_address,
                                          const testing::ServerProcess& gateway, int concurrency,
                                          absl::Duration duration) {
  absl::StatusOr<std::unique_ptr<NginxProxy>> nginx = NginxProxy::Start(organizations_address);
  if (!nginx.ok()) {
    std::fprintf(stderr, "nginx: %s\n", std::string(nginx.status().message()).c_str());
    return {};
  }
  const auto plaintext = grpc::InsecureChannelCredentials();
  return MeasureForwardingThrough(
      {organizations_address, (*nginx)->address(), gateway.address(), plaintext, plaintext}, "",
      concurrency, duration);
}

// The same as the prod overlay runs it: callers speak TLS to nginx and to
// the gateway, and each reaches organizations_server over mutual TLS (the
// server asks for the suite's client certificate). Direct callers present
// that certificate themselves.
std::vector<LoadResult> MeasureForwardingOverTls(const std::string& dsn, const BenchSuite& suite,
                                                 const std::vector<std::string>& gateway_args,
                                                 int concurrency, absl::Duration duration) {
  const std::string tls = testing::MakeTempDirectory("caunoi-bench-tls");
  for (const absl::Status& made :
       {testing::MakeCertificates(tls), testing::MakeClientCertificate(tls)}) {
    if (!made.ok()) {
      std::fprintf(stderr, "certificates: %s\n", std::string(made.message()).c_str());
      return {};
    }
  }
  auto probe_port = [] { return absl::StrCat("127.0.0.1:", testing::PickFreePort()); };
  std::map<std::string, std::string> served = {{"CAUNOI_DATABASE_URL", dsn},
                                               {"CAUNOI_TLS_CERT_FILE", tls + "/tls.crt"},
                                               {"CAUNOI_TLS_KEY_FILE", tls + "/tls.key"},
                                               {"CAUNOI_TLS_CLIENT_CA_FILE", tls + "/ca.crt"},
                                               {"CAUNOI_HEALTH_LISTEN", probe_port()}};
  if (auto secret = suite.gateway_environment.find("CAUNOI_GATEWAY_SECRET");
      secret != suite.gateway_environment.end()) {
    served[secret->first] = secret->second;
  }
  auto organizations =
      testing::ServerProcess::Start(CAUNOI_ORGANIZATIONS_SERVER, {"--db_pool_size=8"}, served);
  if (!organizations.ok()) {
    std::fprintf(stderr, "organizations_server over TLS: %s\n",
                 std::string(organizations.status().message()).c_str());
    return {};
  }
  absl::StatusOr<std::unique_ptr<NginxProxy>> nginx =
      NginxProxy::Start((*organizations)->address(), tls);
  if (!nginx.ok()) {
    std::fprintf(stderr, "nginx over TLS: %s\n", std::string(nginx.status().message()).c_str());
    return {};
  }
  auto gateway = suite.StartGateway({kTokenLine}, gateway_args,
                                    {{"CAUNOI_ORGANIZATIONS_ADDRESS", (*organizations)->address()},
                                     {"CAUNOI_TLS_CERT_FILE", tls + "/tls.crt"},
                                     {"CAUNOI_TLS_KEY_FILE", tls + "/tls.key"},
                                     {"CAUNOI_BACKEND_CA_FILE", tls + "/ca.crt"},
                                     {"CAUNOI_BACKEND_CERT_FILE", tls + "/client.crt"},
                                     {"CAUNOI_BACKEND_KEY_FILE", tls + "/client.key"},
                                     {"CAUNOI_HEALTH_LISTEN", probe_port()}});
  if (!gateway.ok()) {
    std::fprintf(stderr, "gateway_server over TLS: %s\n",
                 std::string(gateway.status().message()).c_str());
    return {};
  }
  grpc::SslCredentialsOptions trusting;
  trusting.pem_root_certs = testing::ReadPem(tls + "/ca.crt");
  grpc::SslCredentialsOptions certified = trusting;
  certified.pem_cert_chain = testing::ReadPem(tls + "/client.crt");
  certified.pem_private_key = testing::ReadPem(tls + "/client.key");
  return MeasureForwardingThrough(
      {(*organizations)->address(), (*nginx)->address(), (*gateway)->address(),
       grpc::SslCredentials(certified), grpc::SslCredentials(trusting)},
      " over TLS", concurrency, duration);
}

}  // namespace

std::vector<LoadResult> MeasureReportsAndGateway(const std::string& dsn,
                                                 const std::string& organizations_address,
                                                 int concurrency, absl::Duration duration,
                                                 const ReportsAndGatewayParts& parts) {
  std::vector<LoadResult> results;
  absl::StatusOr<BenchSuite> suite = StartBenchSuite(dsn, organizations_address);
  if (!suite.ok()) {
    std::fprintf(stderr, "servers: %s\n", std::string(suite.status().message()).c_str());
    return results;
  }
  // The rollout over 1,000,000 tasks takes seconds uncached: give its
  // sections the time, and let the cache serve the repeats. The bench's one
  // principal runs 16 aggregate calls at once.
  const std::vector<std::string> unlimited = {"--rate_per_second=1000000", "--rate_burst=1000000",
                                              "--section_timeout=30s", "--aggregates_in_flight=64"};
  auto gateway = suite->StartGateway({kTokenLine}, unlimited);
  if (!gateway.ok()) {
    std::fprintf(stderr, "gateway_server: %s\n", std::string(gateway.status().message()).c_str());
    return results;
  }
  if (absl::Status loaded = LoadFilingObligations(dsn); !loaded.ok()) {
    std::fprintf(stderr, "loading obligations: %s\n", std::string(loaded.message()).c_str());
    return results;
  }
  if (parts.bulk) {
    if (absl::Status loaded = LoadReports(dsn); !loaded.ok()) {
      std::fprintf(stderr, "loading reports: %s\n", std::string(loaded.message()).c_str());
      return results;
    }
  }

  auto report_stub = v1::ReportService::NewStub(suite->reports->NewChannel());
  if (parts.filing && !parts.floor) {
    std::fprintf(stderr, "filing needs its floor (ReportsAndGatewayParts::floor)\n");
    return {};
  }
  if (parts.filing) {
    auto [floor, filing] = MeasureFiling(report_stub, parts.floor, concurrency, duration);
    results.push_back(std::move(floor));
    results.push_back(std::move(filing));
  }
  if (parts.bulk) {
    v1::SummarizeComplianceRequest compliance;
    compliance.add_documents("directives/1000000");
    auto summarize = [&](int) {
      grpc::ClientContext context;
      v1::SummarizeComplianceResponse response;
      return report_stub->SummarizeCompliance(&context, compliance, &response).ok() &&
             response.localities_size() == 34 && response.total().on_time() > 0;
    };
    results.push_back(RunLoad("SummarizeCompliance 1M reports (1 caller)", 1, duration, summarize));
    results.push_back(RunLoad("SummarizeCompliance 1M reports", concurrency, duration, summarize));
  }
  if (parts.forwarding) {
    std::vector<LoadResult> forwarding =
        MeasureForwarding(organizations_address, **gateway, concurrency, duration);
    if (forwarding.empty()) return {};
    results.insert(results.end(), forwarding.begin(), forwarding.end());
    std::vector<LoadResult> over_tls =
        MeasureForwardingOverTls(dsn, *suite, unlimited, concurrency, duration);
    if (over_tls.empty()) return {};
    results.insert(results.end(), over_tls.begin(), over_tls.end());
  }
  if (!parts.bulk) return results;

  // The rollout of the root over 1,000,000 tasks and 1,000,000 reports:
  // first every call computed (cache off), then as served with the cache.
  v1::GetDirectiveRolloutRequest rollout;
  rollout.set_document("directives/1000000");
  std::atomic<bool> explained{false};
  auto check = [&](const v1::DirectiveRollout& answer) {
    bool complete = answer.localities_size() == 34 && answer.reports().expected() > 0;
    for (const v1::SectionStatus& section : answer.sections()) {
      complete = complete && section.available();
    }
    if (!complete && !explained.exchange(true)) {
      std::fprintf(stderr, "incomplete rollout: %d localities, %lld expected reports\n",
                   answer.localities_size(), static_cast<long long>(answer.reports().expected()));
      for (const v1::SectionStatus& section : answer.sections()) {
        std::fprintf(stderr, "  %s: %s\n", section.section().c_str(), section.reason().c_str());
      }
    }
    return complete;
  };
  {
    auto uncached =
        suite->StartGateway({kTokenLine}, unlimited, {{"CAUNOI_ROLLOUT_CACHE_TTL", "0s"}});
    if (!uncached.ok()) {
      std::fprintf(stderr, "gateway_server: %s\n",
                   std::string(uncached.status().message()).c_str());
      return results;
    }
    auto stub = v1::GatewayService::NewStub((*uncached)->NewChannel());
    auto computed = WithToken(kToken, [&](grpc::ClientContext& context, int) {
      google::protobuf::Arena arena;
      auto& answer = AnswerOn<v1::DirectiveRollout>(arena);
      return Explained(stub->GetDirectiveRollout(&context, rollout, &answer), explained) &&
             check(answer);
    });
    results.push_back(RunLoad("GetDirectiveRollout uncached (1 caller)", 1, duration, computed));
    results.push_back(RunLoad("GetDirectiveRollout uncached", concurrency, duration, computed));
  }
  // Served with the cache: one call computes it first, as the first
  // caller after a deployment would.
  auto gateway_stub = v1::GatewayService::NewStub((*gateway)->NewChannel());
  {
    grpc::ClientContext context;
    context.AddMetadata("authorization", absl::StrCat("Bearer ", kToken));
    v1::DirectiveRollout answer;
    if (!gateway_stub->GetDirectiveRollout(&context, rollout, &answer).ok()) {
      std::fprintf(stderr, "warming the rollout cache failed\n");
    }
  }
  auto cached = WithToken(kToken, [&](grpc::ClientContext& context, int) {
    google::protobuf::Arena arena;
    auto& answer = AnswerOn<v1::DirectiveRollout>(arena);
    return Explained(gateway_stub->GetDirectiveRollout(&context, rollout, &answer), explained) &&
           check(answer);
  });
  results.push_back(RunLoad("GetDirectiveRollout cached (1 caller)", 1, duration, cached));
  results.push_back(RunLoad("GetDirectiveRollout cached", concurrency, duration, cached));
  return results;
}

}  // namespace caunoi::bench
