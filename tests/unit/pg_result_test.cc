#include <cstdint>
#include <limits>

#include "common/pg/result.h"
#include "gtest/gtest.h"

namespace caunoi::pg {
namespace {

TEST(ParseInt64Test, ReadsPostgresIntegersToTheirLimits) {
  int64_t value = 1;
  ASSERT_TRUE(ParseInt64("0", value));
  EXPECT_EQ(value, 0);
  ASSERT_TRUE(ParseInt64("-42", value));
  EXPECT_EQ(value, -42);
  ASSERT_TRUE(ParseInt64("9223372036854775807", value));
  EXPECT_EQ(value, std::numeric_limits<int64_t>::max());
  ASSERT_TRUE(ParseInt64("-9223372036854775808", value));
  EXPECT_EQ(value, std::numeric_limits<int64_t>::min());
}

TEST(ParseInt64Test, ReadsWhatSimpleAtoiReadsAndRefusesTheRest) {
  int64_t value = 0;
  ASSERT_TRUE(ParseInt64(" +7 ", value));
  EXPECT_EQ(value, 7);
  EXPECT_FALSE(ParseInt64("", value));  // NULL
  EXPECT_FALSE(ParseInt64("9223372036854775808", value));
  EXPECT_FALSE(ParseInt64("12abc", value));
  EXPECT_FALSE(ParseInt64("1.5", value));
  EXPECT_FALSE(ParseInt64("t", value));
}

}  // namespace
}  // namespace caunoi::pg
