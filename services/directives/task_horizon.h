#ifndef CAUNOI_SERVICES_DIRECTIVES_TASK_HORIZON_H_
#define CAUNOI_SERVICES_DIRECTIVES_TASK_HORIZON_H_

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "services/directives/directives_store.h"

namespace caunoi::directives {

// Keeps the day at which open tasks are counted as overdue or not at
// today, every `interval` until `stopping`, so that the task aggregates
// read one count per document (directives.task_counts). Replicas may
// all run it: a move to the day it already is changes nothing.
void KeepTaskHorizon(DirectivesStore& store, absl::Duration interval, absl::Notification& stopping);

}  // namespace caunoi::directives

#endif  // CAUNOI_SERVICES_DIRECTIVES_TASK_HORIZON_H_
