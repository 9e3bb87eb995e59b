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

// Whether an update with `mask` may write `path`: an empty mask (every
// populated field) and "*" cover every path.
bool MaskCovers(const google::protobuf::FieldMask& mask, absl::string_view path);

// For an output field the server derives from another (current_locality
// from locality): refuses `derived` in the caller's mask, INVALID_ARGUMENT
// on "update_mask", and adds it when the mask names `source`, so the
// derived value is written with its source. An empty mask stays empty.
absl::StatusOr<google::protobuf::FieldMask> WithDerivedPath(const google::protobuf::FieldMask& mask,
                                                            absl::string_view source,
                                                            absl::string_view derived);

}  // namespace caunoi::api

#endif  // CAUNOI_COMMON_API_FIELD_MASK_H_
