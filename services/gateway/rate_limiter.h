#ifndef CAUNOI_SERVICES_GATEWAY_RATE_LIMITER_H_
#define CAUNOI_SERVICES_GATEWAY_RATE_LIMITER_H_

#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace caunoi::gateway {

// A token bucket per principal: `per_second` calls on average, bursts of
// up to `burst`.
class RateLimiter {
 public:
  RateLimiter(double per_second, double burst) : per_second_(per_second), burst_(burst) {}

  // Zero when the call may proceed; otherwise how long until it would.
  absl::Duration Take(const std::string& principal, absl::Time now);

 private:
  struct Bucket {
    double tokens;
    absl::Time updated;
  };
  const double per_second_;
  const double burst_;
  absl::Mutex mutex_;
  absl::flat_hash_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace caunoi::gateway

#endif  // CAUNOI_SERVICES_GATEWAY_RATE_LIMITER_H_
