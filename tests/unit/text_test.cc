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
  EXPECT_THAT(ValidateText("dòng một\ndòng hai\tcột", "note", {.multiline = true}), IsOk());
}

TEST(ValidateTextTest, NamesAreOneLineWithoutBidirectionalControls) {
  EXPECT_THAT(ValidateText("Nguyễn\nLan Hương", "person.full_name", {}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("one line")));
  EXPECT_THAT(ValidateText("Nguyễn\tLan Hương", "person.full_name", {}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("one line")));
  // RIGHT-TO-LEFT OVERRIDE, LEFT-TO-RIGHT ISOLATE, POP DIRECTIONAL ISOLATE,
  // and a C1 control, in names and in notes alike.
  for (const char* disguised : {"\u202eủH nauH nễyugN", "Hà \u2066Nội\u2069", "a\u0085b"}) {
    for (const TextRule rule : {TextRule{}, TextRule{.max_chars = 4000, .multiline = true}}) {
      absl::Status status = ValidateText(disguised, "person.full_name", rule);
      EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument)) << disguised;
      ASSERT_TRUE(GetBadRequest(status).has_value());
      EXPECT_EQ(GetBadRequest(status)->field_violations(0).field(), "person.full_name");
    }
  }
}

TEST(ToNfcTest, TwoSpellingsOfOneNameBecomeOne) {
  const std::string precomposed = "Nguy\u1ec5n";        // ễ as one code point
  const std::string decomposed = "Nguye\u0302\u0303n";  // e + circumflex + tilde
  EXPECT_NE(precomposed, decomposed);
  EXPECT_EQ(ToNfc(decomposed), precomposed);
  EXPECT_EQ(ToNfc(precomposed), precomposed);
  EXPECT_EQ(ToNfc("12-CT/TW"), "12-CT/TW");
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
