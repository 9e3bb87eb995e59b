#include "common/api/commune_name.h"

#include "common/api/dates.h"
#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace caunoi {
namespace {

using ::caunoi::testing::StatusIs;
using ::testing::HasSubstr;

TEST(CommuneNameTest, ParsesTheProvinceAndTheFiveDigitCode) {
  absl::StatusOr<CommuneRef> ba_dinh = ParseCommuneName("localities/01/communes/00004", "f");
  ASSERT_TRUE(ba_dinh.ok()) << ba_dinh.status();
  EXPECT_EQ(ba_dinh->province_id, "01");
  EXPECT_EQ(ba_dinh->code, "00004");
  EXPECT_EQ(CommuneName("01", "00004"), "localities/01/communes/00004");
  for (const char* bad :
       {"", "localities/01", "localities/01/communes/4", "localities/1/communes/00004",
        "localities/pre2025-01/communes/00004", "localities/01/wards/00004",
        "localities/01/communes/00004/x", "communes/00004"}) {
    EXPECT_THAT(ParseCommuneName(bad, "organization.commune").status(),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("organization.commune")))
        << bad;
  }
}

TEST(CommuneNameTest, APlaceIsTheProvinceOrTheCommuneWithinIt) {
  EXPECT_EQ(PlaceId("01", ""), "01");
  EXPECT_EQ(PlaceId("01", "00004"), "01/00004");
  EXPECT_EQ(PlaceOf("localities/01", ""), "01");
  EXPECT_EQ(PlaceOf("localities/01", "localities/01/communes/00004"), "01/00004");
  EXPECT_EQ(PlaceOf("", ""), "");
  EXPECT_EQ(PlaceName("01"), "localities/01");
  EXPECT_EQ(PlaceName("01/00004"), "localities/01/communes/00004");
}

v1::Commune BaDinh() {
  v1::Commune commune;
  commune.set_name("localities/01/communes/00004");
  commune.set_display_name("Phường Ba Đình");
  commune.set_province("localities/01");
  *commune.mutable_valid_from() = api::ToDate(absl::CivilDay(2025, 7, 1));
  return commune;
}

TEST(CommuneNameTest, ACommuneFitsRecordsOfItsProvinceWhileInForce) {
  const absl::CivilDay day(2026, 1, 5);
  EXPECT_TRUE(CheckCommuneFits(BaDinh(), "localities/01", day, "f").ok());
  absl::Status elsewhere = CheckCommuneFits(BaDinh(), "localities/79", day, "document.commune");
  EXPECT_THAT(elsewhere, StatusIs(absl::StatusCode::kInvalidArgument,
                                  HasSubstr("lies in localities/01, not in localities/79")));
  EXPECT_EQ(GetErrorInfo(elsewhere)->reason(), "COMMUNE_OF_ANOTHER_LOCALITY");

  absl::Status before =
      CheckCommuneFits(BaDinh(), "localities/01", absl::CivilDay(2024, 3, 1), "f");
  EXPECT_THAT(before, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("2025-07-01")));
  EXPECT_EQ(GetErrorInfo(before)->reason(), "COMMUNE_NOT_IN_FORCE");

  v1::Commune retired = BaDinh();
  *retired.mutable_valid_until() = api::ToDate(absl::CivilDay(2026, 1, 1));
  absl::Status after = CheckCommuneFits(retired, "localities/01", day, "f");
  EXPECT_THAT(after,
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("retired on 2026-01-01")));
  EXPECT_TRUE(CheckCommuneFits(retired, "localities/01", absl::CivilDay(2025, 12, 31), "f").ok());
}

}  // namespace
}  // namespace caunoi
