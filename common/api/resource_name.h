#ifndef CAUNOI_COMMON_API_RESOURCE_NAME_H_
#define CAUNOI_COMMON_API_RESOURCE_NAME_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

// Resource names (AIP-122) built from a pattern whose variable segments are
// "{}": "organizations/{}/terms/{}". Ids are positive decimal integers unless
// the pattern's id segment is "{code}", which takes an upper-case code, or
// "{key}", a lower-case identifier ("cadres_trained").
namespace caunoi::api {

// The ids in `name`, in pattern order; INVALID_ARGUMENT naming `field` when
// it does not match, with an example of the expected form.
absl::StatusOr<std::vector<std::string>> ParseResourceName(absl::string_view name,
                                                           absl::string_view pattern,
                                                           absl::string_view field);

// A List method's parent, which may be "<collection>/-" for every parent
// (AIP-159): {"-"} for that, the parent's ids otherwise; INVALID_ARGUMENT
// naming "parent".
absl::StatusOr<std::vector<std::string>> ParseParentOrEvery(absl::string_view parent,
                                                            absl::string_view pattern);

// The inverse: FormatResourceName("organizations/{}/terms/{}", {"2", "1"}).
std::string FormatResourceName(absl::string_view pattern, const std::vector<std::string>& ids);

// The last segment of a well-formed name: its own id.
absl::string_view ResourceId(absl::string_view name);

// That id as the number the services give their records ("directives/5" →
// 5); 0 when it is not one.
int64_t NumericResourceId(absl::string_view name);

}  // namespace caunoi::api

#endif  // CAUNOI_COMMON_API_RESOURCE_NAME_H_
