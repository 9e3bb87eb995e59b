#ifndef CAUNOI_COMMON_PG_COMMIT_WAKEUP_H_
#define CAUNOI_COMMON_PG_COMMIT_WAKEUP_H_

#include <functional>
#include <string>

#include "absl/strings/string_view.h"

namespace caunoi::pg {

// The in-process counterpart of NOTIFY: a writer, once its transaction has
// committed, wakes whoever in its own process waits on `channel` (a change
// feed). A NOTIFY inside the writer's transaction would instead hold one
// lock for the whole database from its commit until that commit is
// durable, so that every notifying writer's commit waited for the previous
// one's.
void WakeAfterCommit(absl::string_view channel);

// The channel of `schema`'s change log ("reports_changes").
std::string ChangesChannel(absl::string_view schema);

// `wake` runs on the committing thread, so it must only signal. One waiter
// per channel and process; Unsubscribe before it is destroyed.
void SubscribeToCommits(std::string channel, std::function<void()> wake);
void UnsubscribeFromCommits(absl::string_view channel);

}  // namespace caunoi::pg

#endif  // CAUNOI_COMMON_PG_COMMIT_WAKEUP_H_
