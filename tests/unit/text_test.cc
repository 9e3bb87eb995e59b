#include "common/api/text.h"

#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace caunoi::api {
namespace {

using ::caunoi::testing::IsOk;
using ::caunoi::testing::StatusIs;
using ::testing::HasSubstr;

TEST(ValidateTextTest, AcceptsVietnameseAndSymbolsExactly) {
  EXPECT_THAT(
      ValidateText("Liên hiệp các tổ chức hữu nghị thành phố Hà Nội", "name", {.required = true}),
      IsOk());
  EXPECT_THAT(ValidateText("2722/KH-UBND", "name", {.required = true}), IsOk());
  EXPECT_THAT(ValidateText("", "note", {}), IsOk());
  EXPECT_THAT(ValidateText("dòng một\ndòng hai\tcột", "note", {}), IsOk());
}

TEST(ValidateTextTest, CountsCharactersNotBytes) {
  std::string name;
  for (int i = 0; i < kMaxNameChars; ++i) name += "ệ";  // 3 bytes each
  EXPECT_THAT(ValidateText(name, "name", {}), IsOk());
  name += "a";
  EXPECT_THAT(ValidateText(name, "name", {}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("513 characters")));
}

TEST(ValidateTextTest, RefusesBlankRequiredText) {
  for (const char* blank : {"", " ", "\t\n "}) {
    absl::Status status = ValidateText(blank, "organization.display_name", {.required = true});
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument)) << "\"" << blank << "\"";
    ASSERT_TRUE(GetBadRequest(status).has_value());
    EXPECT_EQ(GetBadRequest(status)->field_violations(0).field(), "organization.display_name");
  }
}

TEST(ValidateTextTest, RefusesMalformedUtf8AndControlCharacters) {
  const char* bad[] = {
      "\xC3",              // truncated
      "\xC0\xAF",          // overlong "/"
      "\xED\xA0\x80",      // surrogate
      "\xF4\x90\x80\x80",  // beyond U+10FFFF
      "\xFF",
      "H\xE1\xBB",  // "Hà" cut short
  };
  for (const char* text : bad) {
    EXPECT_THAT(ValidateText(text, "name", {}),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("UTF-8")));
  }
  EXPECT_THAT(ValidateText(std::string("a\0b", 3), "name", {}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("control")));
  EXPECT_THAT(ValidateText("a\x7f", "name", {}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("control")));
}

}  // namespace
}  // namespace caunoi::api
