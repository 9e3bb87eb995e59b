#include "common/api/filter.h"

#include <array>

#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace caunoi::api {
namespace {

using ::caunoi::testing::StatusIs;
using ::testing::HasSubstr;

constexpr std::array<FilterField, 2> kFields = {{{"kind", true, false}, {"name", false, true}}};

TEST(FilterTest, EmptyFilterHasNoTerms) {
  EXPECT_TRUE(ParseFilter("", kFields)->empty());
  EXPECT_TRUE(ParseFilter("   ", kFields)->empty());
}

TEST(FilterTest, ParsesTermsJoinedByAnd) {
  absl::StatusOr<std::vector<FilterTerm>> terms =
      ParseFilter(R"(kind = CITY AND name : "Hà \"Nội\"")", kFields);
  ASSERT_TRUE(terms.ok()) << terms.status();
  ASSERT_EQ(terms->size(), 2u);
  EXPECT_EQ((*terms)[0].field, "kind");
  EXPECT_EQ((*terms)[0].op, FilterOperator::kEquals);
  EXPECT_EQ((*terms)[0].value, "CITY");
  EXPECT_EQ((*terms)[1].op, FilterOperator::kHas);
  EXPECT_EQ((*terms)[1].value, "Hà \"Nội\"");
}

TEST(FilterTest, RejectsWhatItCannotRead) {
  struct Case {
    const char* filter;
    const char* complaint;
  };
  for (const Case& c : std::vector<Case>{{"colour = red", "unknown field \"colour\""},
                                         {"kind CITY", "expected = or :"},
                                         {"kind : CITY", "does not support :"},
                                         {"name = x", "does not support ="},
                                         {"kind =", "expected a value"},
                                         {"name : \"open", "unterminated"},
                                         {"kind = CITY OR kind = PROVINCE", "expected AND"},
                                         {"= CITY", "expected a field"}}) {
    EXPECT_THAT(ParseFilter(c.filter, kFields),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         ::testing::AllOf(HasSubstr("filter"), HasSubstr(c.complaint))))
        << c.filter;
  }
}

}  // namespace
}  // namespace caunoi::api
