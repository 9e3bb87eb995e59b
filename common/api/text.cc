#include "common/api/text.h"

#include <cstdint>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status/errors.h"
#include "unicode/normalizer2.h"
#include "unicode/unistr.h"

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

// Embeddings and overrides (U+202A..U+202E) and isolates (U+2066..U+2069).
bool IsBidiControl(uint32_t code) {
  return (code >= 0x202A && code <= 0x202E) || (code >= 0x2066 && code <= 0x2069);
}

}  // namespace

std::string ToNfc(absl::string_view text) {
  bool ascii = true;
  for (char c : text) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
  if (ascii) return std::string(text);
  UErrorCode error = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(error);
  if (U_FAILURE(error)) return std::string(text);
  const icu::UnicodeString input = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  if (nfc->isNormalized(input, error) && U_SUCCESS(error)) return std::string(text);
  error = U_ZERO_ERROR;
  const icu::UnicodeString normalized = nfc->normalize(input, error);
  if (U_FAILURE(error)) return std::string(text);
  std::string out;
  normalized.toUTF8String(out);
  return out;
}

absl::Status ValidateText(absl::string_view text, absl::string_view field, TextRule rule) {
  int chars = 0;
  for (size_t pos = 0; pos < text.size();) {
    std::optional<uint32_t> code = NextCodePoint(text, pos);
    if (!code.has_value()) return InvalidFieldError(field, "is not valid UTF-8");
    const bool line_break = *code == '\n' || *code == '\t';
    if ((*code < 0x20 && !(rule.multiline && line_break)) || (*code >= 0x7F && *code < 0xA0)) {
      return InvalidFieldError(field, rule.multiline || !line_break
                                          ? "holds a control character"
                                          : "must be one line, without tabs");
    }
    if (IsBidiControl(*code)) {
      return InvalidFieldError(
          field,
          absl::StrFormat("holds U+%04X, a bidirectional control that can disguise text", *code));
    }
    ++chars;
  }
  if (absl::StripAsciiWhitespace(text).empty()) {
    if (rule.required) return InvalidFieldError(field, "is required and must not be blank");
    // Optional text is left empty, never filled with blanks.
    if (!text.empty()) return InvalidFieldError(field, "is only whitespace; leave it empty");
  }
  if (chars > rule.max_chars) {
    return InvalidFieldError(
        field, absl::StrCat("is ", chars, " characters long; at most ", rule.max_chars));
  }
  return absl::OkStatus();
}

void AppendUtf8(std::string& out, uint32_t code_point) {
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (code_point >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

}  // namespace caunoi::api
