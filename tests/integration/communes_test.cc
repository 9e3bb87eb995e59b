// The commune registry through the real organizations_server binary and a
// real PostgreSQL: the shipped list, its lineage, filters and refusals.
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_replace.h"
#include "caunoi/v1/organizations.grpc.pb.h"
#include "common/api/dates.h"
#include "common/client/organizations_client.h"
#include "common/testing/error_details.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/organizations_server_test.h"

namespace caunoi {
namespace {

using ::caunoi::testing::IsOk;
using ::caunoi::testing::ReasonOf;
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

  v1::Commune Get(const std::string& name) {
    v1::GetCommuneRequest request;
    request.set_name(name);
    v1::Commune commune;
    EXPECT_THAT(Call(&Stub::GetCommune, request, &commune), IsOk());
    return commune;
  }

  // The reference list the project ships, as the statistics office
  // publishes it.
  static std::string Shared(const std::string& file) {
    std::ifstream in(std::string(CAUNOI_SOURCE_DIR) + "/../shared/" + file);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  static v1::ImportCommunesRequest Import(std::string communes, std::string lineage,
                                          absl::CivilDay valid_from) {
    v1::ImportCommunesRequest request;
    request.set_communes_csv(std::move(communes));
    request.set_lineage_csv(std::move(lineage));
    *request.mutable_valid_from() = api::ToDate(valid_from);
    return request;
  }

  v1::Organization CreateOrganization(const std::string& locality, const std::string& commune,
                                      absl::Status* status = nullptr) {
    v1::CreateOrganizationRequest request;
    request.mutable_organization()->set_display_name("Ủy ban Mặt trận Tổ quốc phường");
    request.mutable_organization()->set_kind(v1::ORGANIZATION_KIND_FATHERLAND_FRONT_COMMITTEE);
    request.mutable_organization()->set_level(v1::ORGANIZATION_LEVEL_COMMUNE);
    request.mutable_organization()->set_locality(locality);
    request.mutable_organization()->set_commune(commune);
    v1::Organization created;
    absl::Status result = Call(&Stub::CreateOrganization, request, &created);
    if (status != nullptr) {
      *status = result;
    } else {
      EXPECT_THAT(result, IsOk());
    }
    return created;
  }
};

// What a drilled-down rollout asks: a province's communes, kept by name
// and display name for their time; never an incomplete list, and nothing
// with no time to keep.
TEST_F(CommunesTest, AProvincesCommunesAreKeptByNameForTheirTime) {
  OrganizationsClient kept(server_->NewChannel());
  OrganizationsClient asked(server_->NewChannel(), absl::ZeroDuration());
  EXPECT_FALSE(kept.KeptCommunes("localities/01").has_value());  // nothing kept yet
  v1::ListCommunesRequest request;
  request.set_parent("localities/01");
  request.set_page_size(500);
  v1::ListCommunesResponse hanoi;
  ASSERT_THAT(Call(&Stub::ListCommunes, request, &hanoi), IsOk());
  ASSERT_EQ(hanoi.communes_size(), 126);
  kept.KeepCommunes("localities/01", hanoi);
  asked.KeepCommunes("localities/01", hanoi);

  const std::optional<v1::ListCommunesResponse> list = kept.KeptCommunes("localities/01");
  ASSERT_TRUE(list.has_value());
  ASSERT_EQ(list->communes_size(), hanoi.communes_size());
  for (int i = 0; i < list->communes_size(); ++i) {
    EXPECT_EQ(list->communes(i).name(), hanoi.communes(i).name());
    EXPECT_EQ(list->communes(i).display_name(), hanoi.communes(i).display_name());
    EXPECT_EQ(list->communes(i).predecessors_size(), 0);
  }
  EXPECT_FALSE(kept.KeptCommunes("localities/79").has_value());
  EXPECT_FALSE(asked.KeptCommunes("localities/01").has_value());

  request.set_parent("localities/79");
  request.set_page_size(10);
  v1::ListCommunesResponse first_page;
  ASSERT_THAT(Call(&Stub::ListCommunes, request, &first_page), IsOk());
  ASSERT_FALSE(first_page.next_page_token().empty());
  kept.KeepCommunes("localities/79", first_page);
  EXPECT_FALSE(kept.KeptCommunes("localities/79").has_value());
}

TEST_F(CommunesTest, ALaterListRenamesRetiresAndAddsKeepingHistoryAndAgainChangesNothing) {
  // The shipped list with Ba Đình renamed, Ngọc Hà gone into a new ward.
  std::string communes = Shared("communes.csv");
  ASSERT_GT(communes.size(), 100000u);
  communes =
      absl::StrReplaceAll(communes, {{"00004,Phường Ba Đình,", "00004,Phường Ba Đình Mới,"},
                                     {"00008,Phường Ngọc Hà,phường,01,Thành phố Hà Nội\r\n", ""}});
  communes += "99990,Phường Ngọc Hà Mới,phường,01,Thành phố Hà Nội\n";
  const std::string lineage =
      "new_code,new_name,old_code,old_name,merge,old_district,old_province_code\n"
      "99990,Phường Ngọc Hà Mới,00008,Phường Ngọc Hà,whole,,01\n";
  const v1::ImportCommunesRequest request = Import(communes, lineage, absl::CivilDay(2026, 1, 1));
  v1::ImportCommunesResponse first;
  ASSERT_THAT(Call(&Stub::ImportCommunes, request, &first), IsOk());
  EXPECT_EQ(first.added(), 1);
  EXPECT_EQ(first.updated(), 1);
  EXPECT_EQ(first.retired(), 1);
  EXPECT_EQ(first.unchanged(), 3319);
  EXPECT_EQ(first.predecessors_added(), 1);

  const v1::Commune ba_dinh = Get("localities/01/communes/00004");
  EXPECT_EQ(ba_dinh.display_name(), "Phường Ba Đình Mới");
  EXPECT_EQ(ba_dinh.predecessors(0).display_name(), "Phường Trúc Bạch");  // history kept
  const v1::Commune ngoc_ha = Get("localities/01/communes/00008");
  EXPECT_EQ(ngoc_ha.display_name(), "Phường Ngọc Hà");
  ASSERT_TRUE(ngoc_ha.has_valid_until());
  EXPECT_EQ(api::ToCivilDayUnchecked(ngoc_ha.valid_until()), absl::CivilDay(2026, 1, 1));
  const v1::Commune added = Get("localities/01/communes/99990");
  EXPECT_EQ(api::ToCivilDayUnchecked(added.valid_from()), absl::CivilDay(2026, 1, 1));
  ASSERT_EQ(added.predecessors_size(), 1);
  EXPECT_EQ(added.predecessors(0).code(), "00008");

  v1::GetLocalityRequest hanoi_request;
  hanoi_request.set_name("localities/01");
  v1::Locality hanoi;
  ASSERT_THAT(Call(&Stub::GetLocality, hanoi_request, &hanoi), IsOk());
  EXPECT_EQ(hanoi.communes(), 126);  // one retired, one added

  v1::ImportCommunesResponse again;
  ASSERT_THAT(Call(&Stub::ImportCommunes, request, &again), IsOk());
  EXPECT_EQ(again.added() + again.updated() + again.retired() + again.predecessors_added(), 0);
  EXPECT_EQ(again.unchanged(), 3321);

  // A retired commune is named by no new record.
  absl::Status retired;
  CreateOrganization("localities/01", "localities/01/communes/00008", &retired);
  EXPECT_THAT(retired, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("retired")));
  EXPECT_EQ(ReasonOf(retired), "COMMUNE_NOT_IN_FORCE");
}

TEST_F(CommunesTest, AnImportIsCheckedWholeBeforeAnythingIsWritten) {
  const std::string header = "code,name,kind,province_code,province_name\n";
  v1::ImportCommunesResponse response;
  EXPECT_THAT(
      Call(&Stub::ImportCommunes,
           Import(header + "00004,Phường Ba Đình,phường,01,Hà Nội\n"
                           "00008,Phường Ngọc Hà,thôn,01,Hà Nội\n",
                  "", absl::CivilDay(2026, 1, 1)),
           &response),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("communes_csv: line 3, column kind")));
  EXPECT_THAT(Call(&Stub::ImportCommunes,
                   Import(header + "00004,Phường Ba Đình,phường,03,Hà Tây\n", "",
                          absl::CivilDay(2026, 1, 1)),
                   &response),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("province_code")));
  // Retiring communes on the day they came into force would leave them
  // no day in force at all.
  absl::Status same_day = Call(
      &Stub::ImportCommunes,
      Import(header + "00004,Phường Ba Đình,phường,01,Hà Nội\n", "", absl::CivilDay(2025, 7, 1)),
      &response);
  EXPECT_THAT(same_day, StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("00008")));
  EXPECT_EQ(ReasonOf(same_day), "COMMUNES_NOT_RETIRABLE");
  EXPECT_EQ(ListOf("localities/-").size(), 3321u);
  EXPECT_FALSE(Get("localities/01/communes/00008").has_valid_until());
  EXPECT_EQ(Get("localities/01/communes/00004").display_name(), "Phường Ba Đình");
}

TEST_F(CommunesTest, AnOrganizationSitsInACommuneOfItsProvinceAndListsFindIt) {
  const v1::Organization ward = CreateOrganization("localities/01", "localities/01/communes/00004");
  EXPECT_EQ(ward.commune(), "localities/01/communes/00004");
  v1::CreateOrganizationRequest city;
  city.mutable_organization()->set_display_name("Ủy ban Mặt trận Tổ quốc thành phố Hà Nội");
  city.mutable_organization()->set_kind(v1::ORGANIZATION_KIND_FATHERLAND_FRONT_COMMITTEE);
  city.mutable_organization()->set_level(v1::ORGANIZATION_LEVEL_PROVINCIAL);
  city.mutable_organization()->set_locality("localities/01");
  v1::Organization city_front;
  ASSERT_THAT(Call(&Stub::CreateOrganization, city, &city_front), IsOk());

  auto list = [&](const std::string& filter) {
    v1::ListOrganizationsRequest request;
    request.set_filter(filter);
    request.set_page_size(500);
    v1::ListOrganizationsResponse response;
    EXPECT_THAT(Call(&Stub::ListOrganizations, request, &response), IsOk());
    std::set<std::string> names;
    for (const v1::Organization& found : response.organizations()) names.insert(found.name());
    return names;
  };
  EXPECT_EQ(list("commune = \"localities/01/communes/00004\""), std::set<std::string>{ward.name()});
  const std::set<std::string> hanoi = list("locality = \"localities/01\"");
  EXPECT_TRUE(hanoi.contains(ward.name()));  // the province includes its communes
  EXPECT_TRUE(hanoi.contains(city_front.name()));
  EXPECT_TRUE(list("commune = \"localities/01/communes/00008\"").empty());

  absl::Status status;
  CreateOrganization("localities/79", "localities/01/communes/00004", &status);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("localities/79")));
  EXPECT_EQ(ReasonOf(status), "COMMUNE_OF_ANOTHER_LOCALITY");
  CreateOrganization("localities/01", "localities/01/communes/99998", &status);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kNotFound, HasSubstr("organization.commune")));
  CreateOrganization("localities/01", "localities/01/communes/4", &status);
  EXPECT_THAT(status,
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("organization.commune")));
  CreateOrganization("", "localities/01/communes/00004", &status);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
}

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
