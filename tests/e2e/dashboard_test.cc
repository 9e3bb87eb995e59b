// The gateway's web dashboard over the demo data: a real chromium signs in,
// reads the 12-CT/TW rollout, reaches a locality by keyboard and the overdue
// list (tests/web/dashboard.test.mjs); the page's API answers as the
// gateway's gRPC does, with its refusals and rate limits, and no more.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "tests/e2e/gateway_fixture.h"
#include "tests/support/http_client.h"

namespace caunoi {
namespace {

using ::caunoi::testing::HttpRequest;
using ::caunoi::testing::HttpResponse;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kRollout[] = "/api/caunoi.v1.GatewayService/GetDirectiveRollout";

std::string Bearer(const std::string& token) {
  return absl::StrCat("Authorization: Bearer ", token, "\r\n");
}

class DashboardTest : public GatewayTest {
 protected:
  // A gateway with the dashboard on a free port; `flags` adds to its own.
  void StartDashboard(std::vector<std::string> flags = {}) {
    web_port_ = caunoi::testing::PickFreePort();
    flags.push_back(absl::StrCat("--web_listen=127.0.0.1:", web_port_));
    web_gateway_ = StartGateway(flags);
    ASSERT_NE(web_gateway_, nullptr);
  }

  HttpResponse Post(const std::string& path, const std::string& token, const std::string& body) {
    return HttpRequest(web_port_, "POST", path, token.empty() ? "" : Bearer(token), body);
  }

  int web_port_ = 0;
  std::unique_ptr<caunoi::testing::ServerProcess> web_gateway_;
};

TEST_F(DashboardTest, AChromiumSeesTheRolloutAsTheCentreWould) {
  StartDashboard();
  const std::string artifacts = std::string(CAUNOI_ARTIFACTS_DIR) + "/dashboard";
  const std::string log = caunoi::testing::MakeTempDirectory("caunoi-web") + "/browser.log";
  absl::StatusOr<int> exit_code = caunoi::testing::RunCommand(
      {"node", std::string(CAUNOI_SOURCE_DIR) + "/tests/web/dashboard.test.mjs",
       absl::StrCat("--url=http://127.0.0.1:", web_port_, "/"), "--token=demo-reader",
       "--artifacts=" + artifacts},
      log);
  std::ifstream in(log);
  std::stringstream output;
  output << in.rdbuf();
  ASSERT_THAT(exit_code.status(), caunoi::testing::IsOk());
  EXPECT_EQ(*exit_code, 0) << output.str();
  int passed = 0, checks = 0;
  const size_t summary = output.str().rfind("dashboard: ");
  ASSERT_NE(summary, std::string::npos) << output.str();
  ASSERT_EQ(std::sscanf(output.str().c_str() + summary, "dashboard: %d of %d checks passed",
                        &passed, &checks),
            2);
  EXPECT_GE(checks, 26);
  EXPECT_EQ(passed, checks);
  EXPECT_THAT(output.str(), HasSubstr("Hanoi's 05-TT/TU at 138 days"));
  EXPECT_TRUE(std::ifstream(artifacts + "/rollout.png").good()) << "no screenshot in " << artifacts;

  // The page's calls went through the gateway under the principal, and no
  // token, good or bad, reached its log.
  const std::string gateway_log = web_gateway_->log();
  EXPECT_THAT(gateway_log, HasSubstr("\"event\":\"web.request\""));
  EXPECT_THAT(gateway_log, HasSubstr("GetDirectiveRollout"));
  EXPECT_THAT(gateway_log, HasSubstr("doc-gia"));
  EXPECT_THAT(gateway_log, Not(HasSubstr("demo-reader")));
  EXPECT_THAT(gateway_log, Not(HasSubstr("not-a-real-token")));
}

TEST_F(DashboardTest, TheApiAnswersAsTheGatewaysGrpcDoes) {
  StartDashboard({"--rollout_cache_ttl=0s"});
  const std::string document = FindDocument("12-CT/TW");
  const std::string request = absl::StrCat("{\"document\":\"", document, "\"}");
  HttpResponse page = Post(kRollout, kReader, request);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(page.headers["cache-control"], "no-store");
  v1::DirectiveRollout from_page;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(page.body, &from_page).ok()) << page.body;

  v1::GetDirectiveRolloutRequest grpc_request;
  grpc_request.set_document(document);
  v1::DirectiveRollout from_grpc;
  ASSERT_THAT(Call<v1::GatewayService>(web_gateway_->NewChannel(), kReader,
                                       &v1::GatewayService::Stub::GetDirectiveRollout, grpc_request,
                                       &from_grpc),
              caunoi::testing::IsOk());
  EXPECT_EQ(from_page.localities_size(), 34);
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(from_page, from_grpc))
      << from_page.ShortDebugString().substr(0, 400);

  // The same refusals, as HTTP statuses with the gRPC code and reason.
  HttpResponse anonymous = Post(kRollout, "", request);
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(anonymous.headers["www-authenticate"], "Bearer");
  EXPECT_THAT(anonymous.body, HasSubstr("\"code\":\"UNAUTHENTICATED\""));
  HttpResponse unknown = Post(kRollout, "not-a-token", request);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_THAT(unknown.body, HasSubstr("\"reason\":\"TOKEN_UNKNOWN\""));
  HttpResponse missing = Post(kRollout, kReader, "{\"document\":\"directives/999999\"}");
  EXPECT_EQ(missing.status, 404) << missing.body;
  HttpResponse wrong_field = Post(kRollout, kReader, "{\"documnet\":\"directives/1\"}");
  EXPECT_EQ(wrong_field.status, 400);
  EXPECT_THAT(wrong_field.body, HasSubstr("\"code\":\"INVALID_ARGUMENT\""));
  EXPECT_THAT(wrong_field.body, HasSubstr("documnet"));
  HttpResponse not_json = Post(kRollout, kReader, "{\"document\":");
  EXPECT_EQ(not_json.status, 400);
  EXPECT_EQ(Post(kRollout, kReader, std::string(70 * 1024, ' ')).status, 413);
  EXPECT_EQ(HttpRequest(web_port_, "GET", kRollout, Bearer(kReader)).status, 405);
}

TEST_F(DashboardTest, OnlyTheStatusReadsAreOpenAndNothingIsWritten) {
  StartDashboard();
  // A central token may write over gRPC; through the page it may not.
  HttpResponse write = Post("/api/caunoi.v1.OrganizationService/CreateOrganization", kCentral,
                            "{\"organization\":{\"display_name\":\"Hội thử\"}}");
  EXPECT_EQ(write.status, 404);
  EXPECT_THAT(write.body, HasSubstr("no dashboard call"));
  v1::ListOrganizationsRequest list;
  list.set_filter("display_name : \"Hội thử\"");
  v1::ListOrganizationsResponse found;
  ASSERT_THAT(Call<v1::OrganizationService>(web_gateway_->NewChannel(), kReader,
                                            &v1::OrganizationService::Stub::ListOrganizations, list,
                                            &found),
              caunoi::testing::IsOk());
  EXPECT_EQ(found.organizations_size(), 0);
  EXPECT_EQ(Post("/api/caunoi.v1.ReportService/AcceptReport", kCentral, "{}").status, 404);
  // A path climbing out of /api/ is a page, which takes no POST.
  EXPECT_EQ(Post("/api/../etc/passwd", kReader, "").status, 405);
  EXPECT_EQ(Post("/api/caunoi.v1.GatewayService/ListOverdue", kReader, "{\"page_size\":5}").status,
            200);
}

TEST_F(DashboardTest, ThePageIsServedFromTheBinaryWithItsSecurityHeaders) {
  StartDashboard();
  HttpResponse page = HttpRequest(web_port_, "GET", "/");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.headers["content-type"], "text/html; charset=utf-8");
  EXPECT_THAT(page.headers["content-security-policy"], HasSubstr("script-src 'self'"));
  EXPECT_THAT(page.headers["content-security-policy"], HasSubstr("default-src 'none'"));
  EXPECT_THAT(page.headers["content-security-policy"], Not(HasSubstr("unsafe")));
  EXPECT_EQ(page.headers["x-content-type-options"], "nosniff");
  EXPECT_EQ(page.headers["x-frame-options"], "DENY");
  EXPECT_EQ(page.headers["referrer-policy"], "no-referrer");
  EXPECT_THAT(page.body, HasSubstr("<html lang=\"vi\">"));
  EXPECT_THAT(page.body, HasSubstr("src=\"/js/main.js\""));
  // No inline script and nothing fetched from elsewhere.
  EXPECT_THAT(page.body, Not(HasSubstr("<script>")));
  EXPECT_THAT(page.body, Not(HasSubstr("http")));

  HttpResponse script = HttpRequest(web_port_, "GET", "/js/main.js");
  EXPECT_EQ(script.status, 200);
  EXPECT_EQ(script.headers["content-type"], "text/javascript; charset=utf-8");
  const std::string tag = script.headers["etag"];
  ASSERT_FALSE(tag.empty());
  EXPECT_EQ(HttpRequest(web_port_, "GET", "/js/main.js", "If-None-Match: " + tag + "\r\n").status,
            304);
  EXPECT_EQ(HttpRequest(web_port_, "GET", "/js/missing.js").status, 404);
  EXPECT_EQ(HttpRequest(web_port_, "DELETE", "/").status, 405);
}

TEST_F(DashboardTest, ThePageIsHeldToTheCallersRateLimit) {
  // Room for one aggregate call, refilled slowly.
  StartDashboard({"--rate_per_second=1", "--rate_burst=100", "--aggregate_call_cost=100",
                  "--rollout_cache_ttl=0s"});
  const std::string request = absl::StrCat("{\"document\":\"", FindDocument("12-CT/TW"), "\"}");
  EXPECT_EQ(Post(kRollout, kHanoi, request).status, 200);
  HttpResponse limited = Post(kRollout, kHanoi, request);
  EXPECT_EQ(limited.status, 429) << limited.body;
  EXPECT_THAT(limited.body, HasSubstr("\"code\":\"RESOURCE_EXHAUSTED\""));
  int retry_after = 0;
  EXPECT_TRUE(absl::SimpleAtoi(limited.headers["retry-after"], &retry_after));
  EXPECT_GE(retry_after, 1);
  // Another principal's budget is its own.
  EXPECT_EQ(Post(kRollout, kHoChiMinhCity, request).status, 200);
}

}  // namespace
}  // namespace caunoi
