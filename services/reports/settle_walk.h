#ifndef CAUNOI_SERVICES_REPORTS_SETTLE_WALK_H_
#define CAUNOI_SERVICES_REPORTS_SETTLE_WALK_H_

#include <cstdint>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"

// A walk over records written before the server kept something they now
// need, which the server settles by itself after it starts.
namespace caunoi::reports {

// One batch of the walk: how many records it read, and the last one's id.
struct SettledBatch {
  int read = 0;
  int64_t last_id = 0;
};

// Settles batch after batch in id order, each record once, until a batch
// reads nothing or `stop` is notified; waits a little after a failure (the
// organizations service may be starting). Logs `event` (".settled",
// ".retry").
void SettleEachOnce(
    absl::string_view event, const absl::Notification& stop,
    absl::FunctionRef<absl::StatusOr<SettledBatch>(int64_t after_id, absl::Time deadline)> settle);

}  // namespace caunoi::reports

#endif  // CAUNOI_SERVICES_REPORTS_SETTLE_WALK_H_
