#include "services/organizations/commune_list.h"

#include "common/api/dates.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace caunoi::organizations {
namespace {

using ::caunoi::testing::StatusIs;
using ::testing::HasSubstr;

constexpr char kCommunes[] =
    "code,name,kind,province_code,province_name\n"
    "00004,Phường Ba Đình,phường,01,Thành phố Hà Nội\n"
    "26732,Đặc khu Côn Đảo,đặc khu,79,Thành phố Hồ Chí Minh\n";
constexpr char kLineage[] =
    "new_code,new_name,old_code,old_name,merge,old_district,old_province_code\n"
    "00004,Phường Ba Đình,00013,Phường Quán Thánh,whole,Quận Ba Đình (001),01\n"
    "26732,Đặc khu Côn Đảo,,,part,Huyện Côn Đảo (755),77\n";

v1::ImportCommunesRequest Request(std::string communes, std::string lineage = "") {
  v1::ImportCommunesRequest request;
  request.set_communes_csv(std::move(communes));
  request.set_lineage_csv(std::move(lineage));
  *request.mutable_valid_from() = api::ToDate(absl::CivilDay(2027, 1, 1));
  return request;
}

TEST(CommuneListTest, ReadsTheStatisticsOfficesLayout) {
  absl::StatusOr<CommuneList> list = ParseImportCommunesRequest(Request(kCommunes, kLineage));
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_EQ(list->valid_from, absl::CivilDay(2027, 1, 1));
  ASSERT_EQ(list->communes.size(), 2u);
  EXPECT_EQ(list->communes[0].kind, "WARD");
  EXPECT_EQ(list->communes[1].kind, "SPECIAL_ZONE");
  EXPECT_EQ(list->communes[1].province_id, "79");
  ASSERT_EQ(list->predecessors.size(), 2u);
  EXPECT_EQ(list->predecessors[0].merge, "WHOLE");
  EXPECT_EQ(list->predecessors[1].code, "");
  EXPECT_EQ(list->predecessors[1].display_name, "");  // a district-wide island had none
  EXPECT_EQ(list->predecessors[1].merge, "PART");
}

TEST(CommuneListTest, NamesTheLineAndColumnOfTheFirstFault) {
  const std::pair<std::string, std::string> communes[] = {
      {"code,name,kind,province_code\n0004,A,xã,01\n", "line 2, column code"},
      {"code,name,kind,province_code\n00004,A,thôn,01\n", "line 2, column kind"},
      {"code,name,kind,province_code\n00004,A,xã,1\n", "line 2, column province_code"},
      {"code,name,kind,province_code\n00004,A,xã,01\n00004,B,xã,01\n", "00004 is listed twice"},
      {"code,name,kind,province_code\n00004,,xã,01\n", "line 2, column name: is empty"},
      {"code,name,province_code\n00004,A,01\n", "lacks the column(s) kind"},
      {"code,name,kind,province_code\n", "lists no commune"},
  };
  for (const auto& [csv, error] : communes) {
    EXPECT_THAT(ParseImportCommunesRequest(Request(csv)).status(),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(error)))
        << csv;
  }
  const std::string header =
      "new_code,new_name,old_code,old_name,merge,old_district,old_province_code\n";
  EXPECT_THAT(ParseImportCommunesRequest(
                  Request(kCommunes, header + "00008,X,00013,Y,whole,Quận Ba Đình (001),01\n"))
                  .status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("lineage_csv: line 2, column new_code")));
  EXPECT_THAT(ParseImportCommunesRequest(
                  Request(kCommunes, header + "00004,X,00013,Y,merged,Quận Ba Đình (001),01\n"))
                  .status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("column merge")));
  v1::ImportCommunesRequest undated = Request(kCommunes);
  undated.clear_valid_from();
  EXPECT_THAT(ParseImportCommunesRequest(undated).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("valid_from")));
}

}  // namespace
}  // namespace caunoi::organizations
