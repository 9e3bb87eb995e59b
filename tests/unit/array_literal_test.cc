#include "common/pg/array_literal.h"

#include <vector>

#include "gtest/gtest.h"

namespace caunoi::pg {
namespace {

TEST(ArrayLiteralTest, QuotesEveryElementAndEscapesQuotesAndBackslashes) {
  const std::vector<std::string> values = {"12-CT/TW", "Hội \"hữu nghị\"", "a\\b", "", "{x,y}"};
  EXPECT_EQ(ArrayLiteral(std::span<const std::string>(values)),
            R"({"12-CT/TW","Hội \"hữu nghị\"","a\\b","","{x,y}"})");
}

TEST(ArrayLiteralTest, NullElementsAreUnquotedNull) {
  const std::vector<Param> values = {Param("NULL"), std::nullopt, Param("7")};
  EXPECT_EQ(ArrayLiteral(std::span<const Param>(values)), R"({"NULL",NULL,"7"})");
}

TEST(ArrayLiteralTest, NoValuesIsTheEmptyArray) {
  EXPECT_EQ(ArrayLiteral(std::span<const std::string>()), "{}");
}

}  // namespace
}  // namespace caunoi::pg
