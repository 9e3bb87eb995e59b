#ifndef CAUNOI_COMMON_API_TEXT_H_
#define CAUNOI_COMMON_API_TEXT_H_

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
};

// INVALID_ARGUMENT naming `field` when the text is not valid UTF-8, holds
// control characters other than newline and tab, is required but empty or
// only whitespace, or is longer than the rule allows.
absl::Status ValidateText(absl::string_view text, absl::string_view field, TextRule rule);

}  // namespace caunoi::api

#endif  // CAUNOI_COMMON_API_TEXT_H_
