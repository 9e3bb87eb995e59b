#ifndef CAUNOI_COMMON_API_FIELD_MASK_H_
#define CAUNOI_COMMON_API_FIELD_MASK_H_

#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/message.h"

// Update masks (AIP-134) over a resource's top-level fields.
namespace caunoi::api {

// The paths an update applies. An empty mask means every updatable field
// set in `patch`; "*" means every updatable field (a full replacement).
// A path that is unknown or not updatable is INVALID_ARGUMENT on
// "update_mask".
absl::StatusOr<std::vector<std::string>> ResolveUpdateMask(
    const google::protobuf::FieldMask& mask, const google::protobuf::Message& patch,
    std::span<const absl::string_view> updatable);

// Copies the `paths` fields from `patch` into `target`, replacing repeated
// and message fields whole and clearing those unset in `patch`.
void ApplyUpdateMask(const google::protobuf::Message& patch, const std::vector<std::string>& paths,
                     google::protobuf::Message& target);

}  // namespace caunoi::api

#endif  // CAUNOI_COMMON_API_FIELD_MASK_H_
