#ifndef CAUNOI_COMMON_API_QUOTED_H_
#define CAUNOI_COMMON_API_QUOTED_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace caunoi::api {

// `value` as an error message shows it: in quotes, cut after a few dozen
// bytes at a character boundary ("…", then its length), with control
// bytes shown as '?', so an error never echoes a payload. Header-only, on
// Abseil alone, for the parsers that stand without the common library.
inline std::string Quoted(absl::string_view value) {
  constexpr size_t kShownBytes = 48;
  size_t cut = value.size();
  if (cut > kShownBytes) {
    cut = kShownBytes;
    while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;
  }
  std::string shown = "\"";
  for (char c : value.substr(0, cut)) {
    const auto byte = static_cast<unsigned char>(c);
    shown.push_back(byte < 0x20 || byte == 0x7F ? '?' : c);
  }
  if (cut == value.size()) return absl::StrCat(shown, "\"");
  return absl::StrCat(shown, "…\" (", value.size(), " bytes)");
}

}  // namespace caunoi::api

#endif  // CAUNOI_COMMON_API_QUOTED_H_
