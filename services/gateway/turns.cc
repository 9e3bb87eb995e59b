#include "services/gateway/turns.h"

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"

namespace caunoi::gateway {

absl::StatusOr<Turns::Turn> Turns::Take(absl::Time deadline) {
  absl::MutexLock lock(&mutex_);
  if (free_ > 0 && waiting_.empty()) {
    --free_;
    return Turn(this);
  }
  Waiter waiter;
  auto place = waiting_.insert(waiting_.end(), &waiter);
  const size_t ahead = waiting_.size() - 1;
  mutex_.AwaitWithDeadline(absl::Condition(&waiter.admitted), deadline);
  if (waiter.admitted) return Turn(this);  // the turn was handed over: free_ unchanged
  waiting_.erase(place);
  return ErrorWithReason(absl::StatusCode::kDeadlineExceeded,
                         absl::StrCat("the deadline passed while waiting behind ", ahead,
                                      " other composite answer(s) for a turn to compute this one"),
                         "WAITED_FOR_A_TURN");
}

void Turns::Release() {
  absl::MutexLock lock(&mutex_);
  if (waiting_.empty()) {
    ++free_;
    return;
  }
  // Handed straight to the oldest waiter, so none arriving later can take it.
  waiting_.front()->admitted = true;
  waiting_.pop_front();
}

}  // namespace caunoi::gateway
