#ifndef CAUNOI_SERVICES_REPORTS_ALERTS_ALERT_EVENTS_H_
#define CAUNOI_SERVICES_REPORTS_ALERTS_ALERT_EVENTS_H_

#include "common/changes/change_store.h"

namespace caunoi::reports {

// Decodes an alert's change, once for every WatchAlerts watcher (which
// checks it against its scope), when the first of them reaches it.
changes::Decoder AlertDecoder();

}  // namespace caunoi::reports

#endif  // CAUNOI_SERVICES_REPORTS_ALERTS_ALERT_EVENTS_H_
