#include "services/directives/task_horizon.h"

#include "common/logging/log.h"

namespace caunoi::directives {

void KeepTaskHorizon(DirectivesStore& store, absl::Duration interval,
                     absl::Notification& stopping) {
  std::string day;
  while (!stopping.HasBeenNotified()) {
    absl::StatusOr<std::string> moved = store.AdvanceTaskHorizon(absl::Now() + absl::Minutes(1));
    if (!moved.ok()) {
      log::Warning("tasks.horizon_failed", {{"detail", moved.status().ToString()}});
    } else if (*moved != day) {
      day = *moved;
      log::Info("tasks.horizon", {{"day", day}});
    }
    stopping.WaitForNotificationWithTimeout(interval);
  }
}

}  // namespace caunoi::directives
