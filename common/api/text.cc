#include "common/api/text.h"

#include <cstdint>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status/errors.h"

namespace caunoi::api {
namespace {

// Decodes one code point at `pos`, advancing it; nullopt on malformed,
// overlong or surrogate sequences.
std::optional<uint32_t> NextCodePoint(absl::string_view text, size_t& pos) {
  const auto byte = [&](size_t i) { return static_cast<uint8_t>(text[i]); };
  const uint8_t lead = byte(pos);
  int length;
  uint32_t code;
  if (lead < 0x80) {
    ++pos;
    return lead;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2, code = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, code = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, code = lead & 0x07;
  } else {
    return std::nullopt;
  }
  if (pos + length > text.size()) return std::nullopt;
  for (int i = 1; i < length; ++i) {
    if ((byte(pos + i) & 0xC0) != 0x80) return std::nullopt;
    code = (code << 6) | (byte(pos + i) & 0x3F);
  }
  static constexpr uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
  if (code < kSmallest[length] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
    return std::nullopt;
  }
  pos += length;
  return code;
}

}  // namespace

absl::Status ValidateText(absl::string_view text, absl::string_view field, TextRule rule) {
  int chars = 0;
  for (size_t pos = 0; pos < text.size();) {
    std::optional<uint32_t> code = NextCodePoint(text, pos);
    if (!code.has_value()) return InvalidFieldError(field, "is not valid UTF-8");
    if ((*code < 0x20 && *code != '\n' && *code != '\t') || *code == 0x7F) {
      return InvalidFieldError(field, "holds a control character");
    }
    ++chars;
  }
  if (rule.required && absl::StripAsciiWhitespace(text).empty()) {
    return InvalidFieldError(field, "is required and must not be blank");
  }
  if (chars > rule.max_chars) {
    return InvalidFieldError(
        field, absl::StrCat("is ", chars, " characters long; at most ", rule.max_chars));
  }
  return absl::OkStatus();
}

}  // namespace caunoi::api
