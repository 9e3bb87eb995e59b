#include "common/api/resource_name.h"

#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace caunoi::api {
namespace {

using ::caunoi::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(ResourceNameTest, ParsesIdsInPatternOrder) {
  EXPECT_THAT(*ParseResourceName("organizations/12/terms/3", "organizations/{}/terms/{}", "name"),
              ElementsAre("12", "3"));
  EXPECT_THAT(*ParseResourceName("countries/JP", "countries/{code}", "country"), ElementsAre("JP"));
}

TEST(ResourceNameTest, RefusesAnythingElseNamingTheField) {
  const char* bad[] = {
      "organizations/",      "organizations/0",   "organizations/01",
      "organizations/-1",    "organizations/1/",  "organisations/1",
      "organizations/1/x/2", "organizations/abc", "organizations/1234567890123456789"};
  for (const char* name : bad) {
    EXPECT_THAT(ParseResourceName(name, "organizations/{}", "organization.parent").status(),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("organizations/1")))
        << name;
  }
  EXPECT_THAT(ParseResourceName("countries/jp", "countries/{code}", "country").status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseResourceName("", "people/{}", "person").status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("required")));
}

TEST(ResourceNameTest, FormatsAndTakesTheOwnId) {
  EXPECT_EQ(FormatResourceName("organizations/{}/memberCounts/{}", {"2", "9"}),
            "organizations/2/memberCounts/9");
  EXPECT_EQ(ResourceId("organizations/2/memberCounts/9"), "9");
  EXPECT_EQ(NumericResourceId("directives/5/tasks/42"), 42);
  EXPECT_EQ(NumericResourceId("countries/JP"), 0);
}

}  // namespace
}  // namespace caunoi::api
