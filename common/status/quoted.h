#ifndef CAUNOI_COMMON_STATUS_QUOTED_H_
#define CAUNOI_COMMON_STATUS_QUOTED_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace caunoi {

// The longest prefix of `text` of at most `max_bytes` that ends at a
// character boundary (never inside a UTF-8 sequence).
inline absl::string_view CutAtCharBoundary(absl::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut);
}

// `value` as an error message shows it: in quotes, cut after a few dozen
// bytes at a character boundary ("…", then its length), with control
// bytes shown as '?', so an error never echoes a payload. Header-only, on
// Abseil alone, for the parsers that stand without the common library.
inline std::string Quoted(absl::string_view value) {
  constexpr size_t kShownBytes = 48;
  const absl::string_view kept = CutAtCharBoundary(value, kShownBytes);
  std::string shown = "\"";
  for (char c : kept) {
    const auto byte = static_cast<unsigned char>(c);
    shown.push_back(byte < 0x20 || byte == 0x7F ? '?' : c);
  }
  if (kept.size() == value.size()) return absl::StrCat(shown, "\"");
  return absl::StrCat(shown, "…\" (", value.size(), " bytes)");
}

}  // namespace caunoi

#endif  // CAUNOI_COMMON_STATUS_QUOTED_H_
