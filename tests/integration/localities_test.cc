// The localities slice through the real organizations_server binary and a
// real PostgreSQL: listing, paging, search, code resolution, bad input.
#include <set>

#include "caunoi/v1/organizations.grpc.pb.h"
#include "common/api/dates.h"
#include "common/pg/connection.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "tests/support/organizations_server_test.h"

namespace caunoi {
namespace {

using ::caunoi::testing::IsOk;
using ::caunoi::testing::StatusIs;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class LocalitiesTest : public caunoi::testing::OrganizationsServerTest {
 protected:
  absl::StatusOr<v1::ListLocalitiesResponse> List(const v1::ListLocalitiesRequest& request) {
    v1::ListLocalitiesResponse response;
    absl::Status status = Call(&v1::OrganizationService::Stub::ListLocalities, request, &response);
    if (!status.ok()) return status;
    return response;
  }

  std::vector<v1::Locality> ListAll(v1::ListLocalitiesRequest request, int* pages = nullptr) {
    std::vector<v1::Locality> all;
    int count = 0;
    do {
      auto page = List(request);
      EXPECT_THAT(page.status(), IsOk());
      if (!page.ok()) break;
      ++count;
      all.insert(all.end(), page->localities().begin(), page->localities().end());
      request.set_page_token(page->next_page_token());
    } while (!request.page_token().empty() && count < 100);
    if (pages) *pages = count;
    return all;
  }

  std::vector<std::string> SearchCodes(const std::string& text) {
    v1::ListLocalitiesRequest request;
    request.set_filter("display_name : \"" + text + "\"");
    std::vector<std::string> codes;
    for (const v1::Locality& locality : ListAll(request)) codes.push_back(locality.code());
    return codes;
  }

  absl::StatusOr<v1::ResolveLocalityCodeResponse> Resolve(const std::string& code,
                                                          absl::CivilDay day) {
    v1::ResolveLocalityCodeRequest request;
    request.set_code(code);
    *request.mutable_as_of() = api::ToDate(day);
    v1::ResolveLocalityCodeResponse response;
    absl::Status status =
        Call(&v1::OrganizationService::Stub::ResolveLocalityCode, request, &response);
    if (!status.ok()) return status;
    return response;
  }
};

std::string ViolatedField(const absl::Status& status) {
  auto bad_request = GetBadRequest(status);
  return bad_request && bad_request->field_violations_size() > 0
             ? bad_request->field_violations(0).field()
             : "<no BadRequest detail>";
}

TEST_F(LocalitiesTest, ListsTheThirtyFourCurrentUnits) {
  v1::ListLocalitiesRequest request;
  request.set_page_size(100);
  auto response = List(request);
  ASSERT_THAT(response.status(), IsOk());
  ASSERT_EQ(response->localities_size(), 34);
  EXPECT_TRUE(response->next_page_token().empty());
  int cities = 0;
  std::string previous;
  for (const v1::Locality& locality : response->localities()) {
    EXPECT_TRUE(locality.current());
    EXPECT_GT(locality.code(), previous);
    previous = locality.code();
    if (locality.kind() == v1::LOCALITY_KIND_CITY) ++cities;
  }
  EXPECT_EQ(cities, 6);
}

TEST_F(LocalitiesTest, PagesCoverEveryUnitOnceAcrossBothEras) {
  v1::ListLocalitiesRequest request;
  request.set_page_size(7);
  request.set_include_superseded(true);
  int pages = 0;
  std::vector<v1::Locality> all = ListAll(request, &pages);
  std::set<std::string> names;
  for (const v1::Locality& locality : all) names.insert(locality.name());
  EXPECT_EQ(all.size(), 97u);
  EXPECT_EQ(names.size(), 97u);
  EXPECT_EQ(pages, 14);
}

TEST_F(LocalitiesTest, PageTokenIsStableUnderInserts) {
  v1::ListLocalitiesRequest request;
  request.set_page_size(10);
  auto first = List(request);
  ASSERT_THAT(first.status(), IsOk());
  // Another writer adds units before and after the position of the token.
  auto connection = Connect();
  ASSERT_NE(connection, nullptr);
  ASSERT_THAT(connection
                  ->ExecuteScript("INSERT INTO organizations.localities (id, code, display_name,"
                                  " kind, valid_from) VALUES ('00', '00', 'Đầu', 'province',"
                                  " '2025-07-01'), ('99', '99', 'Cuối', 'province', '2025-07-01')")
                  .status(),
              IsOk());
  request.set_page_token(first->next_page_token());
  std::vector<v1::Locality> rest = ListAll(request);
  std::vector<std::string> codes;
  for (const auto& l : first->localities()) codes.push_back(l.code());
  for (const auto& l : rest) codes.push_back(l.code());
  // Every original unit exactly once, the one inserted behind the cursor
  // not at all, the one ahead of it once.
  EXPECT_EQ(codes.size(), 35u);
  EXPECT_EQ(std::set<std::string>(codes.begin(), codes.end()).size(), 35u);
  EXPECT_EQ(codes.back(), "99");
  EXPECT_THAT(codes, ::testing::Not(Contains("00")));
}

TEST_F(LocalitiesTest, FiltersByKindAndSuccessor) {
  v1::ListLocalitiesRequest request;
  request.set_filter("kind = CITY");
  std::vector<std::string> cities;
  for (const auto& l : ListAll(request)) cities.push_back(l.code());
  EXPECT_THAT(cities, ElementsAre("01", "31", "46", "48", "79", "92"));

  request.set_filter("successor = \"localities/79\"");
  request.set_include_superseded(true);
  std::vector<std::string> absorbed;
  for (const auto& l : ListAll(request)) absorbed.push_back(l.name());
  EXPECT_THAT(absorbed, ElementsAre("localities/pre2025-74", "localities/pre2025-77",
                                    "localities/pre2025-79"));
}

TEST_F(LocalitiesTest, NameSearchIgnoresDiacriticsAndCase) {
  for (const char* query : {"Ha Noi", "ha noi", "Hà Nội", "HÀ NỘI", "hà noi"}) {
    EXPECT_THAT(SearchCodes(query), ElementsAre("01")) << query;
  }
  EXPECT_THAT(SearchCodes("dak lak"), ElementsAre("66"));
  EXPECT_THAT(SearchCodes("Đắk Lắk"), ElementsAre("66"));
  EXPECT_THAT(SearchCodes("ho chi minh"), ElementsAre("79"));
  EXPECT_TRUE(SearchCodes("Atlantis").empty());
}

TEST_F(LocalitiesTest, NamesRoundTripExactly) {
  v1::GetLocalityRequest request;
  request.set_name("localities/79");
  v1::Locality locality;
  ASSERT_THAT(Call(&v1::OrganizationService::Stub::GetLocality, request, &locality), IsOk());
  EXPECT_EQ(locality.display_name(), "Thành phố Hồ Chí Minh");
  EXPECT_EQ(locality.kind(), v1::LOCALITY_KIND_CITY);
  EXPECT_TRUE(locality.current());
  EXPECT_EQ(api::ToCivilDayUnchecked(locality.valid_from()), absl::CivilDay(2025, 7, 1));
  EXPECT_THAT(locality.predecessors(), ElementsAre("localities/pre2025-74", "localities/pre2025-77",
                                                   "localities/pre2025-79"));

  request.set_name("localities/pre2025-77");
  ASSERT_THAT(Call(&v1::OrganizationService::Stub::GetLocality, request, &locality), IsOk());
  EXPECT_EQ(locality.display_name(), "Tỉnh Bà Rịa - Vũng Tàu");
  EXPECT_FALSE(locality.current());
  EXPECT_EQ(locality.successor(), "localities/79");
  EXPECT_EQ(api::ToCivilDayUnchecked(locality.valid_until()), absl::CivilDay(2025, 7, 1));
}

TEST_F(LocalitiesTest, ResolvesACodeAsOfADate) {
  auto binh_duong = Resolve("74", absl::CivilDay(2024, 6, 1));
  ASSERT_THAT(binh_duong.status(), IsOk());
  EXPECT_EQ(binh_duong->locality().display_name(), "Tỉnh Bình Dương");
  EXPECT_EQ(binh_duong->current().name(), "localities/79");
  EXPECT_EQ(binh_duong->current().display_name(), "Thành phố Hồ Chí Minh");

  auto long_an = Resolve("80", absl::CivilDay(2024, 6, 1));
  ASSERT_THAT(long_an.status(), IsOk());
  EXPECT_EQ(long_an->locality().name(), "localities/pre2025-80");
  EXPECT_EQ(long_an->locality().display_name(), "Tỉnh Long An");
  EXPECT_EQ(long_an->current().name(), "localities/80");
  EXPECT_EQ(long_an->current().display_name(), "Tỉnh Tây Ninh");

  auto tay_ninh_today = Resolve("80", api::TodayInVietnam());
  ASSERT_THAT(tay_ninh_today.status(), IsOk());
  EXPECT_EQ(tay_ninh_today->locality().name(), "localities/80");
  EXPECT_EQ(tay_ninh_today->current().name(), "localities/80");

  auto old_tay_ninh = Resolve("72", absl::CivilDay(2025, 6, 30));
  ASSERT_THAT(old_tay_ninh.status(), IsOk());
  EXPECT_EQ(old_tay_ninh->locality().display_name(), "Tỉnh Tây Ninh");
  EXPECT_EQ(old_tay_ninh->current().name(), "localities/80");
}

TEST_F(LocalitiesTest, RetiredCodeNamesItsSuccessor) {
  absl::Status status = Resolve("72", api::TodayInVietnam()).status();
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kNotFound, HasSubstr("localities/80")));
  ASSERT_TRUE(GetErrorInfo(status).has_value());
  EXPECT_EQ(GetErrorInfo(status)->reason(), "LOCALITY_CODE_RETIRED");
  EXPECT_EQ(GetErrorInfo(status)->metadata().at("successor"), "localities/80");

  absl::Status unknown = Resolve("99", absl::CivilDay(2024, 1, 1)).status();
  EXPECT_THAT(unknown, StatusIs(absl::StatusCode::kNotFound));
  EXPECT_EQ(GetErrorInfo(unknown)->reason(), "LOCALITY_CODE_UNKNOWN");
}

TEST_F(LocalitiesTest, UnknownLocalityIsNotFound) {
  v1::GetLocalityRequest request;
  request.set_name("localities/pre2025-99");
  v1::Locality locality;
  EXPECT_THAT(Call(&v1::OrganizationService::Stub::GetLocality, request, &locality),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("localities/pre2025-99")));
}

TEST_F(LocalitiesTest, BadInputIsInvalidArgumentNamingTheField) {
  v1::Locality locality;
  for (const char* name : {"", "localities/", "Hà Nội", "localities/1"}) {
    v1::GetLocalityRequest request;
    request.set_name(name);
    absl::Status status = Call(&v1::OrganizationService::Stub::GetLocality, request, &locality);
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument)) << name;
    EXPECT_EQ(ViolatedField(status), "name") << name;
  }

  struct ListCase {
    std::string field;
    v1::ListLocalitiesRequest request;
  };
  std::vector<ListCase> cases(4);
  cases[0].field = "page_size";
  cases[0].request.set_page_size(-5);
  cases[1].field = "page_token";
  cases[1].request.set_page_token("bm90LWEtdG9rZW4");
  cases[2].field = "filter";
  cases[2].request.set_filter("colour = red");
  cases[3].field = "page_token";
  {
    v1::ListLocalitiesRequest first;
    first.set_page_size(3);
    auto page = List(first);
    ASSERT_THAT(page.status(), IsOk());
    std::string token = page->next_page_token();
    token[token.size() / 2] = token[token.size() / 2] == 'A' ? 'B' : 'A';
    cases[3].request.set_page_size(3);
    cases[3].request.set_page_token(token);
  }
  for (const ListCase& c : cases) {
    absl::Status status = List(c.request).status();
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument)) << c.field;
    EXPECT_EQ(ViolatedField(status), c.field);
  }

  v1::ResolveLocalityCodeRequest resolve;
  v1::ResolveLocalityCodeResponse resolved;
  absl::Status no_code =
      Call(&v1::OrganizationService::Stub::ResolveLocalityCode, resolve, &resolved);
  EXPECT_EQ(ViolatedField(no_code), "code");
  resolve.set_code("80");
  absl::Status no_date =
      Call(&v1::OrganizationService::Stub::ResolveLocalityCode, resolve, &resolved);
  EXPECT_EQ(ViolatedField(no_date), "as_of");
  *resolve.mutable_as_of() = api::ToDate(absl::CivilDay(2022, 2, 1));
  resolve.mutable_as_of()->set_day(31);
  absl::Status bad_day =
      Call(&v1::OrganizationService::Stub::ResolveLocalityCode, resolve, &resolved);
  EXPECT_EQ(ViolatedField(bad_day), "as_of.day");
}

}  // namespace
}  // namespace caunoi
