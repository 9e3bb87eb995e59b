#include "tests/bench/reads_bench.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <map>
#include <memory>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "caunoi/v1/directives.pb.h"
#include "caunoi/v1/gateway.pb.h"
#include "caunoi/v1/organizations.pb.h"
#include "caunoi/v1/reports.pb.h"
#include "caunoi/v1/server_info.pb.h"
#include "common/pg/connection.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/text_format.h"
#include "grpcpp/client_context.h"
#include "grpcpp/impl/client_unary_call.h"
#include "grpcpp/impl/rpc_method.h"
#include "grpcpp/support/byte_buffer.h"
#include "tests/bench/bench_suite.h"
#include "tests/bench/national_data.h"
#include "tests/support/postgres_server.h"
#include "tests/support/subprocess.h"

namespace caunoi::bench {
namespace {

using google::protobuf::DescriptorPool;
using google::protobuf::Message;
using google::protobuf::MethodDescriptor;

constexpr char kToken[] = "bench-reader";
constexpr char kTokenLine[] = "bench-reader bench central central";

// Every file of our API that declares services, by one message of each
// (which also links the file's descriptors into this program).
std::vector<const google::protobuf::FileDescriptor*> ApiFiles() {
  return {v1::Locality::descriptor()->file(), v1::Document::descriptor()->file(),
          v1::Report::descriptor()->file(), v1::DirectiveRollout::descriptor()->file(),
          v1::ServerInfo::descriptor()->file()};
}

// Unary methods that only read, by the names the API guide gives them.
bool IsRead(const MethodDescriptor& method) {
  if (method.client_streaming() || method.server_streaming()) return false;
  for (const char* verb : {"Get", "List", "Summarize", "Compare", "Resolve", "Parse"}) {
    if (absl::StartsWith(method.name(), verb)) return true;
  }
  return false;
}

// One read as a caller makes it: the method ("Service/Method" in
// caunoi.v1) and its request in protobuf text format, where {name} stands
// for a record found after loading (kRecords).
struct Read {
  const char* label;
  const char* method;
  const char* request;
};

// Heavy reads at their widest: the national figures over everything
// loaded, the largest subtree, the root of the 1,000,000 tasks.
constexpr Read kReads[] = {
    {"GetLocality", "OrganizationService/GetLocality", R"(name: "localities/79")"},
    {"ListLocalities (34 with predecessors)", "OrganizationService/ListLocalities",
     "page_size: 50"},
    {"ResolveLocalityCode (a unit merged in 2025)", "OrganizationService/ResolveLocalityCode",
     R"(code: "74" as_of { year: 2024 month: 6 day: 1 })"},
    {"GetCommune", "OrganizationService/GetCommune", R"(name: "{commune}")"},
    {"ListCommunes (Hanoi's 126)", "OrganizationService/ListCommunes",
     R"(parent: "localities/01" page_size: 200)"},
    {"GetCountry", "OrganizationService/GetCountry", R"(name: "countries/JP")"},
    {"ListCountries", "OrganizationService/ListCountries", "page_size: 100"},
    {"GetOrganization", "OrganizationService/GetOrganization", R"(name: "{union}")"},
    {"ListOrganizations, locality and kind (100k)", "OrganizationService/ListOrganizations",
     R"(page_size: 100 filter: "locality = \"localities/01\" AND kind = FRIENDSHIP_ASSOCIATION")"},
    {"ListOrganizations, name without diacritics (100k)", "OrganizationService/ListOrganizations",
     R"(page_size: 100 filter: "display_name : \"huu nghi\"")"},
    {"ListOrganizations, a union's subtree (100k)", "OrganizationService/ListOrganizations",
     R"(page_size: 100 filter: "ancestor = \"{union}\"")"},
    {"GetOrganizationTree (a union of ~2,900, first page of 500)",
     "OrganizationService/GetOrganizationTree", R"(name: "{union}")"},
    {"GetLocalityStats (100k)", "OrganizationService/GetLocalityStats", ""},
    {"GetMemberCount", "OrganizationService/GetMemberCount", R"(name: "{member_count}")"},
    {"ListMemberCounts", "OrganizationService/ListMemberCounts",
     R"(parent: "{member_count_parent}")"},
    {"GetTerm", "OrganizationService/GetTerm", R"(name: "{term}")"},
    {"ListTerms", "OrganizationService/ListTerms", R"(parent: "{term_parent}")"},
    {"GetPerson", "OrganizationService/GetPerson", R"(name: "{person}")"},
    {"ListPeople", "OrganizationService/ListPeople", "page_size: 50"},
    {"GetPosition", "OrganizationService/GetPosition", R"(name: "{position}")"},
    {"ListPositions", "OrganizationService/ListPositions", "page_size: 50"},
    {"GetLeadershipCandidate", "OrganizationService/GetLeadershipCandidate",
     R"(name: "{candidate}")"},
    {"ListLeadershipCandidates", "OrganizationService/ListLeadershipCandidates", "page_size: 50"},
    {"GetPartner", "OrganizationService/GetPartner", R"(name: "{partner}")"},
    {"ListPartners", "OrganizationService/ListPartners", "page_size: 50"},
    {"GetPartnership", "OrganizationService/GetPartnership", R"(name: "{partnership}")"},
    {"ListPartnerships", "OrganizationService/ListPartnerships", "page_size: 50"},
    {"ListAuditRecords", "OrganizationService/ListAuditRecords", "page_size: 50"},
    {"ListChanges (organizations)", "OrganizationService/ListChanges", "page_size: 100"},

    {"GetDocument", "DirectiveService/GetDocument", R"(name: "directives/1000000")"},
    {"ListDocuments", "DirectiveService/ListDocuments", "page_size: 50"},
    {"ListDocuments, below the root (1,734)", "DirectiveService/ListDocuments",
     R"(page_size: 100 filter: "ancestor = \"directives/1000000\"")"},
    {"GetCascade (first 500 of 1,734)", "DirectiveService/GetCascade",
     R"(name: "directives/1000000")"},
    {"ParseCitation", "DirectiveService/ParseCitation", R"(symbol: "12-CT/TƯ")"},
    {"GetTask", "DirectiveService/GetTask", R"(name: "{task}")"},
    {"ListTasks, across documents (1M)", "DirectiveService/ListTasks",
     R"(parent: "directives/-" page_size: 100)"},
    {"ListTasks, a plan's (~590)", "DirectiveService/ListTasks",
     R"(parent: "{plan}" page_size: 100)"},
    {"GetProgressUpdate", "DirectiveService/GetProgressUpdate", R"(name: "{progress}")"},
    {"ListProgressUpdates", "DirectiveService/ListProgressUpdates",
     R"(parent: "{progress_parent}")"},
    {"GetDisseminationEvent", "DirectiveService/GetDisseminationEvent", R"(name: "{event}")"},
    {"ListDisseminationEvents", "DirectiveService/ListDisseminationEvents",
     R"(parent: "{event_parent}")"},
    {"GetImplementationStatus (1M)", "DirectiveService/GetImplementationStatus",
     R"(name: "directives/1000000")"},
    {"SummarizeOverdueTasks (1M)", "DirectiveService/SummarizeOverdueTasks", ""},
    {"ListTasksFallingDue, next 7 days (1M)", "DirectiveService/ListTasksFallingDue",
     "due_from { {today} } due_to { {week_ahead} } page_size: 100"},
    {"ListDirectiveAuditRecords", "DirectiveService/ListDirectiveAuditRecords", "page_size: 50"},
    {"ListChanges (directives)", "DirectiveService/ListChanges", "page_size: 100"},

    {"GetObligation", "ReportService/GetObligation", R"(name: "obligations/2001")"},
    {"ListObligations (42k)", "ReportService/ListObligations", "page_size: 100"},
    {"GetReport", "ReportService/GetReport", R"(name: "{report}")"},
    {"ListReports, one obligation's", "ReportService/ListReports",
     R"(parent: "obligations/2001" page_size: 100)"},
    {"ListReports, across obligations (1M)", "ReportService/ListReports",
     R"(parent: "obligations/-" page_size: 100)"},
    {"GetIndicator", "ReportService/GetIndicator", R"(name: "{indicator}")"},
    {"ListIndicators", "ReportService/ListIndicators", "page_size: 50"},
    {"GetDocumentIndicators", "ReportService/GetDocumentIndicators",
     R"(name: "{document_indicators}")"},
    {"SummarizeIndicators, national (1M)", "ReportService/SummarizeIndicators",
     R"(documents: "directives/1000000")"},
    {"GetActivity", "ReportService/GetActivity", R"(name: "{activity}")"},
    {"ListActivities", "ReportService/ListActivities", "page_size: 50"},
    {"GetProposal", "ReportService/GetProposal", R"(name: "{proposal}")"},
    {"ListProposals", "ReportService/ListProposals", "page_size: 50"},
    {"ListReportAuditRecords", "ReportService/ListReportAuditRecords", "page_size: 50"},
    {"SummarizeCompliance, national (1M)", "ReportService/SummarizeCompliance",
     R"(documents: "directives/1000000")"},
    {"ListMissingReports, national (1M)", "ReportService/ListMissingReports", "page_size: 100"},
    {"SummarizeActivities", "ReportService/SummarizeActivities", ""},
    {"SummarizeOpenProposals", "ReportService/SummarizeOpenProposals", ""},
    {"GetAlert", "ReportService/GetAlert", R"(name: "{alert}")"},
    {"ListAlerts", "ReportService/ListAlerts", "page_size: 50"},
    {"GetAlertRules", "ReportService/GetAlertRules", R"(name: "directives/1000000/alertRules")"},
    {"GetWebhook", "ReportService/GetWebhook", R"(name: "{webhook}")"},
    {"ListWebhooks", "ReportService/ListWebhooks", "page_size: 50"},
    {"ListDeliveries", "ReportService/ListDeliveries", R"(parent: "{webhook}")"},
    {"ListChanges (reports)", "ReportService/ListChanges", "page_size: 100"},

    {"GetDirectiveRollout, national (1M + 1M)", "GatewayService/GetDirectiveRollout",
     R"(document: "directives/1000000")"},
    {"GetLocalityDashboard, Hanoi", "GatewayService/GetLocalityDashboard",
     R"(locality: "localities/01" document: "directives/1000000")"},
    {"ListOverdue (1M)", "GatewayService/ListOverdue", "page_size: 50"},
    {"CompareLocalities, on-time rate (1M)", "GatewayService/CompareLocalities",
     R"(metric: LOCALITY_METRIC_ON_TIME_RATE document: "directives/1000000")"},
    {"GetServerInfo", "ServerInfoService/GetServerInfo", ""},
};

// Records the demo does not make, written through the gateway before the
// reads: a webhook of the reader's and a progress update on a loaded task.
constexpr std::pair<const char*, const char*> kWrites[] = {
    {"ReportService/CreateWebhook", R"(webhook { url: "http://127.0.0.1:9/caunoi" })"},
    {"DirectiveService/CreateProgressUpdate",
     R"(parent: "{task}" progress_update { note: "Đã phổ biến đến các chi hội" percent: 40 })"},
};

// The records {name} stands for, found by SQL once everything is loaded.
constexpr std::pair<const char*, const char*> kRecords[] = {
    {"commune",
     "SELECT 'localities/' || province_id || '/communes/' || code FROM organizations.communes"
     " WHERE valid_until IS NULL ORDER BY code LIMIT 1"},
    // The union with the most members: about 2,900 associations.
    {"union",
     "SELECT 'organizations/' || parent_id FROM organizations.organizations"
     " WHERE parent_id IS NOT NULL GROUP BY parent_id ORDER BY count(*) DESC LIMIT 1"},
    {"member_count",
     "SELECT 'organizations/' || organization_id || '/memberCounts/' || id"
     " FROM organizations.member_counts ORDER BY id LIMIT 1"},
    {"member_count_parent",
     "SELECT 'organizations/' || organization_id FROM organizations.member_counts"
     " ORDER BY id LIMIT 1"},
    {"term",
     "SELECT 'organizations/' || organization_id || '/terms/' || id FROM organizations.terms"
     " ORDER BY id LIMIT 1"},
    {"term_parent",
     "SELECT 'organizations/' || organization_id FROM organizations.terms ORDER BY id LIMIT 1"},
    {"person", "SELECT 'people/' || min(id) FROM organizations.people"},
    {"position", "SELECT 'positions/' || min(id) FROM organizations.positions"},
    {"candidate",
     "SELECT 'leadershipCandidates/' || min(id) FROM organizations.leadership_candidates"},
    {"partner", "SELECT 'partners/' || min(id) FROM organizations.partners"},
    {"partnership", "SELECT 'partnerships/' || min(id) FROM organizations.partnerships"},
    {"task",
     "SELECT 'directives/' || document_id || '/tasks/' || id FROM directives.tasks"
     " WHERE document_id > 2000000 ORDER BY id LIMIT 1"},
    {"plan",
     "SELECT 'directives/' || document_id FROM directives.tasks WHERE document_id > 2000000"
     " ORDER BY id LIMIT 1"},
    {"progress",
     "SELECT 'directives/' || t.document_id || '/tasks/' || t.id || '/progressUpdates/' || p.id"
     " FROM directives.progress_updates p JOIN directives.tasks t ON t.id = p.task_id"
     " ORDER BY p.id LIMIT 1"},
    {"progress_parent",
     "SELECT 'directives/' || t.document_id || '/tasks/' || t.id"
     " FROM directives.progress_updates p JOIN directives.tasks t ON t.id = p.task_id"
     " ORDER BY p.id LIMIT 1"},
    {"event",
     "SELECT 'directives/' || document_id || '/disseminationEvents/' || id"
     " FROM directives.dissemination_events ORDER BY id LIMIT 1"},
    {"event_parent",
     "SELECT 'directives/' || document_id FROM directives.dissemination_events"
     " ORDER BY id LIMIT 1"},
    {"report",
     "SELECT 'obligations/' || obligation_id || '/reports/' || id FROM reports.reports"
     " ORDER BY id DESC LIMIT 1"},
    {"indicator", "SELECT 'indicators/' || min(code) FROM reports.indicators"},
    {"document_indicators",
     "SELECT 'directives/' || document_id || '/indicators' FROM reports.document_indicators"
     " ORDER BY document_id LIMIT 1"},
    {"activity", "SELECT 'activities/' || min(id) FROM reports.activities"},
    {"proposal", "SELECT 'proposals/' || min(id) FROM reports.proposals"},
    {"alert", "SELECT 'alerts/' || min(id) FROM reports.alerts"},
    {"webhook", "SELECT 'webhooks/' || min(id) FROM reports.webhooks"},
};

// Calls methods by name with requests written as text, through one channel.
class Caller {
 public:
  explicit Caller(std::shared_ptr<grpc::Channel> channel) : channel_(std::move(channel)) {}

  // The serialized request, or INVALID_ARGUMENT saying what does not parse.
  absl::StatusOr<std::string> Request(const MethodDescriptor& method, const std::string& text) {
    std::unique_ptr<Message> request(google::protobuf::MessageFactory::generated_factory()
                                         ->GetPrototype(method.input_type())
                                         ->New());
    if (!google::protobuf::TextFormat::ParseFromString(text, request.get())) {
      return absl::InvalidArgumentError(
          absl::StrCat(method.full_name(), ": cannot parse request: ", text));
    }
    return request->SerializeAsString();
  }

  // As Request, by the method's name ("Service/Method" in caunoi.v1).
  absl::StatusOr<std::string> Request(absl::string_view method, const std::string& text) {
    const MethodDescriptor* descriptor = DescriptorPool::generated_pool()->FindMethodByName(
        absl::StrReplaceAll(absl::StrCat("caunoi.v1.", method), {{"/", "."}}));
    if (descriptor == nullptr) {
      return absl::NotFoundError(absl::StrCat("no method caunoi.v1.", method));
    }
    return Request(*descriptor, text);
  }

  grpc::Status Call(const std::string& path, const std::string& request,
                    grpc::ByteBuffer* response) {
    grpc::ClientContext context;
    context.AddMetadata("authorization", absl::StrCat("Bearer ", kToken));
    grpc::Slice slice(request);
    grpc::ByteBuffer buffer(&slice, 1);
    const grpc::internal::RpcMethod method(path.c_str(), grpc::internal::RpcMethod::NORMAL_RPC);
    return grpc::internal::BlockingUnaryCall(channel_.get(), method, &context, buffer, response);
  }

 private:
  std::shared_ptr<grpc::Channel> channel_;
};

std::string Today(absl::Duration ahead) {
  const absl::CivilDay day = absl::ToCivilDay(absl::Now() + ahead, absl::UTCTimeZone());
  return absl::StrCat("year: ", day.year(), " month: ", day.month(), " day: ", day.day());
}

bool MeetsBoth(const ReadFigures& read) {
  return read.alone.p99 < absl::Milliseconds(50) && read.busy.p99 < absl::Milliseconds(150);
}

// One read against its targets, printed as soon as it is measured.
void PrintRead(const ReadFigures& read) {
  const double alone = absl::ToDoubleMilliseconds(read.alone.p99);
  const double busy = absl::ToDoubleMilliseconds(read.busy.p99);
  std::printf(
      "read %-52s 1 caller p50 %7.1f p99 %7.1f ms (< 50: %-7s)  16: p50 %7.1f p99 %7.1f ms"
      " (< 150: %s%s)\n",
      read.busy.name.c_str(), absl::ToDoubleMilliseconds(read.alone.p50), alone,
      alone < 50 ? "met" : "not met", absl::ToDoubleMilliseconds(read.busy.p50), busy,
      busy < 150 ? "met" : "not met", BenchShareNote(read.busy).c_str());
  std::fflush(stdout);
}

void Fail(const std::string& what, const absl::Status& status) {
  std::fprintf(stderr, "reads: %s: %s\n", what.c_str(), std::string(status.message()).c_str());
}

}  // namespace

ReadsResult MeasureReads(int concurrency, absl::Duration duration, const std::string& only,
                         absl::Duration hold) {
  ReadsResult result;
  std::set<std::string> measured;
  for (const Read& read : kReads) measured.insert(absl::StrCat("caunoi.v1.", read.method));
  for (const google::protobuf::FileDescriptor* file : ApiFiles()) {
    for (int s = 0; s < file->service_count(); ++s) {
      const google::protobuf::ServiceDescriptor& service = *file->service(s);
      for (int i = 0; i < service.method_count(); ++i) {
        const MethodDescriptor& method = *service.method(i);
        if (IsRead(method) &&
            !measured.contains(absl::StrCat(service.full_name(), "/", method.name()))) {
          result.unmeasured.push_back(method.full_name());
        }
      }
    }
  }

  auto postgres = testing::PostgresServer::Start({.durable = true});
  if (!postgres.ok()) return Fail("PostgreSQL", postgres.status()), result;
  const std::string dsn = (*postgres)->dsn();
  auto organizations = testing::ServerProcess::Start(
      CAUNOI_ORGANIZATIONS_SERVER, {"--db_pool_size=8"}, {{"CAUNOI_DATABASE_URL", dsn}});
  if (!organizations.ok()) return Fail("organizations_server", organizations.status()), result;
  // Alerts are produced once, by the demo.
  absl::StatusOr<BenchSuite> suite =
      StartBenchSuite(dsn, (*organizations)->address(), kNoAlertPass);
  if (!suite.ok()) return Fail("servers", suite.status()), result;
  if (absl::Status loaded = suite->LoadDemo((*organizations)->address()); !loaded.ok()) {
    return Fail("demo data", loaded), result;
  }
  for (absl::Status bulk :
       {LoadOrganizations(dsn, kLoadedOrganizations), LoadCascade(dsn), LoadReports(dsn)}) {
    if (!bulk.ok()) return Fail("national data", bulk), result;
  }
  if (absl::Status settled = SettleLoadedData(dsn); !settled.ok()) {
    return Fail("settling the loaded data", settled), result;
  }
  // Every rollout computed on the call, and limits that let every call
  // through: the reads are timed, not the limiter.
  auto gateway =
      suite->StartGateway({kTokenLine}, {"--rate_per_second=1000000", "--rate_burst=1000000",
                                         "--aggregates_in_flight=64", "--section_timeout=30s",
                                         "--rollout_cache_ttl=0s"});
  if (!gateway.ok()) return Fail("gateway_server", gateway.status()), result;
  Caller caller((*gateway)->NewChannel());

  std::map<std::string, std::string> records = {{"{today}", Today(absl::ZeroDuration())},
                                                {"{week_ahead}", Today(absl::Hours(7 * 24))}};
  auto connection = pg::Connection::Open(dsn, "bench-reads");
  if (!connection.ok()) return Fail("database", connection.status()), result;
  // Found before the writes (those that exist yet) and again after them.
  auto find_records = [&](bool all) -> absl::Status {
    for (const auto& [name, query] : kRecords) {
      absl::StatusOr<pg::Result> found = (*connection)->ExecuteScript(query);
      if (!found.ok()) return found.status();
      if (found->rows() == 1 && !found->IsNull(0, 0)) {
        records[absl::StrCat("{", name, "}")] = std::string(found->Text(0, 0));
      } else if (all) {
        return absl::NotFoundError(absl::StrCat("no record for {", name, "}: ", query));
      }
    }
    return absl::OkStatus();
  };
  if (absl::Status found = find_records(false); !found.ok()) return Fail("records", found), result;
  for (const auto& [method, text] : kWrites) {
    absl::StatusOr<std::string> request =
        caller.Request(method, absl::StrReplaceAll(text, records));
    if (!request.ok()) return Fail(method, request.status()), result;
    grpc::ByteBuffer ignored;
    if (grpc::Status written = caller.Call(absl::StrCat("/caunoi.v1.", method), *request, &ignored);
        !written.ok()) {
      return Fail(method, absl::InternalError(written.error_message())), result;
    }
  }
  if (absl::Status found = find_records(true); !found.ok()) return Fail("records", found), result;

  bool answered = true;
  const std::vector<std::string> wanted = absl::StrSplit(only, '|');
  for (const Read& read : kReads) {
    if (!only.empty() && std::none_of(wanted.begin(), wanted.end(), [&](absl::string_view part) {
          return absl::StrContains(read.label, part);
        })) {
      continue;
    }
    absl::StatusOr<std::string> request =
        caller.Request(read.method, absl::StrReplaceAll(read.request, records));
    if (!request.ok()) {
      Fail(read.label, request.status());
      answered = false;
      continue;
    }
    const std::string path = absl::StrCat("/caunoi.v1.", read.method);
    std::atomic<bool> explained{false};
    auto call = [&](int) {
      grpc::ByteBuffer response;
      return Explained(caller.Call(path, *request, &response), explained);
    };
    // One caller makes fewer calls: twice the time gives its p99 a few
    // hundred calls rather than the slowest of a few dozen.
    ReadFigures figures{RunLoad(absl::StrCat(read.label, " (1 caller)"), 1, 2 * duration, call),
                        RunLoad(read.label, concurrency, duration, call)};
    answered = answered && figures.alone.errors == 0 && figures.busy.errors == 0;
    PrintRead(figures);
    result.reads.push_back(std::move(figures));
  }
  if (!answered) std::fprintf(stderr, "the gateway's log ends:\n%s\n", (*gateway)->log().c_str());
  HoldForInspection(hold, dsn,
                    absl::StrCat("gateway ", (*gateway)->address(), " (token ", kToken, ")"));
  result.complete = answered;
  return result;
}

bool PrintReads(const ReadsResult& result) {
  int met = 0;
  for (const ReadFigures& read : result.reads) {
    if (MeetsBoth(read)) {
      ++met;
    } else {
      std::printf("read target missed: %s\n", read.busy.name.c_str());
    }
  }
  std::printf("reads: %d of %zu meet both targets\n", met, result.reads.size());
  for (const std::string& method : result.unmeasured) {
    std::printf("read not measured: %s\n", method.c_str());
  }
  if (!result.complete) std::fprintf(stderr, "reads: measurements incomplete\n");
  return result.complete && result.unmeasured.empty();
}

}  // namespace caunoi::bench
