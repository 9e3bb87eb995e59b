// The registry's pure checks, before any database is asked.
#include "common/api/dates.h"
#include "common/status/errors.h"
#include "common/testing/error_details.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/organizations/resources/resources.h"

namespace caunoi::organizations {
namespace {

using ::caunoi::testing::FieldOf;

v1::Organization Association() {
  v1::Organization organization;
  organization.set_display_name("Hội hữu nghị Việt Nam - Lào thành phố Hà Nội");
  organization.set_kind(v1::ORGANIZATION_KIND_FRIENDSHIP_ASSOCIATION);
  organization.set_level(v1::ORGANIZATION_LEVEL_PROVINCIAL);
  organization.set_locality("localities/01");
  organization.set_parent("organizations/2");
  organization.set_country("countries/LA");
  return organization;
}

TEST(RegistryValidationTest, AcceptsAWellFormedAssociation) {
  EXPECT_TRUE(kOrganizationSpec.validate(Association()).ok());
  v1::Organization central = Association();
  central.set_level(v1::ORGANIZATION_LEVEL_CENTRAL);
  central.clear_locality();
  EXPECT_TRUE(kOrganizationSpec.validate(central).ok());
}

TEST(RegistryValidationTest, NamesTheOffendingOrganizationField) {
  v1::Organization o = Association();
  o.set_locality("localities/1");
  EXPECT_EQ(FieldOf(kOrganizationSpec.validate(o)), "organization.locality");
  o = Association();
  o.set_parent("organizations/two");
  EXPECT_EQ(FieldOf(kOrganizationSpec.validate(o)), "organization.parent");
  o = Association();
  o.set_country("countries/Lao");
  EXPECT_EQ(FieldOf(kOrganizationSpec.validate(o)), "organization.country");
  o = Association();
  o.set_merged_into("organizations/3");
  EXPECT_EQ(FieldOf(kOrganizationSpec.validate(o)), "organization.merged_into");
  o.set_status(v1::ORGANIZATION_STATUS_MERGED);
  *o.mutable_status_date() = api::ToDate(absl::CivilDay(2025, 7, 1));
  EXPECT_TRUE(kOrganizationSpec.validate(o).ok());
  *o.mutable_founded() = api::ToDate(absl::CivilDay(2026, 1, 1));
  EXPECT_EQ(FieldOf(kOrganizationSpec.validate(o)), "organization.status_date");
  o = Association();
  o.set_abbreviation(std::string(33, 'A'));
  EXPECT_EQ(FieldOf(kOrganizationSpec.validate(o)), "organization.abbreviation");
}

TEST(RegistryValidationTest, TermsMemberCountsAndPositions) {
  v1::Term term;
  term.set_congress_ordinal(6);
  term.set_start_year(2022);
  term.set_end_year(2027);
  EXPECT_TRUE(kTermSpec.validate(term).ok());
  term.set_end_year(2017);
  EXPECT_EQ(FieldOf(kTermSpec.validate(term)), "term.end_year");
  term.set_end_year(2027);
  term.set_congress_ordinal(0);
  EXPECT_EQ(FieldOf(kTermSpec.validate(term)), "term.congress_ordinal");

  v1::MemberCount count;
  count.set_count(40000);
  EXPECT_EQ(FieldOf(kMemberCountSpec.validate(count)), "member_count.as_of");
  *count.mutable_as_of() = api::ToDate(absl::CivilDay(2023, 8, 17));
  EXPECT_TRUE(kMemberCountSpec.validate(count).ok());
  count.set_count(-5);
  EXPECT_EQ(FieldOf(kMemberCountSpec.validate(count)), "member_count.count");

  v1::Position position;
  position.set_term("organizations/2/terms/1");
  position.set_person("people/1");
  EXPECT_EQ(FieldOf(kPositionSpec.validate(position)), "position.role");
  position.set_role(v1::POSITION_ROLE_CHAIR);
  EXPECT_TRUE(kPositionSpec.validate(position).ok());
  position.set_term("organizations/2");
  EXPECT_EQ(FieldOf(kPositionSpec.validate(position)), "position.term");
}

TEST(RegistryValidationTest, PartnersNeedACountryUnlessInternational) {
  v1::Partner partner;
  partner.set_display_name("UNICEF Việt Nam");
  partner.set_kind(v1::PARTNER_KIND_EMBASSY);
  EXPECT_EQ(FieldOf(kPartnerSpec.validate(partner)), "partner.country");
  partner.set_kind(v1::PARTNER_KIND_INTERNATIONAL_ORGANIZATION);
  EXPECT_TRUE(kPartnerSpec.validate(partner).ok());
}

}  // namespace
}  // namespace caunoi::organizations
