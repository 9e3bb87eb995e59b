#include "services/gateway/below_hints.h"

#include <algorithm>
#include <utility>

namespace caunoi::gateway {

std::optional<std::vector<std::string>> BelowHints::Find(absl::string_view key) const {
  absl::MutexLock lock(&mutex_);
  auto found = names_.find(key);
  if (found == names_.end()) return std::nullopt;
  return found->second;
}

void BelowHints::Keep(absl::string_view key, std::vector<std::string> names) {
  absl::MutexLock lock(&mutex_);
  if (names_.size() >= kMostKept && !names_.contains(key)) names_.clear();
  names_[key] = std::move(names);
}

std::vector<std::string> BelowHints::Sorted(std::vector<std::string> names) {
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace caunoi::gateway
