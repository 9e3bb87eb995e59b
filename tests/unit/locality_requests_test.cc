#include "services/organizations/locality_requests.h"

#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace caunoi::organizations {
namespace {

using ::caunoi::testing::StatusIs;
using ::testing::HasSubstr;

std::string ViolatedField(const absl::Status& status) {
  auto bad_request = GetBadRequest(status);
  return bad_request && bad_request->field_violations_size() == 1
             ? bad_request->field_violations(0).field()
             : "";
}

TEST(LocalityNameTest, ParsesBothEras) {
  EXPECT_EQ(*ParseLocalityName("localities/79", "name"), "79");
  EXPECT_EQ(*ParseLocalityName("localities/pre2025-74", "name"), "pre2025-74");
  EXPECT_EQ(LocalityName("pre2025-74"), "localities/pre2025-74");
}

TEST(LocalityNameTest, RejectsEmptyAndMalformed) {
  for (const char* name :
       {"", "79", "localities/", "localities/7", "localities/790", "localities/ab",
        "organizations/79", "localities/pre2024-74", "localities/79/x"}) {
    const absl::Status status = ParseLocalityName(name, "name").status();
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument)) << name;
    EXPECT_EQ(ViolatedField(status), "name") << name;
  }
}

TEST(LocalityCodeTest, TwoDigitsOnly) {
  EXPECT_TRUE(ValidateLocalityCode("80", "code").ok());
  for (const char* code : {"", "8", "800", "8a", " 80"}) {
    EXPECT_EQ(ViolatedField(ValidateLocalityCode(code, "code")), "code") << code;
  }
}

TEST(ListLocalitiesRequestTest, DefaultsToCurrentUnitsFirstPage) {
  absl::StatusOr<LocalityQuery> query = ParseListLocalitiesRequest({});
  ASSERT_TRUE(query.ok()) << query.status();
  EXPECT_EQ(query->page_size, kDefaultLocalityPageSize);
  EXPECT_FALSE(query->include_superseded);
  EXPECT_FALSE(query->after.has_value());
}

TEST(ListLocalitiesRequestTest, ReadsFilterTerms) {
  v1::ListLocalitiesRequest request;
  request.set_filter(
      R"(kind = CITY AND display_name : "ha noi" AND successor = "localities/80" AND code = "80")");
  absl::StatusOr<LocalityQuery> query = ParseListLocalitiesRequest(request);
  ASSERT_TRUE(query.ok()) << query.status();
  EXPECT_EQ(query->kind, "city");
  EXPECT_EQ(query->name_contains, "ha noi");
  EXPECT_EQ(query->successor_id, "80");
  EXPECT_EQ(query->code, "80");
}

TEST(ListLocalitiesRequestTest, NamesTheBadField) {
  struct Case {
    const char* field;
    v1::ListLocalitiesRequest request;
  };
  std::vector<Case> cases(6);
  cases[0] = {"page_size", {}};
  cases[0].request.set_page_size(-1);
  cases[1] = {"filter", {}};
  cases[1].request.set_filter("kind = TOWN");
  cases[2] = {"filter", {}};
  cases[2].request.set_filter("code = \"8\"");
  cases[3] = {"order_by", {}};
  cases[3].request.set_order_by("display_name desc");
  cases[4] = {"page_token", {}};
  cases[4].request.set_page_token("forged");
  cases[5] = {"filter", {}};
  cases[5].request.set_filter("display_name : \"  \"");
  for (const Case& c : cases) {
    const absl::Status status = ParseListLocalitiesRequest(c.request).status();
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument)) << c.request.DebugString();
    EXPECT_EQ(ViolatedField(status), c.field) << c.request.DebugString();
  }
}

TEST(ListLocalitiesRequestTest, PageTokenIsBoundToItsQuery) {
  v1::ListLocalitiesRequest first;
  first.set_filter("kind = PROVINCE");
  v1::ListLocalitiesRequest next = first;
  v1::Locality last;
  last.set_name("localities/40");
  last.set_code("40");
  next.set_page_token(NextLocalitiesPageToken(first, last));
  absl::StatusOr<LocalityQuery> query = ParseListLocalitiesRequest(next);
  ASSERT_TRUE(query.ok()) << query.status();
  EXPECT_EQ(query->after, std::make_pair(std::string("40"), std::string("40")));

  next.set_include_superseded(true);
  EXPECT_EQ(ViolatedField(ParseListLocalitiesRequest(next).status()), "page_token");
}

TEST(ResolveDateTest, DateIsRequiredAndReal) {
  v1::ResolveLocalityCodeRequest request;
  request.set_code("80");
  EXPECT_THAT(ParseResolveDate(request),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("as_of")));
  request.mutable_as_of()->set_year(2022);
  request.mutable_as_of()->set_month(2);
  request.mutable_as_of()->set_day(31);
  EXPECT_EQ(ViolatedField(ParseResolveDate(request).status()), "as_of.day");
  request.mutable_as_of()->set_day(28);
  EXPECT_EQ(*ParseResolveDate(request), absl::CivilDay(2022, 2, 28));
}

}  // namespace
}  // namespace caunoi::organizations
