// The commune registry through the real organizations_server binary and a
// real PostgreSQL: the shipped list, its lineage, filters and refusals.
#include <set>
#include <string>
#include <vector>

#include "caunoi/v1/organizations.grpc.pb.h"
#include "common/api/dates.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/organizations_server_test.h"

namespace caunoi {
namespace {

using ::caunoi::testing::IsOk;
using ::caunoi::testing::StatusIs;
using ::testing::Contains;
using ::testing::Each;
using ::testing::HasSubstr;
using ::testing::Property;
using Stub = v1::OrganizationService::Stub;

class CommunesTest : public caunoi::testing::OrganizationsServerTest {
 protected:
  std::vector<v1::Commune> ListAll(v1::ListCommunesRequest request) {
    std::vector<v1::Commune> all;
    request.set_page_size(500);
    for (int page = 0; page < 20; ++page) {
      v1::ListCommunesResponse response;
      EXPECT_THAT(Call(&Stub::ListCommunes, request, &response), IsOk());
      all.insert(all.end(), response.communes().begin(), response.communes().end());
      if (response.next_page_token().empty()) break;
      request.set_page_token(response.next_page_token());
    }
    return all;
  }

  std::vector<v1::Commune> ListOf(const std::string& parent, const std::string& filter = "") {
    v1::ListCommunesRequest request;
    request.set_parent(parent);
    request.set_filter(filter);
    return ListAll(request);
  }
};

TEST_F(CommunesTest, TheShippedListHoldsEveryCommuneOfTheThirtyFourProvinces) {
  const std::vector<v1::Commune> all = ListOf("localities/-");
  EXPECT_EQ(all.size(), 3321u);
  std::set<std::string> provinces;
  for (const v1::Commune& commune : all) provinces.insert(commune.province());
  EXPECT_EQ(provinces.size(), 34u);

  const std::vector<v1::Commune> hanoi = ListOf("localities/01");
  EXPECT_EQ(hanoi.size(), 126u);
  EXPECT_THAT(hanoi, Each(Property(&v1::Commune::province, "localities/01")));
  EXPECT_EQ(ListOf("localities/31", "kind = SPECIAL_ZONE").size(), 2u);  // Cát Hải, Bạch Long Vĩ
}

TEST_F(CommunesTest, ACommuneNamesItsProvinceAndTheCommunesItAbsorbed) {
  v1::GetCommuneRequest request;
  request.set_name("localities/01/communes/00004");
  v1::Commune ba_dinh;
  ASSERT_THAT(Call(&Stub::GetCommune, request, &ba_dinh), IsOk());
  EXPECT_EQ(ba_dinh.display_name(), "Phường Ba Đình");
  EXPECT_EQ(ba_dinh.kind(), v1::COMMUNE_KIND_WARD);
  EXPECT_EQ(ba_dinh.province(), "localities/01");
  EXPECT_EQ(ba_dinh.valid_from().year(), 2025);
  EXPECT_FALSE(ba_dinh.has_valid_until());
  ASSERT_GE(ba_dinh.predecessors_size(), 2);
  EXPECT_EQ(ba_dinh.predecessors(0).code(), "00004");
  EXPECT_EQ(ba_dinh.predecessors(0).display_name(), "Phường Trúc Bạch");
  EXPECT_EQ(ba_dinh.predecessors(0).merge(), v1::COMMUNE_MERGE_WHOLE);
  EXPECT_EQ(ba_dinh.predecessors(0).district(), "Quận Ba Đình (001)");
  EXPECT_EQ(ba_dinh.predecessors(0).province_code(), "01");
  EXPECT_THAT(ba_dinh.predecessors(),
              Contains(Property(&v1::CommunePredecessor::display_name, "Phường Quán Thánh")));
}

TEST_F(CommunesTest, ASplitCommuneKeepsEachPartAndIsFoundFromEither) {
  // Xã Tân Ân (pre-2025 32245) was split; Xã Đất Mũi took a part.
  const std::vector<v1::Commune> heirs = ListOf("localities/-", "predecessor = \"32245\"");
  ASSERT_GE(heirs.size(), 2u);
  for (const v1::Commune& heir : heirs) {
    bool found = false;
    for (const v1::CommunePredecessor& predecessor : heir.predecessors()) {
      if (predecessor.code() != "32245") continue;
      found = true;
      EXPECT_EQ(predecessor.merge(), v1::COMMUNE_MERGE_PART) << heir.name();
    }
    EXPECT_TRUE(found) << heir.name();
  }
}

TEST_F(CommunesTest, SearchIgnoresDiacritics) {
  EXPECT_THAT(ListOf("localities/01", "display_name : \"ba dinh\""),
              Contains(Property(&v1::Commune::code, "00004")));
  EXPECT_THAT(ListOf("localities/01", "display_name : \"Ba Đình\""),
              Contains(Property(&v1::Commune::code, "00004")));
}

TEST_F(CommunesTest, RefusesUnknownCodesOtherProvincesAndMalformedInput) {
  v1::GetCommuneRequest request;
  v1::Commune ignored;
  request.set_name("localities/79/communes/00004");  // Ba Đình is Hanoi's
  EXPECT_THAT(Call(&Stub::GetCommune, request, &ignored), StatusIs(absl::StatusCode::kNotFound));
  request.set_name("localities/01/communes/99999");
  EXPECT_THAT(Call(&Stub::GetCommune, request, &ignored), StatusIs(absl::StatusCode::kNotFound));
  request.set_name("localities/01/communes/ba-dinh");
  EXPECT_THAT(Call(&Stub::GetCommune, request, &ignored),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("name")));

  v1::ListCommunesRequest list;
  v1::ListCommunesResponse response;
  list.set_parent("localities/01");
  list.set_filter("predecessor = \"4\"");
  EXPECT_THAT(Call(&Stub::ListCommunes, list, &response),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("five-digit")));
  list.set_filter("kind = DISTRICT");
  EXPECT_THAT(Call(&Stub::ListCommunes, list, &response),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("filter")));
  list.set_filter("");
  list.set_parent("provinces/01");
  EXPECT_THAT(Call(&Stub::ListCommunes, list, &response),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("parent")));
}

TEST_F(CommunesTest, AFiveDigitCodeResolvesByDateAcrossTheMerger) {
  auto resolve = [&](const std::string& code, absl::CivilDay day,
                     v1::ResolveLocalityCodeResponse* response) {
    v1::ResolveLocalityCodeRequest request;
    request.set_code(code);
    *request.mutable_as_of() = api::ToDate(day);
    return Call(&Stub::ResolveLocalityCode, request, response);
  };
  // Today 00004 is Phường Ba Đình; before the merger it was Phường Trúc
  // Bạch, which Ba Đình absorbed.
  v1::ResolveLocalityCodeResponse today;
  ASSERT_THAT(resolve("00004", absl::CivilDay(2026, 11, 23), &today), IsOk());
  EXPECT_EQ(today.commune().display_name(), "Phường Ba Đình");
  EXPECT_EQ(today.current().name(), "localities/01");
  EXPECT_FALSE(today.has_former_commune());

  v1::ResolveLocalityCodeResponse before;
  ASSERT_THAT(resolve("00004", absl::CivilDay(2024, 6, 1), &before), IsOk());
  EXPECT_FALSE(before.has_commune());
  EXPECT_EQ(before.former_commune().display_name(), "Phường Trúc Bạch");
  EXPECT_EQ(before.former_commune().district(), "Quận Ba Đình (001)");
  ASSERT_EQ(before.current_communes_size(), 1);
  EXPECT_EQ(before.current_communes(0).name(), "localities/01/communes/00004");
  EXPECT_EQ(before.locality().code(), "01");
  EXPECT_EQ(before.current().name(), "localities/01");

  // A split commune went into two.
  v1::ResolveLocalityCodeResponse split;
  ASSERT_THAT(resolve("32245", absl::CivilDay(2024, 6, 1), &split), IsOk());
  EXPECT_EQ(split.former_commune().merge(), v1::COMMUNE_MERGE_PART);
  EXPECT_EQ(split.current_communes_size(), 2);

  // Its code is not in today's list: NOT_FOUND naming where it went.
  v1::ResolveLocalityCodeResponse ignored;
  const absl::Status retired = resolve("32245", absl::CivilDay(2026, 1, 1), &ignored);
  EXPECT_THAT(retired, StatusIs(absl::StatusCode::kNotFound, HasSubstr("Xã Đất Mũi")));
  EXPECT_THAT(resolve("99999", absl::CivilDay(2026, 1, 1), &ignored),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("not in use")));
}

}  // namespace
}  // namespace caunoi
