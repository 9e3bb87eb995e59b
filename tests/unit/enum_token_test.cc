#include "common/api/enum_token.h"

#include "caunoi/v1/organizations.pb.h"
#include "gtest/gtest.h"

namespace caunoi::api {
namespace {

TEST(EnumTokenTest, DropsTheEnumPrefix) {
  EXPECT_EQ(EnumToken(v1::ORGANIZATION_KIND_FRIENDSHIP_UNION), "FRIENDSHIP_UNION");
  EXPECT_EQ(EnumToken(v1::COUNTRY_TIER_COMPREHENSIVE_STRATEGIC_PARTNER),
            "COMPREHENSIVE_STRATEGIC_PARTNER");
}

TEST(EnumTokenTest, ParsesTokensAndFullNamesButNotTheZeroValue) {
  EXPECT_EQ(ParseEnumToken<v1::OrganizationLevel>("CENTRAL"), v1::ORGANIZATION_LEVEL_CENTRAL);
  EXPECT_EQ(ParseEnumToken<v1::OrganizationLevel>("ORGANIZATION_LEVEL_COMMUNE"),
            v1::ORGANIZATION_LEVEL_COMMUNE);
  EXPECT_FALSE(ParseEnumToken<v1::OrganizationLevel>("UNSPECIFIED").has_value());
  EXPECT_FALSE(ParseEnumToken<v1::OrganizationLevel>("central").has_value());
  EXPECT_FALSE(ParseEnumToken<v1::OrganizationLevel>("").has_value());
}

}  // namespace
}  // namespace caunoi::api
