#ifndef CAUNOI_SERVICES_GATEWAY_TURNS_H_
#define CAUNOI_SERVICES_GATEWAY_TURNS_H_

#include <list>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace caunoi::gateway {

// At most a few composite answers computed at once, the others waiting
// their turn in arrival order. The machine does the same work either way;
// taken in turns, each answer has the cores to itself sooner, so answers
// come in a steady order instead of all slowing down together (the
// slowest of 16 at once took twice as long as the middle one).
class Turns {
 public:
  explicit Turns(int at_once) : free_(at_once) {}
  Turns(const Turns&) = delete;
  Turns& operator=(const Turns&) = delete;

  // Held while an answer is computed; the next waiter goes when it ends.
  class Turn {
   public:
    explicit Turn(Turns* turns) : turns_(turns) {}
    Turn(Turn&& other) noexcept : turns_(other.turns_) { other.turns_ = nullptr; }
    Turn& operator=(Turn&&) = delete;
    ~Turn() {
      if (turns_ != nullptr) turns_->Release();
    }

   private:
    Turns* turns_;
  };

  // The caller's turn, or DEADLINE_EXCEEDED if `deadline` passes first
  // (its place in the line given up).
  absl::StatusOr<Turn> Take(absl::Time deadline);

 private:
  struct Waiter {
    bool admitted = false;
  };

  void Release();

  absl::Mutex mutex_;
  int free_ ABSL_GUARDED_BY(mutex_);
  std::list<Waiter*> waiting_ ABSL_GUARDED_BY(mutex_);  // oldest first
};

}  // namespace caunoi::gateway

#endif  // CAUNOI_SERVICES_GATEWAY_TURNS_H_
