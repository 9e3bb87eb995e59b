#ifndef CAUNOI_COMMON_API_LOCALITY_NAME_H_
#define CAUNOI_COMMON_API_LOCALITY_NAME_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

// Locality resource names, which every service cites:
// "localities/79" (today's unit) and "localities/pre2025-74" (dissolved).
namespace caunoi {

// "localities/79" -> "79"; "localities/pre2025-74" -> "pre2025-74";
// INVALID_ARGUMENT naming `field` otherwise.
absl::StatusOr<std::string> ParseLocalityName(absl::string_view name, absl::string_view field);
std::string LocalityName(absl::string_view id);

// A two-digit statistical code such as "80".
bool IsLocalityCode(absl::string_view code);

// The day the 2025 merger dissolved every pre-2025 unit.
inline constexpr absl::CivilDay kMergerDay(2025, 7, 1);

// Whether `name` names a unit dissolved in the merger.
bool IsDissolvedLocality(absl::string_view name);

// A record dated `day` may not name a unit dissolved by then:
// INVALID_ARGUMENT naming `field`, with ErrorInfo reason LOCALITY_DISSOLVED
// and the unit to name instead in metadata "successor". OK otherwise.
absl::Status CheckInForceOn(absl::string_view locality, absl::CivilDay day,
                            absl::string_view successor, absl::string_view field);

}  // namespace caunoi

#endif  // CAUNOI_COMMON_API_LOCALITY_NAME_H_
