#ifndef CAUNOI_SERVICES_ORGANIZATIONS_LOCALITY_REQUESTS_H_
#define CAUNOI_SERVICES_ORGANIZATIONS_LOCALITY_REQUESTS_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "caunoi/v1/organizations.pb.h"
#include "common/api/commune_name.h"
#include "common/api/locality_name.h"

// Pure checks and conversions of locality requests: every bad field becomes
// INVALID_ARGUMENT naming it, before the store is asked anything.
namespace caunoi::organizations {

inline constexpr int kDefaultLocalityPageSize = 50;
inline constexpr int kMaxLocalityPageSize = 200;

// What ListLocalities asks of the store.
struct LocalityQuery {
  std::optional<std::string> kind;           // "city" | "province"
  std::optional<std::string> code;           // "80"
  std::optional<std::string> successor_id;   // "80"
  std::optional<std::string> name_contains;  // folded by the store
  bool include_superseded = false;
  // Keyset position: rows strictly after (code, id).
  std::optional<std::pair<std::string, std::string>> after;
  int page_size = kDefaultLocalityPageSize;
};

// A two-digit statistical code such as "80".
absl::Status ValidateLocalityCode(absl::string_view code, absl::string_view field);

absl::StatusOr<LocalityQuery> ParseListLocalitiesRequest(const v1::ListLocalitiesRequest& request);

// The token for the page after the one ending at `last`.
std::string NextLocalitiesPageToken(const v1::ListLocalitiesRequest& request,
                                    const v1::Locality& last);

absl::StatusOr<absl::CivilDay> ParseResolveDate(const v1::ResolveLocalityCodeRequest& request);

}  // namespace caunoi::organizations

#endif  // CAUNOI_SERVICES_ORGANIZATIONS_LOCALITY_REQUESTS_H_
