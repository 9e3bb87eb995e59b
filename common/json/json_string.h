#ifndef CAUNOI_COMMON_JSON_JSON_STRING_H_
#define CAUNOI_COMMON_JSON_JSON_STRING_H_

#include <string>

#include "absl/strings/string_view.h"

namespace caunoi::json {

// Appends `text` as a JSON string: quoted, with quotes, backslashes and
// control characters escaped; UTF-8 passes through unchanged.
void AppendString(std::string& out, absl::string_view text);

}  // namespace caunoi::json

#endif  // CAUNOI_COMMON_JSON_JSON_STRING_H_
