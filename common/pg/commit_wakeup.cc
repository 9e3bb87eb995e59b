#include "common/pg/commit_wakeup.h"

#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"

namespace caunoi::pg {
namespace {

struct Waiters {
  absl::Mutex mutex;
  absl::flat_hash_map<std::string, std::function<void()>> by_channel ABSL_GUARDED_BY(mutex);
};

Waiters& TheWaiters() {
  static Waiters* const waiters = new Waiters;  // never destroyed: used until exit
  return *waiters;
}

}  // namespace

void WakeAfterCommit(absl::string_view channel) {
  Waiters& waiters = TheWaiters();
  absl::MutexLock lock(&waiters.mutex);
  auto found = waiters.by_channel.find(channel);
  if (found != waiters.by_channel.end()) found->second();
}

std::string ChangesChannel(absl::string_view schema) { return absl::StrCat(schema, "_changes"); }

void SubscribeToCommits(std::string channel, std::function<void()> wake) {
  Waiters& waiters = TheWaiters();
  absl::MutexLock lock(&waiters.mutex);
  waiters.by_channel[std::move(channel)] = std::move(wake);
}

void UnsubscribeFromCommits(absl::string_view channel) {
  Waiters& waiters = TheWaiters();
  absl::MutexLock lock(&waiters.mutex);
  waiters.by_channel.erase(channel);
}

}  // namespace caunoi::pg
