// The demo data `make run` loads, through the same loader and APIs: the
// facts from the source articles must read back as the articles state them.
#include "common/api/dates.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/organizations_server_test.h"
#include "tests/support/subprocess.h"

namespace caunoi {
namespace {

using ::caunoi::testing::IsOk;
using ::testing::Contains;
using Stub = v1::OrganizationService::Stub;

class DemoTest : public caunoi::testing::OrganizationsServerTest {
 protected:
  void SetUp() override {
    OrganizationsServerTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_NO_FATAL_FAILURE(Load());
  }

  void Load() {
    absl::StatusOr<int> exit_code =
        caunoi::testing::RunCommand({CAUNOI_DEMO_LOADER, "--organizations=" + server_->address()});
    ASSERT_THAT(exit_code.status(), IsOk());
    ASSERT_EQ(*exit_code, 0);
  }

  v1::Organization FindHaufo() {
    v1::ListOrganizationsRequest request;
    request.set_filter("display_name : \"huu nghi ha noi\" AND kind = FRIENDSHIP_UNION");
    v1::ListOrganizationsResponse response;
    EXPECT_THAT(Call(&Stub::ListOrganizations, request, &response), IsOk());
    EXPECT_EQ(response.organizations_size(), 1);
    return response.organizations_size() > 0 ? response.organizations(0) : v1::Organization();
  }

  int CountOrganizations() {
    v1::ListOrganizationsRequest request;
    request.set_page_size(500);
    v1::ListOrganizationsResponse response;
    EXPECT_THAT(Call(&Stub::ListOrganizations, request, &response), IsOk());
    return response.organizations_size();
  }
};

TEST_F(DemoTest, SearchWithoutDiacriticsFindsHaufo) {
  v1::ListOrganizationsRequest request;
  request.set_filter("display_name : \"huu nghi ha noi\"");
  request.set_page_size(100);
  v1::ListOrganizationsResponse response;
  ASSERT_THAT(Call(&Stub::ListOrganizations, request, &response), IsOk());
  std::vector<std::string> abbreviations;
  for (const auto& organization : response.organizations()) {
    abbreviations.push_back(organization.abbreviation());
  }
  EXPECT_THAT(abbreviations, Contains("HAUFO"));
  EXPECT_EQ(FindHaufo().display_name(), "Liên hiệp các tổ chức hữu nghị thành phố Hà Nội");
}

TEST_F(DemoTest, HaufoSubtreeHoldsItsTwentyFiveAssociations) {
  v1::GetOrganizationTreeRequest request;
  request.set_name(FindHaufo().name());
  v1::GetOrganizationTreeResponse tree;
  ASSERT_THAT(Call(&Stub::GetOrganizationTree, request, &tree), IsOk());
  int associations = 0;
  for (const auto& node : tree.nodes()) {
    if (node.depth() == 1 &&
        node.organization().kind() == v1::ORGANIZATION_KIND_FRIENDSHIP_ASSOCIATION &&
        !node.organization().country().empty()) {
      ++associations;
    }
  }
  EXPECT_EQ(associations, 25);
  EXPECT_EQ(tree.nodes_size(), 26);
}

TEST_F(DemoTest, HaufoMemberCountAtTheEndOf2023IsTheDatedFigure) {
  v1::GetOrganizationRequest request;
  request.set_name(FindHaufo().name());
  *request.mutable_member_count_as_of() = api::ToDate(absl::CivilDay(2023, 12, 31));
  v1::Organization haufo;
  ASSERT_THAT(Call(&Stub::GetOrganization, request, &haufo), IsOk());
  EXPECT_EQ(haufo.member_count().count(), 40000);
  EXPECT_TRUE(haufo.member_count().at_least());
  EXPECT_EQ(haufo.member_count().as_of().year(), 2023);
  EXPECT_EQ(haufo.member_count().as_of().month(), 8);
  EXPECT_EQ(haufo.member_count().as_of().day(), 17);
}

TEST_F(DemoTest, OnePersonChairsTwoOrganizations) {
  v1::ListPeopleRequest people;
  people.set_filter("full_name : \"Nguyen Lan Huong\"");
  v1::ListPeopleResponse found;
  ASSERT_THAT(Call(&Stub::ListPeople, people, &found), IsOk());
  ASSERT_EQ(found.people_size(), 1);
  v1::ListPositionsRequest positions;
  positions.set_filter("person = \"" + found.people(0).name() + "\" AND role = CHAIR");
  v1::ListPositionsResponse posts;
  ASSERT_THAT(Call(&Stub::ListPositions, positions, &posts), IsOk());
  EXPECT_EQ(posts.positions_size(), 2);
}

TEST_F(DemoTest, LoadingAgainChangesNothing) {
  const int before = CountOrganizations();
  EXPECT_GE(before, 30);
  ASSERT_NO_FATAL_FAILURE(Load());
  EXPECT_EQ(CountOrganizations(), before);
}

}  // namespace
}  // namespace caunoi
