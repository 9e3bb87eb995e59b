#ifndef CAUNOI_SERVICES_GATEWAY_BELOW_HINTS_H_
#define CAUNOI_SERVICES_GATEWAY_BELOW_HINTS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace caunoi::gateway {

// The documents below a directive (within a locality, drilled down) as the
// directives service last named them. A rollout counts the reports owed on
// them while that service is still gathering the implementation status,
// instead of after it, and counts again whenever the status names others:
// a hint saves a wait, never decides an answer.
class BelowHints {
 public:
  std::optional<std::vector<std::string>> Find(absl::string_view key) const;
  // `names` sorted, as Sorted gives them.
  void Keep(absl::string_view key, std::vector<std::string> names);

  static std::vector<std::string> Sorted(std::vector<std::string> names);

 private:
  // Directives asked about, nationally and per locality; past this many
  // the hints start over.
  static constexpr size_t kMostKept = 512;

  mutable absl::Mutex mutex_;
  absl::flat_hash_map<std::string, std::vector<std::string>> names_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace caunoi::gateway

#endif  // CAUNOI_SERVICES_GATEWAY_BELOW_HINTS_H_
