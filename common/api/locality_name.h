#ifndef CAUNOI_COMMON_API_LOCALITY_NAME_H_
#define CAUNOI_COMMON_API_LOCALITY_NAME_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

// Locality resource names, which every service cites:
// "localities/79" (today's unit) and "localities/pre2025-74" (dissolved).
namespace caunoi {

// "localities/79" -> "79"; "localities/pre2025-74" -> "pre2025-74";
// INVALID_ARGUMENT naming `field` otherwise.
absl::StatusOr<std::string> ParseLocalityName(absl::string_view name, absl::string_view field);
std::string LocalityName(absl::string_view id);

}  // namespace caunoi

#endif  // CAUNOI_COMMON_API_LOCALITY_NAME_H_
