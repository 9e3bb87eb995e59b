#ifndef CAUNOI_COMMON_API_TEXT_H_
#define CAUNOI_COMMON_API_TEXT_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

// Checks on free text from requests: names are stored exactly as written,
// so the checks refuse rather than repair.
namespace caunoi::api {

inline constexpr int kMaxNameChars = 512;
inline constexpr int kMaxNoteChars = 4000;

struct TextRule {
  bool required = false;
  int max_chars = kMaxNameChars;  // Unicode code points, not bytes
  // Notes and summaries may hold newlines and tabs; names and titles not.
  bool multiline = false;
};

// INVALID_ARGUMENT naming `field` when the text is not valid UTF-8, holds
// control characters (newline and tab only in multiline text) or
// bidirectional embeddings, overrides and isolates (which make text read
// differently from what it holds), is required but empty or only
// whitespace (or, when optional, is whitespace only), or is longer than the
// rule allows.
absl::Status ValidateText(absl::string_view text, absl::string_view field, TextRule rule);

// `text` in Unicode normalization form C, so two spellings of one name
// ("ệ" precomposed or as e + two marks) are stored, and compare, alike.
// Text that is not valid UTF-8 is returned unchanged.
std::string ToNfc(absl::string_view text);

// Appends `code_point` (a Unicode scalar value) to `out` encoded as UTF-8.
void AppendUtf8(std::string& out, uint32_t code_point);

}  // namespace caunoi::api

#endif  // CAUNOI_COMMON_API_TEXT_H_
