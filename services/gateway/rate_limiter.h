#ifndef CAUNOI_SERVICES_GATEWAY_RATE_LIMITER_H_
#define CAUNOI_SERVICES_GATEWAY_RATE_LIMITER_H_

#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace caunoi::gateway {

// A token bucket per principal: `per_second` tokens on average, bursts of
// up to `burst`; a call takes its cost in tokens (see call_cost.h).
class RateLimiter {
 public:
  RateLimiter(double per_second, double burst) : per_second_(per_second), burst_(burst) {}

  // Zero when the call may proceed; otherwise how long until it would. A
  // cost above the burst takes the whole burst.
  absl::Duration Take(const std::string& principal, absl::Time now, double cost = 1);

  // Takes `tokens` more after the fact, for work a call turned out to
  // cost; the bucket may fall below zero (down to minus the burst), and
  // the principal's next calls wait until it refills.
  void Charge(const std::string& principal, absl::Time now, double tokens);

 private:
  struct Bucket {
    double tokens;
    absl::Time updated;
  };
  Bucket& Refill(const std::string& principal, absl::Time now)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);

  const double per_second_;
  const double burst_;
  absl::Mutex mutex_;
  absl::flat_hash_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace caunoi::gateway

#endif  // CAUNOI_SERVICES_GATEWAY_RATE_LIMITER_H_
