#ifndef CAUNOI_COMMON_CHANGES_CHANGE_FEED_H_
#define CAUNOI_COMMON_CHANGES_CHANGE_FEED_H_

#include <atomic>
#include <thread>

#include "absl/time/time.h"
#include "common/changes/change_hub.h"
#include "common/changes/change_store.h"

namespace caunoi::changes {

struct FeedOptions {
  // Changes older than this are removed; a cursor before them is
  // OUT_OF_RANGE.
  absl::Duration retention = absl::Hours(24 * 7);
  absl::Duration prune_every = absl::Minutes(10);
  // How many recent changes the hub keeps for watchers in memory.
  size_t hub_capacity = 20000;
  // Looks even when no notification came (one lost with a connection).
  absl::Duration quiet_check = absl::Seconds(1);
  // Under a stream of writes, their changes are numbered together at most
  // this often (numbering is a durable transaction of its own); a change
  // after a quiet spell is numbered at once.
  absl::Duration number_every = absl::Milliseconds(50);
};

// The one reader of a service's change log in its process: woken by its
// own process's writers after they commit (pg/commit_wakeup.h) and by the
// NOTIFY of another replica's feed that numbered changes, it numbers what
// is pending and publishes it to the hub, where every watcher of the
// process reads them.
class ChangeFeed {
 public:
  ChangeFeed(ChangeStore& store, FeedOptions options);
  ~ChangeFeed();
  ChangeFeed(const ChangeFeed&) = delete;
  ChangeFeed& operator=(const ChangeFeed&) = delete;

  ChangeHub& hub() { return hub_; }
  ChangeStore& store() { return store_; }

 private:
  void Run();
  // Until the connection fails or the feed stops.
  absl::Status Follow(pg::Connection& connection);
  absl::Status PublishUpTo(int64_t last);

  ChangeStore& store_;
  const FeedOptions options_;
  ChangeHub hub_;
  // Signalled by this process's writers after their commits.
  const int wake_fd_;
  std::atomic<bool> stopping_{false};
  absl::Time next_prune_ = absl::InfinitePast();
  std::thread thread_;
};

}  // namespace caunoi::changes

#endif  // CAUNOI_COMMON_CHANGES_CHANGE_FEED_H_
