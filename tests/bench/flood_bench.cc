#include "tests/bench/flood_bench.h"

#include <atomic>
#include <cstdio>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "caunoi/v1/directives.grpc.pb.h"
#include "caunoi/v1/organizations.grpc.pb.h"
#include "common/pg/connection.h"
#include "grpcpp/client_context.h"
#include "tests/bench/bench_suite.h"

namespace caunoi::bench {
namespace {

constexpr char kVictim[] = "bench-victim";
constexpr char kFlooder[] = "bench-flooder";
// The gateway's defaults (services/gateway/main.cc): the flood is paced at
// the flooder's rate; its aggregates cost 100 of its tokens each, and its
// large calls one more per 16 KiB they carry.
constexpr double kFlooderRate = 100;
constexpr int kFloodThreads = 4;
constexpr absl::Duration kAbandonAfter = absl::Milliseconds(100);
// The valid principal keeps within its own rate too: 80 calls a second.
constexpr int kValidCallers = 4;
constexpr absl::Duration kValidPace = absl::Milliseconds(50);

void Authorize(grpc::ClientContext& context, const char* token) {
  context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
}

// Sends one call of the flood's mix, in turn: a 100 KB name, a document
// with 1,000 parents and a 100 KB title, the registry's statistics over
// 100,000 organizations, and a 500-row name search; the last two abandoned
// after 100 ms. True when the call was refused or abandoned.
bool SendFloodCall(int64_t n, v1::DirectiveService::Stub& directives,
                   v1::OrganizationService::Stub& organizations) {
  grpc::ClientContext context;
  Authorize(context, kFlooder);
  context.set_deadline(absl::ToChronoTime(absl::Now() + kAbandonAfter));
  grpc::Status status;
  switch (n % 4) {
    case 0: {
      v1::GetDocumentRequest request;
      request.set_name("directives/" + std::string(100 * 1024, '9'));
      v1::Document document;
      context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
      status = directives.GetDocument(&context, request, &document);
      break;
    }
    case 1: {
      v1::CreateDocumentRequest request;
      v1::Document* document = request.mutable_document();
      document->set_symbol("99-CT/TU");
      document->set_title(std::string(100 * 1024, 'x'));
      for (int i = 1; i <= 1000; ++i) document->add_parents(absl::StrCat("directives/", i));
      v1::Document created;
      context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
      status = directives.CreateDocument(&context, request, &created);
      break;
    }
    case 2: {
      v1::GetLocalityStatsRequest request;
      v1::GetLocalityStatsResponse response;
      status = organizations.GetLocalityStats(&context, request, &response);
      break;
    }
    default: {
      v1::ListOrganizationsRequest request;
      request.set_page_size(500);
      request.set_filter("display_name : \"huu nghi\"");
      v1::ListOrganizationsResponse response;
      status = organizations.ListOrganizations(&context, request, &response);
      break;
    }
  }
  return !status.ok();
}

// Our servers' statements running now, seen from a connection of its own.
int64_t RunningStatements(pg::Connection& observer) {
  constexpr pg::Statement kRunning{
      "bench_running_statements",
      "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'caunoi-%'"
      " AND state = 'active'"};
  absl::StatusOr<pg::Result> counted = observer.Execute(kRunning);
  if (!counted.ok()) return -1;
  return std::stoll(counted->OptionalText(0, 0).value_or("-1"));
}

}  // namespace

FloodResult MeasureFlood(const std::string& dsn, const std::string& organizations_address,
                         absl::Duration duration) {
  FloodResult result;
  absl::StatusOr<BenchSuite> suite = StartBenchSuite(dsn, organizations_address);
  if (!suite.ok()) {
    std::fprintf(stderr, "servers: %s\n", std::string(suite.status().message()).c_str());
    return result;
  }
  auto gateway = suite->StartGateway({absl::StrCat(kVictim, " ha-noi 01 locality"),
                                      absl::StrCat(kFlooder, " tp-ho-chi-minh 79 locality")},
                                     {});
  auto observer = pg::Connection::Open(dsn, "bench-observer");
  if (!gateway.ok() || !observer.ok()) {
    std::fprintf(stderr, "gateway or observer did not start\n");
    return result;
  }
  auto victim = v1::OrganizationService::NewStub((*gateway)->NewChannel());
  v1::GetLocalityRequest valid;
  valid.set_name("localities/01");
  std::atomic<bool> flooding{false};
  auto valid_call = [&](int) {
    grpc::ClientContext context;
    Authorize(context, kVictim);
    v1::Locality locality;
    return victim->GetLocality(&context, valid, &locality).ok();
  };

  // The flooder's own connection, paced at its rate while flooding is on.
  std::atomic<bool> stop{false};
  std::atomic<int64_t> sent{0}, refused{0};
  std::vector<std::thread> flood;
  auto flood_channel = (*gateway)->NewChannel();
  const absl::Duration pace = absl::Seconds(kFloodThreads / kFlooderRate);
  for (int t = 0; t < kFloodThreads; ++t) {
    flood.emplace_back([&] {
      auto directives = v1::DirectiveService::NewStub(flood_channel);
      auto organizations = v1::OrganizationService::NewStub(flood_channel);
      absl::Time next = absl::Now();
      while (!stop.load()) {
        if (!flooding.load()) {
          absl::SleepFor(absl::Milliseconds(5));
          next = absl::Now();
          continue;
        }
        const int64_t n = sent.fetch_add(1);
        if (SendFloodCall(n, *directives, *organizations)) refused.fetch_add(1);
        next += pace;
        absl::SleepFor(next - absl::Now());
      }
    });
  }
  // Quiet and flooded slices in turns: the machine's other work weighs on
  // both alike.
  auto [alone, flooded] = RunAlternating(
      "GetLocality, quiet (valid principal)",
      [&](int thread) {
        flooding.store(false);
        return valid_call(thread);
      },
      "GetLocality, during the flood",
      [&](int thread) {
        flooding.store(true);
        return valid_call(thread);
      },
      kValidCallers, 8 * duration, 20, kValidPace);
  flooding.store(false);
  stop.store(true);
  for (std::thread& thread : flood) thread.join();
  const absl::Time flood_ended = absl::Now();
  while (RunningStatements(**observer) > 0 && absl::Now() - flood_ended < absl::Seconds(30)) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  result.idle_after = absl::Now() - flood_ended;
  result.alone = alone;
  result.flooded = flooded;
  result.flood_calls = sent.load();
  result.flood_refused = refused.load();
  result.complete = RunningStatements(**observer) == 0;
  return result;
}

}  // namespace caunoi::bench
