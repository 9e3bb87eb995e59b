#ifndef CAUNOI_COMMON_CONFIG_READ_FILE_H_
#define CAUNOI_COMMON_CONFIG_READ_FILE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace caunoi {

// The whole file a flag names (a certificate, a key, the tokens file).
// INVALID_ARGUMENT naming the flag when it cannot be read or is empty.
absl::StatusOr<std::string> ReadFlagFile(const std::string& path, absl::string_view flag);

}  // namespace caunoi

#endif  // CAUNOI_COMMON_CONFIG_READ_FILE_H_
