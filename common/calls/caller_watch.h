#ifndef CAUNOI_COMMON_CALLS_CALLER_WATCH_H_
#define CAUNOI_COMMON_CALLS_CALLER_WATCH_H_

namespace caunoi::calls {

// Whether the caller the current thread works for has gone away (cancelled
// its call, or its deadline passed). A server installs the check for each
// call it serves (common/server/caller_watch.h); a statement then ends,
// cancelled in PostgreSQL, soon after its caller leaves instead of running
// on for nobody. Threads nobody watches (background work, batches shared
// by several callers) run their statements to the end or to the
// transaction's statement_timeout.
using CallerGoneCheck = bool (*)(const void* call);

void WatchCaller(CallerGoneCheck gone, const void* call);
void StopWatchingCaller();
bool CallerGone();

// Work done for several callers at once must not end with one of them:
// unwatched while the scope lives, watched as before after it.
class UnwatchedScope {
 public:
  UnwatchedScope();
  ~UnwatchedScope();
  UnwatchedScope(const UnwatchedScope&) = delete;
  UnwatchedScope& operator=(const UnwatchedScope&) = delete;

 private:
  CallerGoneCheck saved_gone_;
  const void* saved_call_;
};

}  // namespace caunoi::calls

#endif  // CAUNOI_COMMON_CALLS_CALLER_WATCH_H_
