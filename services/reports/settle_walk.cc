#include "services/reports/settle_walk.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/logging/log.h"

namespace caunoi::reports {

void SettleEachOnce(
    absl::string_view event, const absl::Notification& stop,
    absl::FunctionRef<absl::StatusOr<SettledBatch>(int64_t after_id, absl::Time deadline)> settle) {
  constexpr absl::Duration kBatchTime = absl::Seconds(30);
  constexpr absl::Duration kRetryAfter = absl::Seconds(5);
  int64_t after_id = 0;
  while (!stop.HasBeenNotified()) {
    absl::StatusOr<SettledBatch> settled = settle(after_id, absl::Now() + kBatchTime);
    if (settled.ok() && settled->read == 0) return;
    if (!settled.ok()) {
      log::Warning(absl::StrCat(event, ".retry"), {{"status", settled.status().ToString()}});
      stop.WaitForNotificationWithTimeout(kRetryAfter);
    } else {
      after_id = settled->last_id;
      log::Info(absl::StrCat(event, ".settled"), {{"read", absl::StrCat(settled->read)}});
    }
  }
}

}  // namespace caunoi::reports
