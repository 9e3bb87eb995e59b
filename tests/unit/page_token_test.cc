#include "common/api/page_token.h"

#include "absl/strings/escaping.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace caunoi::api {
namespace {

using ::caunoi::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(PageTokenTest, RoundTripsTheKey) {
  const std::string token = EncodePageToken("q", {"80", "pre2025-80", "Hà Nội|:5"});
  absl::StatusOr<std::vector<std::string>> key = DecodePageToken(token, "q");
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_THAT(*key, ElementsAre("80", "pre2025-80", "Hà Nội|:5"));
}

TEST(PageTokenTest, RejectsAnotherQuery) {
  const std::string token = EncodePageToken("filter=a", {"01"});
  EXPECT_THAT(DecodePageToken(token, "filter=b"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_token")));
}

TEST(PageTokenTest, RejectsGarbage) {
  for (const char* forged : {"abc", "!!!", "AAAAAAAAAAAAAAAAAAAAAAAAAAAA", "cDE6"}) {
    EXPECT_THAT(DecodePageToken(forged, "q"),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_token")))
        << forged;
  }
}

TEST(PageTokenTest, RejectsAlteredBytes) {
  std::string body;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(EncodePageToken("q", {"80", "80"}), &body));
  body[8] ^= 1;
  EXPECT_THAT(DecodePageToken(absl::WebSafeBase64Escape(body), "q"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(PageSizeTest, DefaultsClampsAndRejectsNegative) {
  EXPECT_EQ(*ResolvePageSize(0, 50, 200), 50);
  EXPECT_EQ(*ResolvePageSize(7, 50, 200), 7);
  EXPECT_EQ(*ResolvePageSize(5000, 50, 200), 200);
  EXPECT_THAT(ResolvePageSize(-1, 50, 200),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_size")));
}

}  // namespace
}  // namespace caunoi::api
