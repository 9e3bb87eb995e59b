#include "common/api/field_mask.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status/errors.h"
#include "common/status/quoted.h"
#include "google/protobuf/util/field_mask_util.h"

namespace caunoi::api {

absl::StatusOr<std::vector<std::string>> ResolveUpdateMask(
    const google::protobuf::FieldMask& mask, const google::protobuf::Message& patch,
    std::span<const absl::string_view> updatable) {
  const auto is_updatable = [&](absl::string_view path) {
    return std::find(updatable.begin(), updatable.end(), path) != updatable.end();
  };
  std::vector<std::string> paths;
  if (mask.paths_size() == 1 && mask.paths(0) == "*") {
    for (absl::string_view path : updatable) paths.emplace_back(path);
    return paths;
  }
  if (mask.paths_size() == 0) {
    std::vector<const google::protobuf::FieldDescriptor*> set;
    patch.GetReflection()->ListFields(patch, &set);
    for (const auto* field : set) {
      if (is_updatable(field->name())) paths.push_back(field->name());
    }
    if (paths.empty()) {
      return InvalidFieldError("update_mask", "is empty and the update sets no updatable field");
    }
    return paths;
  }
  for (const std::string& path : mask.paths()) {
    if (!is_updatable(path)) {
      return InvalidFieldError(
          "update_mask", absl::StrCat(Quoted(path), " cannot be updated; updatable fields are ",
                                      absl::StrJoin(updatable, ", ")));
    }
    if (std::find(paths.begin(), paths.end(), path) == paths.end()) paths.push_back(path);
  }
  return paths;
}

void ApplyUpdateMask(const google::protobuf::Message& patch, const std::vector<std::string>& paths,
                     google::protobuf::Message& target) {
  google::protobuf::FieldMask mask;
  for (const std::string& path : paths) mask.add_paths(path);
  google::protobuf::util::FieldMaskUtil::MergeOptions options;
  options.set_replace_message_fields(true);
  options.set_replace_repeated_fields(true);
  google::protobuf::util::FieldMaskUtil::MergeMessageTo(patch, mask, options, &target);
}

bool MaskCovers(const google::protobuf::FieldMask& mask, absl::string_view path) {
  if (mask.paths_size() == 0) return true;
  for (const std::string& covered : mask.paths()) {
    if (covered == path || covered == "*") return true;
  }
  return false;
}

absl::StatusOr<google::protobuf::FieldMask> WithDerivedPath(const google::protobuf::FieldMask& mask,
                                                            absl::string_view source,
                                                            absl::string_view derived) {
  google::protobuf::FieldMask result = mask;
  bool names_source = false;
  for (const std::string& path : mask.paths()) {
    if (path == derived) {
      return InvalidFieldError("update_mask", absl::StrCat(derived, " is derived from ", source));
    }
    names_source = names_source || path == source || path == "*";
  }
  if (names_source) result.add_paths(std::string(derived));
  return result;
}

}  // namespace caunoi::api
