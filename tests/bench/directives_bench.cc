#include "tests/bench/directives_bench.h"

#include <atomic>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "caunoi/v1/directives.grpc.pb.h"
#include "caunoi/v1/organizations.grpc.pb.h"
#include "common/api/dates.h"
#include "common/pg/connection.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "tests/bench/bench_suite.h"
#include "tests/bench/national_data.h"
#include "tests/support/issuers.h"
#include "tests/support/server_process.h"

namespace caunoi::bench {

std::vector<LoadResult> MeasureDirectives(const std::string& dsn,
                                          const std::string& organizations_address, int concurrency,
                                          absl::Duration duration, bool creates_only) {
  auto server = testing::ServerProcess::Start(
      CAUNOI_DIRECTIVES_SERVER, {"--db_pool_size=8"},
      {{"CAUNOI_DATABASE_URL", dsn}, {"CAUNOI_ORGANIZATIONS_ADDRESS", organizations_address}});
  if (!server.ok()) {
    std::fprintf(stderr, "directives_server: %s\n", std::string(server.status().message()).c_str());
    return {};
  }
  auto stub = v1::DirectiveService::NewStub((*server)->NewChannel());
  std::vector<LoadResult> results;
  auto organizations = v1::OrganizationService::NewStub(
      grpc::CreateChannel(organizations_address, grpc::InsecureChannelCredentials()));
  absl::StatusOr<std::string> issuer =
      testing::CreateIssuer(*organizations, "1-KH/TU", "localities/01");
  if (!issuer.ok()) {
    std::fprintf(stderr, "issuer: %s\n", std::string(issuer.status().message()).c_str());
    return {};
  }

  std::atomic<int64_t> sequence{1};
  results.push_back(RunLoad("CreateDocument", concurrency, duration, [&](int) {
    const int64_t n = sequence++;
    v1::CreateDocumentRequest request;
    request.set_request_id(absl::StrCat("bench-document-", n));
    v1::Document* document = request.mutable_document();
    document->set_symbol(absl::StrCat(n, "-KH/TU"));
    document->set_issuing_body("Ban Thường vụ Thành ủy Hà Nội");
    document->set_issuing_organization(*issuer);
    document->set_level(v1::DOCUMENT_LEVEL_PROVINCIAL);
    document->set_locality("localities/01");
    *document->mutable_issue_date() = api::ToDate(absl::CivilDay(2023, 1, 1));
    document->set_title("Kế hoạch thực hiện");
    grpc::ClientContext context;
    v1::Document created;
    return stub->CreateDocument(&context, request, &created).ok();
  }));

  if (creates_only) return results;
  if (absl::Status loaded = LoadCascade(dsn); !loaded.ok()) {
    std::fprintf(stderr, "loading the cascade: %s\n", std::string(loaded.message()).c_str());
    return results;
  }
  v1::GetCascadeRequest cascade;
  cascade.set_name("directives/1000000");
  // The first page (500 entries) of the 34 x 51 documents.
  results.push_back(RunLoad("GetCascade (34 x 50, first page)", concurrency, duration, [&](int) {
    grpc::ClientContext context;
    v1::GetCascadeResponse response;
    return stub->GetCascade(&context, cascade, &response).ok() && response.entries_size() == 500 &&
           !response.next_page_token().empty();
  }));
  v1::GetImplementationStatusRequest status;
  status.set_name("directives/1000000");
  results.push_back(RunLoad("GetImplementationStatus (1M)", concurrency, duration, [&](int) {
    grpc::ClientContext context;
    v1::GetImplementationStatusResponse response;
    return stub->GetImplementationStatus(&context, status, &response).ok() &&
           response.localities_size() == kProvincialDocuments;
  }));
  results.push_back(RunLoad("SummarizeOverdueTasks (1M)", concurrency, duration, [&](int) {
    grpc::ClientContext context;
    v1::SummarizeOverdueTasksResponse response;
    return stub->SummarizeOverdueTasks(&context, v1::SummarizeOverdueTasksRequest(), &response)
        .ok();
  }));
  return results;
}

}  // namespace caunoi::bench
