// Symbols and dates as the source documents and articles write them.
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/directives/symbol.h"
#include "services/directives/written_date.h"

namespace caunoi::directives {
namespace {

using ::caunoi::testing::StatusIs;
using ::testing::HasSubstr;

struct SymbolCase {
  const char* written;
  int64_t number;
  const char* type_code;
  const char* issuer_code;
  const char* normalized;
};

TEST(ParseSymbolTest, ParsesEveryWrittenForm) {
  const SymbolCase cases[] = {
      {"12-CT/TW", 12, "CT", "TW", "12-CT/TW"},
      {"12-CT/TƯ", 12, "CT", "TW", "12-CT/TW"},
      {"05-TT/TU", 5, "TT", "TU", "5-TT/TU"},
      {"24-CT/TU", 24, "CT", "TU", "24-CT/TU"},
      {"2722/KH-UBND", 2722, "KH", "UBND", "2722/KH-UBND"},
      {"01-HD/BĐNTW", 1, "HD", "BDNTW", "1-HD/BDNTW"},
      {"12-KL/TW", 12, "KL", "TW", "12-KL/TW"},
      {" 38 - CT / TW ", 38, "CT", "TW", "38-CT/TW"},
      {"15/QĐ-UBND-VX", 15, "QD", "UBND-VX", "15/QD-UBND-VX"},
      {"03-CTr/TU", 3, "CTR", "TU", "3-CTR/TU"},
      {"12–CT/TW", 12, "CT", "TW", "12-CT/TW"},  // en dash
      {"12-ct/tư", 12, "CT", "TW", "12-CT/TW"},
  };
  for (const SymbolCase& c : cases) {
    absl::StatusOr<DocumentSymbol> parsed = ParseSymbol(c.written);
    ASSERT_TRUE(parsed.ok()) << c.written << ": " << parsed.status();
    EXPECT_EQ(parsed->number, c.number) << c.written;
    EXPECT_EQ(parsed->type_code, c.type_code) << c.written;
    EXPECT_EQ(parsed->issuer_code, c.issuer_code) << c.written;
    EXPECT_EQ(parsed->normalized, c.normalized) << c.written;
  }
}

TEST(ParseSymbolTest, TuAndTwStayDistinctFromTu) {
  EXPECT_EQ(ParseSymbol("24-CT/TƯ")->normalized, ParseSymbol("24-CT/TW")->normalized);
  EXPECT_NE(ParseSymbol("24-CT/TƯ")->normalized, ParseSymbol("24-CT/TU")->normalized);
}

TEST(FoldSymbolWordsTest, ATextSearchFoldsSymbolsAsTheSymbolFilterDoes) {
  EXPECT_EQ(FoldSymbolWords("N-CT/TƯ"), "N-CT/TW");
  EXPECT_EQ(FoldSymbolWords("chỉ thị 012-CT/TƯ năm 2022"), "chỉ thị 12-CT/TW năm 2022");
  EXPECT_EQ(FoldSymbolWords("01-HD/BĐNTW"), "1-HD/BDNTW");
  EXPECT_EQ(FoldSymbolWords("CT/TƯ"), "CT/TW");
  // Ordinary words keep their letters (fold_text unaccents them later).
  EXPECT_EQ(FoldSymbolWords("đối ngoại nhân dân"), "đối ngoại nhân dân");
  EXPECT_EQ(FoldSymbolWords("24-CT/TU"), "24-CT/TU");
}

TEST(ParseSymbolTest, RefusesMalformedSymbolsWithTheReason) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "empty"},
      {"CT/TW", "number"},
      {"0-CT/TW", "zero"},
      {"1234567-CT/TW", "too long"},
      {"12", "missing"},
      {"12-CT", "between the type and the issuer"},
      {"12-CT-TW", "between the type and the issuer"},
      {"12/KH/UBND", "between the type and the issuer"},
      {"12-/TW", "type code"},
      {"12-CT/", "issuer"},
      {"12-C1T/TW!", "character"},
      {"12-CT/Tà", "character"},
      {"12-CT/T\xff", "character"},
      {"12-9/TW", "type code"},
  };
  for (const auto& [written, reason] : cases) {
    EXPECT_THAT(ParseSymbol(written).status(),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(reason)))
        << "\"" << written << "\"";
  }
}

TEST(ParseWrittenDateTest, ParsesDayFirstAndIsoForms) {
  const std::pair<const char*, absl::CivilDay> cases[] = {
      {"5-1-2022", absl::CivilDay(2022, 1, 5)},   {"23-5-2022", absl::CivilDay(2022, 5, 23)},
      {"11/5/2022", absl::CivilDay(2022, 5, 11)}, {"2022-05-23", absl::CivilDay(2022, 5, 23)},
      {"05.01.2022", absl::CivilDay(2022, 1, 5)}, {" 29-2-2024 ", absl::CivilDay(2024, 2, 29)},
  };
  for (const auto& [written, day] : cases) {
    absl::StatusOr<absl::CivilDay> parsed = ParseWrittenDate(written);
    ASSERT_TRUE(parsed.ok()) << written << ": " << parsed.status();
    EXPECT_EQ(*parsed, day) << written;
  }
}

TEST(ParseWrittenDateTest, RefusesImpossibleAndMalformedDates) {
  const std::pair<const char*, const char*> cases[] = {
      {"31-2-2022", "has 28 days"}, {"29-2-2023", "has 28 days"},
      {"31/4/2022", "has 30 days"}, {"0-1-2022", "has 31 days"},
      {"5-13-2022", "month"},       {"5-1-22", "four digits"},
      {"5-1-1850", "1900"},         {"2022-5", "a day, a month and a year"},
      {"hôm qua", "separator"},     {"5-1/2022", "a day, a month and a year"},
      {"a-1-2022", "numbers"},      {"", "separator"},
  };
  for (const auto& [written, reason] : cases) {
    EXPECT_THAT(ParseWrittenDate(written).status(),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(reason)))
        << "\"" << written << "\"";
  }
}

}  // namespace
}  // namespace caunoi::directives
