// The dashboard's pieces that need no server: its files as compiled in, and
// what its API bridge opens and how it answers in HTTP.
#include <regex>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/gateway/web/api_bridge.h"
#include "services/gateway/web/assets.h"

namespace caunoi::gateway::web {
namespace {

TEST(DashboardAssetsTest, ThePageAndEveryFileItNamesAreCompiledIn) {
  const Asset* index = FindAsset("/");
  ASSERT_NE(index, nullptr);
  EXPECT_EQ(index->path, "/index.html");
  EXPECT_EQ(ContentTypeOf(index->path), "text/html; charset=utf-8");
  // Every src= and href= of the page that is a path is served.
  const std::string html(index->body);
  const std::regex reference(R"re((?:src|href)="(/[^"#]+)")re");
  int references = 0;
  for (auto match = std::sregex_iterator(html.begin(), html.end(), reference);
       match != std::sregex_iterator(); ++match, ++references) {
    EXPECT_NE(FindAsset((*match)[1].str()), nullptr) << (*match)[1];
  }
  EXPECT_GE(references, 10);
  for (const Asset& asset : Assets()) {
    EXPECT_NE(ContentTypeOf(asset.path), "application/octet-stream") << asset.path;
    EXPECT_FALSE(asset.body.empty()) << asset.path;
  }
  EXPECT_EQ(FindAsset("/js/missing.js"), nullptr);
  EXPECT_EQ(FindAsset("/js"), nullptr);
}

TEST(DashboardAssetsTest, NoScriptOrStyleIsInlineAndNothingComesFromElsewhere) {
  for (const Asset& asset : Assets()) {
    const std::string body(asset.body);
    EXPECT_THAT(body, ::testing::Not(::testing::HasSubstr("https://"))) << asset.path;
    EXPECT_THAT(body, ::testing::Not(::testing::HasSubstr("innerHTML"))) << asset.path;
    if (asset.path.ends_with(".html")) {
      EXPECT_THAT(body, ::testing::Not(::testing::HasSubstr("<script>"))) << asset.path;
      EXPECT_THAT(body, ::testing::Not(::testing::HasSubstr("<style"))) << asset.path;
      EXPECT_THAT(body, ::testing::Not(::testing::HasSubstr(" style="))) << asset.path;
      EXPECT_THAT(body, ::testing::Not(::testing::ContainsRegex(" on[a-z]+="))) << asset.path;
    }
  }
}

TEST(ApiBridgeTest, OnlyTheStatusReadsAreOpen) {
  EXPECT_TRUE(ApiBridge::IsOpen("caunoi.v1.GatewayService/GetDirectiveRollout"));
  EXPECT_TRUE(ApiBridge::IsOpen("caunoi.v1.GatewayService/ListOverdue"));
  EXPECT_TRUE(ApiBridge::IsOpen("caunoi.v1.DirectiveService/ListDocuments"));
  EXPECT_FALSE(ApiBridge::IsOpen("caunoi.v1.DirectiveService/CreateDocument"));
  EXPECT_FALSE(ApiBridge::IsOpen("caunoi.v1.ReportService/AcceptReport"));
  EXPECT_FALSE(ApiBridge::IsOpen("caunoi.v1.GatewayService/GetDirectiveRollout/"));
  EXPECT_FALSE(ApiBridge::IsOpen(""));
}

TEST(ApiBridgeTest, GrpcCodesBecomeTheirHttpStatuses) {
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kOk), 200);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kInvalidArgument), 400);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kUnauthenticated), 401);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kPermissionDenied), 403);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kNotFound), 404);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kResourceExhausted), 429);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kUnavailable), 503);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kDeadlineExceeded), 504);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kInternal), 500);
}

}  // namespace
}  // namespace caunoi::gateway::web
